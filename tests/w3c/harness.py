"""Run the vendored W3C SPARQL 1.1 tests (query side) against a SPARQL endpoint over HTTP.

Shared by ``tests/test_w3c.py`` (``tkigraph serve`` only) and ``benchmarks/w3c_suite.py``
(``tkigraph serve`` beside ``oxigraph serve-read-only``), so both count the same way.

* **Protocol** (:data:`PROTOCOL`): the 20 query-side cases of the W3C SPARQL 1.1 Protocol
  tests (``sparql11/protocol/manifest.ttl``; the requests and expectations are those of the
  suite's README), sent as raw HTTP so that duplicate parameters, missing or wrong
  Content-Types, UTF-16 bodies and other methods reach the server as written. The dataset
  cases need four small graphs (``http://kasei.us/2009/09/sparql/data/dataN.rdf``, each
  stating that it is a ``foaf:Document``), put into the store as named graphs, since
  nothing here may fetch them.
* **Query evaluation** (:func:`cases`): every query-evaluation, results-format and
  query-syntax test of the query folders. For each, the data goes into a fresh on-disk
  Oxigraph store (default graph from ``qt:data``, one named graph per ``qt:graphData``,
  named by its W3C IRI), a server is started on it, the query (with ``BASE`` its W3C IRI,
  so relative IRIs resolve as the suite means) is sent by POST, and the answer is compared
  with the expected result: solutions as multisets (blank nodes and numeric lexical forms
  normalised, order not checked), booleans, graphs up to blank-node isomorphism, CSV rows.

Outcomes: ``pass``, ``fail``, or ``refused``: a 4xx answer to a query using one of the
things ``tkigraph serve`` refuses on purpose (``SERVICE``; in the protocol cases, a 400 to
the dataset parameters, which the Protocol allows), counted apart from failures.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUITE = HERE / "sparql11"
#: the W3C's base IRI of the SPARQL 1.1 tests (a manifest's IRI is <BASE><folder>/manifest.ttl)
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
#: the folders of the query language, its results formats and federation syntax
QUERY_FOLDERS = ("aggregates", "bind", "bindings", "construct", "csv-tsv-res", "exists", "functions", "grouping",
                 "json-res", "negation", "project-expression", "property-path", "subquery", "syntax-query",
                 "service", "syntax-fed")
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
DAWGT = "http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#"
#: the manifest types this harness runs, by the kind it gives them
KINDS = {"QueryEvaluationTest": "eval", "CSVResultFormatTest": "csv", "PositiveSyntaxTest11": "syntax+",
         "NegativeSyntaxTest11": "syntax-"}
#: what tkigraph serve refuses on purpose, as it appears in a query (FROM is honoured: it names graphs of the store)
REFUSED = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", re.IGNORECASE)
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                              "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}


@dataclass(frozen=True)
class Case:
    """One test of a manifest."""

    id: str  # folder/name, e.g. aggregates/agg01
    kind: str  # eval, csv, syntax+ or syntax-
    query: Path
    data: tuple[Path, ...] = ()
    graphs: tuple[Path, ...] = ()
    result: Path | None = None
    service: bool = False

    @property
    def from_files(self) -> tuple[Path, ...]:
        """The suite's files that the query itself names with ``FROM`` or ``FROM NAMED``."""
        text = _strip_comments(self.query.read_text(encoding="utf-8"))
        found = (urllib.parse.urljoin(iri(self.query), name) for name in _FROM.findall(text))
        return tuple(SUITE / i[len(BASE):] for i in found if i.startswith(BASE) and (SUITE / i[len(BASE):]).is_file())

    @property
    def refusable(self) -> bool:
        """Does the query use something tkigraph serve refuses on purpose?"""
        return self.service or bool(REFUSED.search(_strip_comments(self.query.read_text(encoding="utf-8"))))


@dataclass
class Outcome:
    status: str  # pass, fail or refused
    detail: str = ""


