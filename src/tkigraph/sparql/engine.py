"""Run SPARQL on Oxigraph (default), rdflib, or a remote SPARQL 1.1 endpoint.

All three engines take the same query text and the same parameter bindings and
return the same neutral :class:`Result` (rdflib terms), so a contract test can
check that they never disagree. Bindings are never pasted into query text:

* Oxigraph: ``substitutions`` (RDF-dev SEP-0007; a bound variable must be in
  the SELECT projection, which is why named queries project their parameters);
* rdflib: ``initBindings``;
* a remote endpoint, which has no binding in its protocol: a ``VALUES`` block of
  terms serialised by rdflib (``Node.n3()``, which escapes every quote) placed
  at the start of the query's WHERE group, so the values are bound before any
  FILTER (a trailing VALUES would join only after GROUP BY).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from ..errors import TkigraphError
from ..namespaces import PREFIXES
from .guard import QueryError, check_query, prefix_header

if TYPE_CHECKING:  # rdflib and pyoxigraph are imported by the functions that use them, so loading need not wait
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.term import Identifier, Node

__all__ = ["Result", "Portable", "Engine", "OxigraphEngine", "RdflibEngine", "RemoteEngine", "ENGINES"]


@dataclass
class Result:
    """A query's answer: rows of rdflib terms (SELECT), a boolean (ASK) or a graph (CONSTRUCT/DESCRIBE)."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node | None]] = field(default_factory=list)  # None: a variable left unbound
    boolean: bool | None = None
    graph: Graph | None = None
    #: the answer as the engine's own writer wrote it (SPARQL 1.1 JSON from pyoxigraph), when asked for
    written: str | None = None
    count: int | None = None  # the number of rows of a written answer

    @property
    def size(self) -> int:
        """How many rows the answer has (written or not)."""
        return self.count if self.written is not None and self.count is not None else len(self.rows)

    def column(self, name: str) -> list[str]:
        return [str(row[name]) if row.get(name) is not None else "" for row in self.rows]


#: a term as plain data: ("uri", iri) | ("bnode", id) | ("literal", lexical form, datatype IRI or "", language or "")
Plain = tuple[str, ...]


@dataclass
class Portable:
    """A query's answer as plain data, to cross from a child process without rdflib on either side.

    :meth:`result` makes the :class:`Result` (rdflib terms) in the process that reads it; the child
    that ran the query never imports rdflib, so the parent can import it while the child works.
    """

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Plain | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Plain, Plain, Plain]] | None = None
    written: str | None = None
    count: int | None = None

    def result(self) -> Result:
        if self.written is not None:
            return Result(self.form, list(self.variables), boolean=self.boolean, written=self.written, count=self.count)
        if self.triples is not None:
            from rdflib import Graph

            graph = Graph()
            for s, p, o in self.triples:
                graph.add((_plain_to_rdflib(s), _plain_to_rdflib(p), _plain_to_rdflib(o)))
            return Result(self.form, graph=graph)
        rows: list[dict[str, Node | None]] = [
            {name: None if value is None else _plain_to_rdflib(value) for name, value in zip(self.variables, row)}
            for row in self.rows]
        return Result(self.form, list(self.variables), rows, self.boolean)


#: a bound parameter: a pyoxigraph term (what :func:`~tkigraph.sparql.named.bind_params` gives) or an rdflib one
Binding: TypeAlias = "ox.NamedNode | ox.BlankNode | ox.Literal | Identifier"


class Engine:
    """A SPARQL engine over one graph."""

    name = "engine"

    def query(self, text: str, bindings: Mapping[str, Binding] | None = None) -> Result:
        form = check_query(text)
        return self._run(text, form, dict(bindings or {}))

    def portable(self, text: str, bindings: Mapping[str, Binding] | None = None,
                 write: str | None = None) -> Portable | Result:
        """The answer in a form that pickles cheaply (:class:`Portable` where the engine can give one);
        ``write="json"`` asks an engine with its own SPARQL 1.1 JSON writer to write rows with it."""
        return self.query(text, bindings)

    def _run(self, text: str, form: str, bindings: dict[str, Binding]) -> Result:  # pragma: no cover
        raise NotImplementedError


# -- Oxigraph ------------------------------------------------------------------------
def _plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Plain:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype is not None else ""
        return ("literal", term.value, datatype, term.language or "")
    raise QueryError(f"unsupported term in result: {term!r}")


