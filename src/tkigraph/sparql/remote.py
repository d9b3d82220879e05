"""Work against a remote SPARQL endpoint: push the knowledge base, pull what a command needs.

``explain`` and ``show`` with ``--endpoint`` do not download the whole graph:
they pull the *core* (every triple whose subject is not a finding or a
publication: names, types, hierarchy, targets, schema), resolve the names
there, then pull only the findings (and their sources) about the variants in
question. The same reasoning then runs locally, so answers match the local ones.

Graphs: ``push`` replaces one named graph (:data:`DEFAULT_GRAPH` unless told
otherwise) through the Graph Store Protocol, so a server's own triples (Virtuoso
keeps thousands) never mix with ours; reading (:func:`remote_engine`) sends
``default-graph-uri`` so queries see only that graph: the one given, else
:data:`DEFAULT_GRAPH` when the server holds it, else the server's default graph.

Credentials (:class:`Credentials`): HTTP Basic or Digest answered from a user
and password, or a bearer token; never taken from a URL, never shown.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import Request

from rdflib import Graph, URIRef

from ..errors import AmbiguousNameError, TkigraphError
from ..model import KnowledgeBase, Node
from ..namespaces import TKG, expand_iri
from ..reader import memory_reader
from .engine import RemoteEngine

if TYPE_CHECKING:
    from email.message import Message
    from urllib.request import OpenerDirector

    import pyoxigraph as ox

    from ..resolve import Resolver

__all__ = ["push", "store_url_for", "target_url", "explain_kb", "show_kb", "Credentials", "DEFAULT_GRAPH",
           "GraphEngine", "remote_engine", "resolve_graph", "check_graph_iri",
           "credentials_from", "Remote"]

#: the named graph ``tkigraph push`` fills, and the one ``--endpoint`` reads when the server has it
DEFAULT_GRAPH = "https://w3id.org/tkigraph/graph/kb"
#: does the server hold DEFAULT_GRAPH? (a constant query: the IRI is written out, never formatted in)
_PROBE_GRAPH = "SELECT ?s WHERE { GRAPH <https://w3id.org/tkigraph/graph/kb> { ?s ?p ?o } } LIMIT 1"

CORE = """CONSTRUCT { ?s ?p ?o } WHERE {
  ?s ?p ?o .
  FILTER NOT EXISTS { ?s a tkigraph:Finding }
  FILTER NOT EXISTS { ?s a tkigraph:Publication }
  FILTER NOT EXISTS { ?s a tkigraph:DrugLabel }
  FILTER NOT EXISTS { ?s a tkigraph:Guideline }
}"""

FINDINGS = """CONSTRUCT { ?f ?p ?o . ?source ?sp ?so } WHERE {
  ?f tkigraph:variant ?variant ; ?p ?o .
  OPTIONAL { ?f dcterms:source ?source . ?source ?sp ?so }
}"""

AROUND = """CONSTRUCT { ?node ?p ?o . ?s ?q ?node . ?s ?sp ?so } WHERE {
  { ?node ?p ?o } UNION { ?s ?q ?node } UNION { ?s ?q ?node ; a tkigraph:Finding ; ?sp ?so }
}"""

#: an absolute IRI that can go between < > in SPARQL and in a URL parameter
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
#: the Graph Store path of a Virtuoso endpoint names its graph with graph-uri, not graph
_VIRTUOSO_CRUD = ("/sparql-graph-crud", "/sparql-graph-crud-auth")


@dataclass(frozen=True)
class Credentials:
    """Who to be on a server: HTTP Basic or Digest (``user``, ``password``) or a bearer ``token``.

    The secrets never appear in a repr, a message or a URL.
    """

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    def headers(self) -> dict[str, str]:
        """Headers sent with every request (a bearer token; Basic and Digest answer the server's challenge)."""
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def opener(self, url: str) -> OpenerDirector:
        """A urllib opener that answers a Basic or Digest challenge from ``url``'s server with the password."""
        from urllib.request import (
            HTTPBasicAuthHandler,
            HTTPDigestAuthHandler,
            HTTPPasswordMgrWithDefaultRealm,
            build_opener,
        )

        if self.user is None:
            return build_opener()
        manager = HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, self.user, self.password or "")
        return build_opener(HTTPDigestAuthHandler(manager), HTTPBasicAuthHandler(manager))

    def answer(self, request: Request, timeout: float) -> dict[str, str]:
        """The headers that let ``request`` (an upload) through, found before its body is sent.

        A server that refuses a large upload (401: no or wrong credentials) may hang
        up while the body is still being written, so the client sees "connection
        reset", never the reason (Virtuoso does this with a few megabytes of
        N-Triples). So ask first with body-less HEAD requests to the same URL:
        without credentials (a 401 for a caller with no user is raised at once),
        then with the answer to its Basic or Digest challenge (a 401 again means the
        user or password is wrong, raised too); the upload then goes once, answered.
        Raises :class:`urllib.error.HTTPError` for those 401s.
        """
        from urllib.error import HTTPError

        if self.token:
            return self.headers()
        url = request.full_url
        asked = _challenge(url, {}, timeout)
        if asked is None:
            return {}  # no challenge: the upload meets whatever the server says, and it is reported
        challenge, headers = asked
        if self.user is None:
            raise HTTPError(url, 401, "the server asks for credentials", headers, None)
        answer = _Answerer(url, self.user, self.password or "", challenge)
        if _challenge(url, answer.header(Request(url, method="HEAD")), timeout) is not None:
            raise HTTPError(url, 401, "the user or password was not accepted", headers, None)
        return answer.header(request)