@dataclass
class Tally:
    """Outcomes by test id, and their counts."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes.values() if o.status == status)

    def summary(self) -> str:
        return (f"{self.count('pass')} pass, {self.count('refused')} refused on purpose, "
                f"{self.count('fail')} fail (of {len(self.outcomes)})")


def iri(path: Path) -> str:
    """The W3C IRI of a vendored file."""
    return BASE + path.relative_to(SUITE).as_posix()


def _strip_comments(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] if "<" not in line else line for line in text.splitlines())


def cases(folders: tuple[str, ...] = QUERY_FOLDERS) -> list[Case]:
    """The runnable tests of the query folders, in manifest order (withdrawn ones left out)."""
    from rdflib import RDF, Graph, URIRef
    from rdflib.collection import Collection

    found: list[Case] = []
    for folder in folders:
        manifest = SUITE / folder / "manifest.ttl"
        graph = Graph().parse(manifest, format="turtle", publicID=BASE + f"{folder}/manifest.ttl")

        def local(node, folder: str = folder) -> Path:
            return SUITE / folder / str(node).rsplit("/", 1)[1]

        for head in graph.objects(None, URIRef(MF + "entries")):
            for entry in Collection(graph, head):
                kind = next((KINDS[str(t)[len(MF):]] for t in graph.objects(entry, RDF.type)
                             if str(t).startswith(MF) and str(t)[len(MF):] in KINDS), None)
                if kind is None or (entry, URIRef(DAWGT + "approval"), URIRef(DAWGT + "Withdrawn")) in graph:
                    continue
                action = graph.value(entry, URIRef(MF + "action"))
                if kind.startswith("syntax"):
                    query, data, graphs = local(action), (), ()
                else:
                    query = local(graph.value(action, URIRef(QT + "query")))
                    data = tuple(local(d) for d in graph.objects(action, URIRef(QT + "data")))
                    graphs = tuple(local(g) for g in graph.objects(action, URIRef(QT + "graphData")))
                result = graph.value(entry, URIRef(MF + "result"))
                found.append(Case(f"{folder}/{str(entry).rsplit('#', 1)[1]}", kind, query, data, graphs,
                                  local(result) if result is not None else None,
                                  service=(action, URIRef(QT + "serviceData"), None) in graph))
    return found


# -- stores and servers ------------------------------------------------------------------------------------
def build_store(location: Path, data: tuple[Path, ...] = (), graphs: tuple[Path, ...] = (),
                extra: Callable | None = None) -> None:
    """A fresh on-disk Oxigraph store at ``location`` holding the test's data, then closed: ``data`` in
    the default graph, each of ``graphs`` in a named graph of its IRI."""
    import gc

    import pyoxigraph as ox

    store = ox.Store(str(location))
    for path in data:
        store.load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]), base_iri=iri(path))
    for path in dict.fromkeys(graphs):
        store.load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:]), base_iri=iri(path),
                   to_graph=ox.NamedNode(iri(path)))
    if extra is not None:
        extra(store)
    store.flush()
    del store
    gc.collect()


@contextlib.contextmanager
def tkigraph_server(location: Path) -> Iterator[str]:
    """The query URL of `tkigraph serve`'s server (one worker) over the store at ``location``."""
    from tkigraph.sparql.server import QueryPool, make_server

    pool = QueryPool(location, workers=1, timeout=20.0, max_rows=100_000, in_memory=False)
    server = make_server(pool, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()
        pool.close()


def oxigraph_binary() -> str | None:
    import sys

    return shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """The query URL of `oxigraph serve-read-only` over the store at ``location``."""
    import socket

    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server (PyPI package `oxigraph`) is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.02)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(timeout=10)


# -- HTTP --------------------------------------------------------------------------------------------------
@dataclass
class Answer:
    status: int
    ctype: str
    body: bytes