def _plain_to_rdflib(term: Plain) -> Identifier:
    from rdflib import BNode, Literal, URIRef

    if term[0] == "uri":
        return URIRef(term[1])
    if term[0] == "bnode":
        return BNode(term[1])
    _, value, datatype, language = term
    if language:
        return Literal(value, lang=language)
    keep = datatype and datatype != "http://www.w3.org/2001/XMLSchema#string"
    return Literal(value, datatype=URIRef(datatype) if keep else None)


def _to_oxigraph(term: Binding) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    import pyoxigraph as ox

    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}")


class OxigraphEngine(Engine):
    """Oxigraph over the cached on-disk store of Turtle files (with the derived triples).

    ``OxigraphEngine(paths)`` opens (building it first if needed) the store of
    ``paths`` through :func:`tkigraph.storage.oxigraph.cached_store`, so the files pass the
    one input policy of every command and a second query never parses them again;
    ``OxigraphEngine(store=..., location=...)`` wraps a store already open. A forked
    child (the time limit of :mod:`.limits`) reopens the store by its folder.
    """

    name = "oxigraph"

    def __init__(self, paths: Iterable[str | Path] = (), *, store: ox.Store | None = None,
                 location: str | Path | None = None, memory: str | Path | None = None) -> None:
        if store is None and memory is None:
            from ..storage.oxigraph import cached_store

            store, location = cached_store([Path(p) for p in paths])
        self._store, self.location, self._pid = store, location, os.getpid()
        #: an N-Quads snapshot of a small store: queries run on an in-memory copy read from it, made
        #: where the query runs (the forked child of the time limit, or here), never twice
        self.memory = memory
        self._copied = False

    @property
    def store(self) -> ox.Store:
        import pyoxigraph as ox

        if self.memory is not None:
            if not self._copied:  # made where it is first used; a copy made before a fork is shared as it is
                from ..storage.oxigraph import memory_copy

                self._store, self._copied = memory_copy(Path(self.memory)), True
        elif self._pid != os.getpid() and self.location is not None:  # after fork: a handle of our own
            self._store, self._pid = ox.Store.read_only(str(self.location)), os.getpid()
        assert self._store is not None  # given, opened, or copied from the snapshot above
        return self._store

    def _answer(self, text: str, bindings: dict[str, Binding]) -> Any:
        import pyoxigraph as ox

        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): _to_oxigraph(v) for k, v in bindings.items()}
        try:
            return self.store.query(text, prefixes=PREFIXES, substitutions=substitutions or None)
        except (SyntaxError, RuntimeError, OSError) as exc:
            raise QueryError(f"query failed: {exc}", "check the query; bound parameters must be projected") from None

    def portable(self, text: str, bindings: Mapping[str, Binding] | None = None,
                 write: str | None = None) -> Portable:
        import pyoxigraph as ox

        form = check_query(text)
        answer = self._answer(text, dict(bindings or {}))
        if write == "json" and not isinstance(answer, ox.QueryTriples):  # pyoxigraph's own SPARQL 1.1 JSON writer
            variables = [] if isinstance(answer, ox.QueryBoolean) else [v.value for v in answer.variables]
            data = answer.serialize(format=ox.QueryResultsFormat.JSON)
            assert data is not None  # serialize() without an output returns the bytes
            parsed = json.loads(data)
            return Portable(form, variables, boolean=parsed.get("boolean"), written=data.decode("utf-8"),
                            count=len(parsed.get("results", {}).get("bindings", [])))
        if isinstance(answer, ox.QueryBoolean):  # ASK
            return Portable(form, boolean=bool(answer))
        if isinstance(answer, ox.QueryTriples):  # CONSTRUCT, DESCRIBE
            return Portable(form, triples=[(_plain(t.subject), _plain(t.predicate), _plain(t.object)) for t in answer])
        variables = [v.value for v in answer.variables]
        rows = [tuple(None if (term := solution[name]) is None else _plain(term) for name in variables)
                for solution in answer]
        return Portable(form, variables, rows)

    def _run(self, text: str, form: str, bindings: dict[str, Binding]) -> Result:
        return self.portable(text, bindings).result()