class _Answerer:
    """Answers one Basic or Digest challenge (the digest's nonce count runs on across requests)."""

    def __init__(self, url: str, user: str, password: str, challenge: str) -> None:
        from urllib.request import HTTPDigestAuthHandler, HTTPPasswordMgrWithDefaultRealm, parse_http_list, parse_keqv_list

        scheme, _, rest = challenge.partition(" ")
        self.scheme = scheme.lower()
        if self.scheme not in ("basic", "digest"):
            raise ValueError(f"the server asks for {scheme or 'an unnamed'} authentication")
        self.basic = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        manager = HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password)
        self.digest = HTTPDigestAuthHandler(manager)
        self.chal = parse_keqv_list([item for item in parse_http_list(rest) if item])

    def header(self, request: Request) -> dict[str, str]:
        if self.scheme == "digest":
            value = self.digest.get_authorization(request, self.chal)
            return {"Authorization": f"Digest {value}"} if value else {}
        return {"Authorization": f"Basic {self.basic}"} if self.scheme == "basic" else {}


def _challenge(url: str, headers: dict[str, str], timeout: float) -> tuple[str, Message] | None:
    """(the challenge to answer, the response's headers) when a HEAD of ``url`` with ``headers`` gets 401, else None."""
    from urllib.error import HTTPError
    from urllib.request import build_opener

    try:
        with build_opener().open(Request(url, method="HEAD", headers=headers), timeout=timeout):
            return None
    except HTTPError as exc:
        exc.close()
        if exc.code != 401:
            return None
        offered = exc.headers.get_all("WWW-Authenticate") or []
        usable = [c for c in offered if c.partition(" ")[0].lower() in ("digest", "basic")]
        usable.sort(key=lambda c: c.partition(" ")[0].lower() != "digest")  # Digest first: it never sends the password
        return (usable[0] if usable else (offered[0] if offered else "")), exc.headers


def credentials_from(user: str | None = None, password_env: str | None = None, token_env: str | None = None,
                     prompt: Callable[[str], str | None] | None = None, endpoint: str | None = None) -> Credentials:
    """Credentials from the options of a command: ``--user`` with the password in the environment variable
    ``password_env`` (else the user's entry for the endpoint's host in the netrc file, else asked by
    ``prompt(text)``, which must not echo), or a token in ``token_env``; with none of these, the netrc
    file's entry for ``endpoint``'s host (``$NETRC``, else ``~/.netrc``), if there is one.

    Never from the command line itself, where other users of the machine and the shell history see it.
    """
    import os

    def from_env(var: str, what: str) -> str:
        value = os.environ.get(var)
        if not value:
            raise TkigraphError(f"the environment variable {var} (named by --{what}-env) is not set or empty",
                                f"export {var}=... first, in a way that keeps it out of the shell history")
        return value

    if token_env and (user or password_env):
        raise TkigraphError("--token-env and --user/--password-env both given", "use one way to authenticate")
    if token_env:
        return Credentials(token=from_env(token_env, "token"))
    if password_env and not user:
        raise TkigraphError("--password-env needs --user", "pass --user NAME as well")
    found = _from_netrc(endpoint) if endpoint else None
    if not user:
        return Credentials(*found) if found else Credentials()
    if password_env:
        return Credentials(user, from_env(password_env, "password"))
    if found and found[0] == user:
        return Credentials(*found)
    if prompt is None:
        raise TkigraphError(f"no password for --user {user}", "pass --password-env VAR")
    try:
        password = prompt(f"password for {user}")
    except (EOFError, KeyboardInterrupt, RuntimeError, OSError):
        password = None
    if password is None:
        raise TkigraphError(f"no password for --user {user} (nothing to read it from)",
                            "pass --password-env VAR, or run the command in a terminal to be asked")
    return Credentials(user, password)