def send(url: str, method: str = "GET", query: list[tuple[str, str]] | None = None, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> Answer:
    """One raw HTTP request (parameters written as given, duplicates included)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + ("?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote) if query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None or method in ("POST", "PUT"):
            connection.putheader("Content-Length", str(len(body or b"")))
        connection.endheaders(body)
        response = connection.getresponse()
        return Answer(response.status, (response.getheader("Content-Type") or "").split(";")[0].strip().lower(),
                      response.read())
    finally:
        connection.close()


# -- comparing answers -------------------------------------------------------------------------------------
def _term(term) -> str:
    """A term as a comparable string: blank nodes all alike, numbers by value."""
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in INTEGERS or datatype == XSD + "decimal":
                return f"number|{Decimal(term.value).normalize()}|{datatype}"
            if datatype in (XSD + "double", XSD + "float"):
                return f"number|{float(term.value)!r}|{datatype}"
        except (InvalidOperation, ValueError):
            pass
    return str(term)


def _results(data: bytes, fmt) -> bool | Counter:
    import pyoxigraph as ox

    parsed = ox.parse_query_results(data, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    names = [v.value for v in parsed.variables]
    return Counter(frozenset((name, _term(row[name])) for name in names if row[name] is not None) for row in parsed)


def _graph(data: bytes, fmt: str, base: str):
    from rdflib import Graph

    return Graph().parse(data=data, format=fmt, publicID=base)


def _csv_rows(text: str) -> tuple[set[str], Counter]:
    """(the column names, the rows as multisets of (column, cell)): ``SELECT *`` may order columns either way."""
    rows = list(csv.reader(io.StringIO(text)))
    blank = re.compile(r"^_:.*")
    head = rows[0] if rows else []
    return set(head), Counter(frozenset(zip(head, (blank.sub("_:", cell) for cell in row))) for row in rows[1:])


def expected(case: Case):
    """The expected answer of an evaluation test: a boolean, a Counter of solutions, a graph or CSV rows."""
    import pyoxigraph as ox

    assert case.result is not None
    suffix = case.result.suffix
    if suffix == ".csv":
        return _csv_rows(case.result.read_text(encoding="utf-8"))
    if suffix in (".srx", ".srj", ".tsv"):
        fmt = {".srx": ox.QueryResultsFormat.XML, ".srj": ox.QueryResultsFormat.JSON,
               ".tsv": ox.QueryResultsFormat.TSV}[suffix]
        return _results(case.result.read_bytes(), fmt)
    return _graph(case.result.read_bytes(), {".ttl": "turtle", ".nt": "nt", ".rdf": "xml"}[suffix], iri(case.result))


def run_case(case: Case, url: str) -> Outcome:
    """Send one test's query to ``url`` and judge the answer."""
    import pyoxigraph as ox
    from rdflib.compare import isomorphic

    text = f"BASE <{iri(case.query)}>\n" + case.query.read_text(encoding="utf-8")
    accept = "text/csv" if case.kind == "csv" else ACCEPT
    form = urllib.parse.urlencode({"query": text}).encode()
    try:
        answer = send(url, "POST", body=form, headers={"Accept": accept,
                                                       "Content-Type": "application/x-www-form-urlencoded"})
    except OSError as exc:
        return Outcome("fail", f"no answer: {exc}")
    if 400 <= answer.status < 500 and case.refusable and case.kind != "syntax-":
        return Outcome("refused", answer.body.decode("utf-8", "replace")[:200])
    if case.kind == "syntax-":
        ok = 400 <= answer.status < 500
        return Outcome("pass" if ok else "fail", f"HTTP {answer.status} to an invalid query")
    if answer.status != 200:
        return Outcome("fail", f"HTTP {answer.status}: {answer.body.decode('utf-8', 'replace')[:200]}")
    if case.kind == "syntax+":
        return Outcome("pass")
    want = expected(case)
    try:
        if case.kind == "csv":
            got = _csv_rows(answer.body.decode("utf-8"))
            same = got[0] == want[0] and got[1] == want[1]
        elif answer.ctype in ("application/n-triples", "text/turtle"):
            same = not isinstance(want, (bool, Counter)) and isomorphic(
                _graph(answer.body, "nt" if answer.ctype == "application/n-triples" else "turtle", iri(case.query)),
                want)
        else:
            fmt = ox.QueryResultsFormat.from_media_type(answer.ctype)
            same = _results(answer.body, fmt) == want
    except (SyntaxError, ValueError) as exc:
        return Outcome("fail", f"unreadable answer ({answer.ctype}): {exc}")
    return Outcome("pass" if same else "fail", "" if same else "a different answer")


def run_suite(server: Callable, workdir: Path, selected: list[Case] | None = None,
              progress: Callable[[Case, Outcome], None] | None = None) -> Tally:
    """Every case, each on a fresh store served by ``server(location)`` (a context manager yielding the URL)."""
    tally = Tally()
    for number, case in enumerate(selected if selected is not None else cases()):
        location = workdir / f"store-{number}"
        build_store(location, case.data, case.graphs + case.from_files)
        with server(location) as url:
            outcome = run_case(case, url)
        shutil.rmtree(location, ignore_errors=True)
        tally.outcomes[case.id] = outcome
        if progress is not None:
            progress(case, outcome)
    return tally


# -- the protocol ------------------------------------------------------------------------------------------
KASEI = "http://kasei.us/2009/09/sparql/data/"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"


def protocol_data(store) -> None:
    """The four graphs the protocol's dataset cases name, as named graphs: <dataN.rdf> a foaf:Document."""
    import pyoxigraph as ox

    for n in range(4):
        node = ox.NamedNode(f"{KASEI}data{n}.rdf")
        store.add(ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                          ox.NamedNode(FOAF_DOCUMENT), node))


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
#: what the W3C validator asks for by content negotiation (it assumes RDF/XML and XML results can be had)
ASK_TYPES = (("Accept", "application/sparql-results+xml, application/sparql-results+json;q=0.9"),)
SELECT_TYPES = (("Accept", "application/sparql-results+xml, application/sparql-results+json;q=0.9, "
                           "text/tab-separated-values;q=0.8, text/csv;q=0.7"),)