# -- rdflib ----------------------------------------------------------------------------
class RdflibEngine(Engine):
    """rdflib's own SPARQL engine over an rdflib graph (the fallback)."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def _run(self, text: str, form: str, bindings: dict[str, Binding]) -> Result:
        import rdflib.plugins.sparql as rdflib_sparql

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch FROM / FROM NAMED graphs (the guard refuses them too)
        initial = {name: _as_rdflib(term) for name, term in bindings.items()}
        try:
            answer = self.graph.query(prefix_header() + text, initBindings=initial or None)
            if form == "ASK":
                return Result(form, boolean=bool(answer.askAnswer))
            if form in ("CONSTRUCT", "DESCRIBE"):
                from rdflib import Graph

                graph = Graph()
                assert answer.graph is not None  # a CONSTRUCT or DESCRIBE answers a graph
                for triple in answer.graph:
                    graph.add(triple)
                return Result(form, graph=graph)
            from rdflib.query import ResultRow

            variables = [str(v) for v in answer.vars or ()]
            rows: list[dict[str, Node | None]] = [{name: row[i] for i, name in enumerate(variables)}
                                                  for row in answer if isinstance(row, ResultRow)]
        except TkigraphError:
            raise
        except Exception as exc:  # rdflib evaluates lazily and raises plain exceptions
            raise QueryError(f"query failed: {exc}", "check the query") from None
        return Result(form, variables, rows)


def _as_rdflib(term: Binding) -> Identifier:
    """A binding as an rdflib term (a pyoxigraph one is converted)."""
    import pyoxigraph as ox

    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return _plain_to_rdflib(_plain(term))
    return term


# -- remote --------------------------------------------------------------------------
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def values_block(bindings: Mapping[str, Binding]) -> str:
    """A VALUES block binding the given variables (terms serialised and escaped by rdflib)."""
    names = " ".join("?" + name for name in bindings)
    terms = " ".join(_as_rdflib(term).n3() for term in bindings.values())
    return " VALUES (" + names + ") { (" + terms + ") } "


def with_values(text: str, bindings: Mapping[str, Binding]) -> str:
    """``text`` with the bindings as a VALUES block opening its first WHERE group."""
    if not bindings:
        return text
    match = _WHERE.search(text)
    if match is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause", "write WHERE { ... }")
    return text[: match.end()] + values_block(bindings) + text[match.end():]


class RemoteEngine(Engine):
    """A SPARQL 1.1 Protocol endpoint (Oxigraph, Virtuoso, GraphDB, Neptune ...)."""

    name = "remote"

    def __init__(self, endpoint: str, timeout: float = 60.0) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise TkigraphError(f"not an HTTP(S) endpoint: {endpoint!r}", "give a URL such as http://127.0.0.1:7878/query")
        self.endpoint = endpoint
        self.timeout = timeout

    def _post(self, query: str, accept: str) -> bytes:
        from urllib.error import HTTPError, URLError
        from urllib.parse import urlencode
        from urllib.request import Request, urlopen

        request = Request(self.endpoint, data=urlencode({"query": query}).encode(),
                          headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                body: bytes = response.read()
                return body
        except HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise TkigraphError(f"endpoint {self.endpoint} answered HTTP {exc.code}: {detail}",
                                "check the query and the endpoint URL") from None
        except (URLError, OSError) as exc:
            raise TkigraphError(f"cannot reach endpoint {self.endpoint}: {exc}",
                                "is the server running? check the URL") from None

    def _run(self, text: str, form: str, bindings: dict[str, Binding]) -> Result:
        query = prefix_header() + with_values(text, bindings)
        if form in ("CONSTRUCT", "DESCRIBE"):
            from rdflib import Graph

            graph = Graph()
            graph.parse(data=self._post(query, "application/n-triples"), format="nt")
            return Result(form, graph=graph)
        data = json.loads(self._post(query, "application/sparql-results+json"))
        if form == "ASK":
            return Result(form, boolean=ask_answer(data, self.endpoint))
        variables = data["head"]["vars"]
        rows = [{name: _from_json(binding.get(name)) for name in variables} for binding in data["results"]["bindings"]]
        return Result(form, variables, rows)


#: the variable Virtuoso (7.x) answers an ASK with, as a SELECT: one row (1) for true, none (or 0) for false
ASK_RETVAL = "__ASK_RETVAL"


def ask_answer(data: dict[str, Any], endpoint: str = "the endpoint") -> bool:
    """The boolean of an ASK from SPARQL JSON results: ``{"boolean": ...}``, or Virtuoso's ``?__ASK_RETVAL`` row."""
    answer = data.get("boolean")
    if isinstance(answer, bool):
        return answer
    if data.get("head", {}).get("vars") == [ASK_RETVAL]:
        rows = data.get("results", {}).get("bindings", [])
        value = rows[0].get(ASK_RETVAL, {}).get("value", "0") if rows else "0"
        return value.strip().lower() not in ("0", "false", "")
    raise TkigraphError(f"{endpoint} gave no boolean answer to a yes-or-no query",
                        "is it a SPARQL 1.1 endpoint? try the query as SELECT ... LIMIT 1")


def _from_json(term: dict[str, str] | None) -> Node | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    datatype = term.get("datatype")
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    return Literal(value, lang=term.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)


ENGINES = ("oxigraph", "rdflib")