def _from_netrc(endpoint: str) -> tuple[str, str] | None:
    """(login, password) of the netrc entry for ``endpoint``'s host (``$NETRC``, else ``~/.netrc``), or None."""
    import netrc
    import os
    from pathlib import Path

    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    host = urlsplit(endpoint).hostname
    if not host or not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise TkigraphError(f"cannot read the netrc file {path}: {exc}",
                            "fix the file (machine HOST login NAME password SECRET), or set $NETRC to another") from None
    if entry is None or not entry[0]:
        return None
    return entry[0], entry[2] or ""


@dataclass(frozen=True)
class Remote:
    """Where a command reads: a SPARQL endpoint, the named graph asked for (None: let
    :func:`resolve_graph` choose) and the credentials."""

    endpoint: str
    graph: str | None = None
    auth: Credentials = field(default_factory=Credentials)

    def engine(self) -> GraphEngine:
        """The engine over the graph to read (:func:`remote_engine`)."""
        return remote_engine(self.endpoint, self.graph, self.auth)


def check_graph_iri(iri: str) -> str:
    """``iri`` if it is an absolute IRI usable as a graph name, else a TkigraphError saying so."""
    if not _IRI.match(iri or ""):
        raise TkigraphError(f"--graph: not an absolute IRI: {iri!r}",
                            f"give a full IRI without spaces or <>, e.g. {DEFAULT_GRAPH}")
    return iri