GRAPH_TYPES = (("Accept", "application/rdf+xml, text/turtle;q=0.9"),)
RESULTS = ("application/sparql-results+xml", "application/sparql-results+json")
GRAPHS = ("application/rdf+xml", "application/rdf+json", "text/turtle")


@dataclass(frozen=True)
class ProtocolCase:
    name: str
    method: str
    params: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    #: 4xx expected (a negative test)
    negative: bool = False
    #: the content types a positive answer may have
    types: tuple[str, ...] = RESULTS
    #: the boolean a positive ASK must answer (None: any answer of the right type)
    expect: bool | None = True
    #: uses the dataset parameters (or FROM): tkigraph serve refuses them on purpose
    dataset: bool = False


def _d(n: int) -> str:
    return f"{KASEI}data{n}.rdf"


PROTOCOL = (
    ProtocolCase("query_post_form", "POST", body=b"query=ASK%20%7B%7D", headers=tuple(FORM.items())),
    ProtocolCase("query_dataset_default_graphs_get", "GET", (
        ("query", f"ASK {{ <{_d(1)}> a ?type . <{_d(2)}> a ?type . }}"), ("default-graph-uri", _d(1)),
        ("default-graph-uri", _d(2))), dataset=True),
    ProtocolCase("query_dataset_default_graphs_post", "POST", (("default-graph-uri", _d(1)),
                                                               ("default-graph-uri", _d(2))),
                 f"ASK {{ <{_d(1)}> ?p ?o . <{_d(2)}> ?p ?o }}".encode(), tuple(DIRECT.items()), dataset=True),
    ProtocolCase("query_dataset_named_graphs_post", "POST", (("named-graph-uri", _d(1)), ("named-graph-uri", _d(2))),
                 b"ASK { GRAPH ?g { ?s ?p ?o } }", tuple(DIRECT.items()), dataset=True),
    ProtocolCase("query_dataset_named_graphs_get", "GET", (
        ("query", f"ASK {{ GRAPH ?g1 {{ <{_d(1)}> a ?type }} GRAPH ?g2 {{ <{_d(2)}> a ?type }} }}"),
        ("named-graph-uri", _d(1)), ("named-graph-uri", _d(2))), dataset=True),
    ProtocolCase("query_dataset_full", "POST", (("default-graph-uri", _d(3)), ("named-graph-uri", _d(1)),
                                                ("named-graph-uri", _d(2))),
                 b"SELECT ?g ?x ?s { ?x ?y ?o  GRAPH ?g { ?s ?p ?o } }", tuple(DIRECT.items()), expect=None,
                 dataset=True),
    # the protocol's dataset (data2, which says nothing of data1) overrides FROM (data1): false, with this data
    ProtocolCase("query_multiple_dataset", "POST", (("default-graph-uri", _d(2)),),
                 f"ASK FROM <{_d(1)}> {{ <{_d(1)}> ?p ?o }}".encode(), tuple(DIRECT.items()), expect=False,
                 dataset=True),
    ProtocolCase("query_get", "GET", (("query", "ASK {}"),)),
    ProtocolCase("query_content_type_select", "POST", body=b"SELECT (1 AS ?value) {}",
                 headers=(*DIRECT.items(), *SELECT_TYPES),
                 types=(*RESULTS, "text/tab-separated-values", "text/csv"), expect=None),
    ProtocolCase("query_content_type_ask", "POST", body=b"ASK {}", headers=(*DIRECT.items(), *ASK_TYPES)),
    ProtocolCase("query_content_type_describe", "POST", body=b"DESCRIBE <http://example.org/>",
                 headers=(*DIRECT.items(), *GRAPH_TYPES), types=GRAPHS, expect=None),
    ProtocolCase("query_content_type_construct", "POST", body=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
                 headers=(*DIRECT.items(), *GRAPH_TYPES), types=GRAPHS, expect=None),
    ProtocolCase("query_post_direct", "POST", body=b"ASK {}", headers=tuple(DIRECT.items())),
    ProtocolCase("bad_query_method", "PUT", (("query", "ASK {}"),), negative=True),
    ProtocolCase("bad_multiple_queries", "GET", (("query", "ASK {}"), ("query", "SELECT * {}")), negative=True),
    ProtocolCase("bad_query_wrong_media_type", "POST", body=b"ASK {}", headers=(("Content-Type", "text/plain"),),
                 negative=True),
    ProtocolCase("bad_query_missing_form_type", "POST", body=b"query=ASK%20%7B%7D", negative=True),
    ProtocolCase("bad_query_missing_direct_type", "POST", body=b"ASK {}", negative=True),
    ProtocolCase("bad_query_non_utf8", "POST", body="ASK {}".encode("utf-16"),
                 headers=(("Content-Type", "application/sparql-query; charset=UTF-16"),), negative=True),
    ProtocolCase("bad_query_syntax", "GET", (("query", "ASK {"),), negative=True),
)