def _check_url(url: str, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TkigraphError(f"{what}: not an HTTP(S) URL: {url!r}",
                            "give a URL such as http://127.0.0.1:7878/query")
    if parts.username is not None or parts.password is not None:
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        shown = urlunsplit((parts.scheme, host, parts.path, "", ""))
        raise TkigraphError(f"{what}: credentials in the URL ({shown}) are refused: they end up in logs and "
                            "shell history",
                            "use --user NAME with --password-env VAR (or a prompt), or --token-env VAR")


def store_url_for(endpoint: str, authenticated: bool = False) -> str:
    """The Graph Store Protocol URL beside a query endpoint.

    Oxigraph: ``.../query`` -> ``.../store``; Virtuoso: ``.../sparql`` ->
    ``.../sparql-graph-crud`` (``-auth`` when credentials are sent).
    """
    parts = urlsplit(endpoint)
    path = parts.path
    if path.endswith("/query"):
        path = path[: -len("query")] + "store"
    elif path.endswith("/sparql"):
        path += "-graph-crud-auth" if authenticated else "-graph-crud"
    else:
        raise TkigraphError(f"cannot guess the Graph Store URL of {endpoint}", "pass --store URL")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def target_url(store: str, graph: str | None) -> str:
    """The URL that names one graph of a Graph Store: ``?graph=IRI`` (``graph-uri`` on Virtuoso) or ``?default``.

    A store URL that already has a query (``...?graph-uri=urn:x``) is used as it is.
    Virtuoso has no default graph of its own to write (it reads the union of all
    graphs as the default graph), so there None means :data:`DEFAULT_GRAPH`.
    """
    parts = urlsplit(store)
    if parts.query:
        if graph is not None:
            raise TkigraphError(f"the store URL {store} already names a graph, and --graph names {graph}",
                                "name the graph once: drop --graph, or the query part of --store")
        return store
    virtuoso = parts.path.endswith(_VIRTUOSO_CRUD)
    if graph is None and not virtuoso:
        query = "default"
    else:
        query = urlencode({"graph-uri" if virtuoso else "graph": check_graph_iri(graph or DEFAULT_GRAPH)})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _ntriples(data: ox.Store | Graph | bytes | bytearray) -> tuple[bytes, int]:
    """(N-Triples body, number of triples) of an Oxigraph store's default graph, an rdflib graph, or bytes."""
    import pyoxigraph as ox

    body: bytes | None
    if isinstance(data, ox.Store):
        body = data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    elif isinstance(data, (bytes, bytearray)):
        body = bytes(data)
    else:
        body = data.serialize(format="nt", encoding="utf-8")
    assert body is not None  # dump() without an output returns the bytes
    count = sum(1 for line in body.splitlines() if line.strip() and not line.lstrip().startswith(b"#"))
    return body, count


def push(data: ox.Store | Graph | bytes | bytearray, endpoint: str, store: str | None = None, timeout: float = 300.0, *,
         graph: str | None = None, auth: Credentials | None = None) -> int:
    """Replace one graph of a SPARQL server with ``data``; return the number of triples sent.

    ``data``: an Oxigraph store (its default graph), an rdflib graph or N-Triples
    bytes. ``graph``: the named graph to replace (:data:`DEFAULT_GRAPH` is the
    one ``tkigraph push`` uses); None replaces the server's default graph, or the
    graph the ``store`` URL names. Uses the Graph Store Protocol (HTTP PUT of
    N-Triples); ``auth`` answers a Basic or Digest challenge, or sends a bearer token.
    """
    from urllib.error import HTTPError, URLError

    _check_url(endpoint, "--endpoint")
    if store:
        _check_url(store, "--store")
    auth = auth or Credentials()
    target = target_url(store or store_url_for(endpoint, authenticated=auth.user is not None), graph)
    body, count = _ntriples(data)
    request = Request(target, data=body, method="PUT", headers={"Content-Type": "application/n-triples"})
    try:
        for name, value in auth.answer(request, timeout).items():
            request.add_header(name, value)
        with auth.opener(target).open(request, timeout=timeout) as response:
            response.read()
    except HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace")
        raise TkigraphError(f"{target} answered HTTP {exc.code}: {detail}", _http_hint(exc.code, auth)) from None
    except ValueError as exc:  # urllib: a challenge of a scheme it cannot answer
        raise TkigraphError(f"{target} asks for an authentication urllib cannot give: {exc}",
                            "use --token-env VAR for a bearer token, or --user for Basic and Digest") from None
    except (URLError, OSError) as exc:
        raise TkigraphError(f"cannot reach {target}: {exc}", "is the server running? check the URL") from None
    return count


def _http_hint(code: int, auth: Credentials) -> str:
    if code in (401, 403):
        if auth.user is None and not auth.token:
            return "the server wants a user: pass --user NAME (password from --password-env VAR or a prompt)"
        return "check the user and password (or token), and that the user may write to this graph"
    return "is it a writable Graph Store endpoint? (pass --store URL if it is not beside --endpoint)"


class GraphEngine(RemoteEngine):
    """A remote endpoint read through one named graph (``default-graph-uri``), with credentials."""

    def __init__(self, endpoint: str, graph: str | None = None, auth: Credentials | None = None,
                 timeout: float = 60.0) -> None:
        super().__init__(endpoint, timeout)
        _check_url(endpoint, "--endpoint")
        self.graph = check_graph_iri(graph) if graph is not None else None
        self.auth = auth or Credentials()

    def _post(self, query: str, accept: str) -> bytes:
        from urllib.error import HTTPError, URLError
        from urllib.request import Request

        form = [("query", query)] + ([("default-graph-uri", self.graph)] if self.graph else [])
        request = Request(self.endpoint, data=urlencode(form).encode(),
                          headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded",
                                   **self.auth.headers()})
        try:
            with self.auth.opener(self.endpoint).open(request, timeout=self.timeout) as response:
                body: bytes = response.read()
                return body
        except HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise TkigraphError(f"endpoint {self.endpoint} answered HTTP {exc.code}: {detail}",
                                "check the query, the endpoint URL and --graph") from None
        except ValueError as exc:
            raise TkigraphError(f"endpoint {self.endpoint} asks for an authentication urllib cannot give: {exc}",
                                "use a bearer token, or a user for Basic and Digest") from None
        except (URLError, OSError) as exc:
            raise TkigraphError(f"cannot reach endpoint {self.endpoint}: {exc}",
                                "is the server running? check the URL") from None


def resolve_graph(endpoint: str, graph: str | None = None, auth: Credentials | None = None) -> str | None:
    """The graph to read: ``graph`` if given, else :data:`DEFAULT_GRAPH` if the server holds it
    (``tkigraph push`` put it there), else None (the server's default graph)."""
    if graph is not None:
        return check_graph_iri(graph)
    probe = GraphEngine(endpoint, auth=auth)
    # SELECT, not ASK: Virtuoso 7 answers this ASK as a SELECT of ?__ASK_RETVAL
    found = probe.query(_PROBE_GRAPH).rows
    return DEFAULT_GRAPH if found else None


def remote_engine(endpoint: str, graph: str | None = None, auth: Credentials | None = None) -> GraphEngine:
    """The engine for ``--endpoint URL [--graph IRI]``: the named graph chosen by :func:`resolve_graph`."""
    return GraphEngine(endpoint, resolve_graph(endpoint, graph, auth), auth)


def _construct(engine: RemoteEngine, text: str, name: str, nodes: Iterable[Node]) -> Graph:
    graph = Graph()
    for node in sorted(set(nodes), key=str):
        found = engine.query(text, {name: URIRef(node)}).graph
        if found is not None:  # a CONSTRUCT always answers a graph
            graph += found
    return graph


def _kb(graph: Graph) -> KnowledgeBase:
    """The fetched part of a remote graph, read as the local store is (the one reader, plain-string terms)."""
    return KnowledgeBase(memory_reader(graph.serialize(format="nt", encoding="utf-8")))


def _variant_nodes(kb: KnowledgeBase, nodes: Iterable[Node]) -> set[Node]:
    """The variants whose findings a question about ``nodes`` may use."""
    from ..explainer.evidence import ancestors

    out: set[Node] = set()
    for node in nodes:
        parts = [node, *kb.graph.objects(node, TKG.hasComponent)]
        for part in parts:
            out.add(part)
            out.update(ancestors(kb, part))
    return out


def explain_kb(endpoint: str, variant_text: str, gene: str | None = None, *, graph: str | None = None,
               auth: Credentials | None = None) -> KnowledgeBase:
    """The part of a remote graph (see :func:`resolve_graph`) that ``explain`` needs for this variant."""
    from ..resolve import Resolver

    engine = remote_engine(endpoint, graph, auth)
    core = engine.query(CORE).graph
    assert core is not None  # CORE is a CONSTRUCT
    kb = _kb(core)
    resolver = Resolver(kb)
    genes: list[Node] = []
    try:
        match = resolver.variant(variant_text, gene)
        nodes = [n for n in (match.node,) if n is not None] + [*match.components, *match.members]
        genes = [match.gene] if match.gene is not None else []
    except AmbiguousNameError as exc:  # let the drug's findings settle it, locally
        nodes = list(exc.nodes)
    wanted = _variant_nodes(kb, nodes) | _gene_variants(kb, resolver, nodes, genes)
    core += _construct(engine, FINDINGS, "variant", wanted)
    return _kb(core)


def _gene_variants(kb: KnowledgeBase, resolver: Resolver, nodes: Iterable[Node], genes: Iterable[Node]) -> set[Node]:
    """Every variant of the asked variant's gene (and its fusions): the nearest evidence of an answer without
    findings (same codon, same region, the gene's classes, close codons) reads their findings."""
    scope = {x for gene in genes for x in resolver.gene_scope(gene)}
    for node in nodes:
        scope.update(x for gene in kb.graph.objects(node, TKG.variantOf) for x in resolver.gene_scope(gene))
    return {v for gene in scope for v in kb.graph.subjects(TKG.variantOf, gene)}


def show_kb(endpoint: str, name: str, *, graph: str | None = None,
            auth: Credentials | None = None) -> tuple[KnowledgeBase, Node]:
    """The part of a remote graph (see :func:`resolve_graph`) that ``show`` needs for one entity."""
    from ..resolve import Resolver

    engine = remote_engine(endpoint, graph, auth)
    core = engine.query(CORE).graph
    assert core is not None  # CORE is a CONSTRUCT
    iri = expand_iri(name.strip())
    if iri is not None:
        core += _construct(engine, AROUND, "node", [iri])
    node = Resolver(_kb(core)).resolve(name)
    core += _construct(engine, AROUND, "node", [node])
    return _kb(core), node