def run_protocol_case(case: ProtocolCase, url: str) -> Outcome:
    """One protocol case: ``pass``, ``fail``, or ``refused`` (a dataset case answered 400)."""
    import pyoxigraph as ox

    answer = send(url, case.method, list(case.params), case.body, dict(case.headers))
    said = f"HTTP {answer.status} {answer.ctype}: {answer.body[:160].decode('utf-8', 'replace')}"
    if case.negative:
        return Outcome("pass" if 400 <= answer.status < 500 else "fail", said)
    if case.dataset and answer.status == 400:
        return Outcome("refused", said)
    if not 200 <= answer.status < 400 or answer.ctype not in case.types:
        return Outcome("fail", said)
    if case.expect is not None:
        try:
            parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.from_media_type(answer.ctype))
        except (SyntaxError, ValueError) as exc:
            return Outcome("fail", f"{said} (unreadable: {exc})")
        if not (isinstance(parsed, ox.QueryBoolean) and bool(parsed) is case.expect):
            return Outcome("fail", f"{said} (expected {str(case.expect).lower()})")
    return Outcome("pass", said)


def run_protocol(url: str) -> Tally:
    tally = Tally()
    for case in PROTOCOL:
        tally.outcomes[case.name] = run_protocol_case(case, url)
    return tally
