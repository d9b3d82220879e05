"""Work against a remote SPARQL endpoint: push the knowledge base, pull what a command needs.

``explain`` and ``show`` with ``--endpoint`` do not download the whole graph:
they pull the *core* (every triple whose subject is not a finding or a
publication: names, types, hierarchy, targets, schema), resolve the names
there, then pull only the findings (and their sources) about the variants in
question. The same reasoning then runs locally, so answers match the local ones.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from rdflib import Graph, URIRef

from ..errors import AmbiguousNameError, TkigraphError
from ..model import KnowledgeBase
from ..namespaces import TKG, expand
from .engine import RemoteEngine

__all__ = ["push", "store_url_for", "explain_kb", "show_kb"]

CORE = """CONSTRUCT { ?s ?p ?o } WHERE {
  ?s ?p ?o .
  FILTER NOT EXISTS { ?s a tkg:Finding }
  FILTER NOT EXISTS { ?s a tkg:Publication }
  FILTER NOT EXISTS { ?s a tkg:DrugLabel }
  FILTER NOT EXISTS { ?s a tkg:Guideline }
}"""

FINDINGS = """CONSTRUCT { ?f ?p ?o . ?source ?sp ?so } WHERE {
  ?f tkg:variant ?variant ; ?p ?o .
  OPTIONAL { ?f dcterms:source ?source . ?source ?sp ?so }
}"""

AROUND = """CONSTRUCT { ?node ?p ?o . ?s ?q ?node . ?s ?sp ?so } WHERE {
  { ?node ?p ?o } UNION { ?s ?q ?node } UNION { ?s ?q ?node ; a tkg:Finding ; ?sp ?so }
}"""


def store_url_for(endpoint: str) -> str:
    """The Graph Store Protocol URL beside a query endpoint (Oxigraph: /query -> /store)."""
    parts = urlsplit(endpoint)
    path = parts.path
    if path.endswith("/query"):
        path = path[: -len("query")] + "store"
    elif path.endswith("/sparql"):
        return urlunsplit((parts.scheme, parts.netloc, path + "-graph-crud", "graph-uri=urn:tkigraph", ""))
    else:
        raise TkigraphError(f"cannot guess the Graph Store URL of {endpoint}", "pass --store URL")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def push(graph: Graph, endpoint: str, store: str | None = None, timeout: float = 300.0) -> int:
    """Replace the endpoint's default graph (or the graph the store URL names) with ``graph``.

    Uses the Graph Store Protocol (HTTP PUT of N-Triples); returns the number of triples sent.
    """
    from urllib.error import HTTPError, URLError
    from urllib.request import Request, urlopen

    url = store or store_url_for(endpoint)
    # the default graph, unless the store URL names a graph (Virtuoso: ...?graph-uri=urn:tkigraph)
    target = url if "graph" in urlsplit(url).query else url + ("&" if "?" in url else "?") + "default"
    body = graph.serialize(format="nt", encoding="utf-8")
    request = Request(target, data=body, method="PUT", headers={"Content-Type": "application/n-triples"})
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 (asked for by push)
            response.read()
    except HTTPError as exc:
        raise TkigraphError(f"{target} answered HTTP {exc.code}: {exc.read()[:300].decode('utf-8', 'replace')}",
                            "is it a writable Graph Store endpoint?") from None
    except (URLError, OSError) as exc:
        raise TkigraphError(f"cannot reach {target}: {exc}", "is the server running? check the URL") from None
    return len(graph)


def _construct(engine: RemoteEngine, text: str, name: str, nodes) -> Graph:
    graph = Graph()
    for node in sorted(set(nodes), key=str):
        graph += engine.query(text, {name: node}).graph
    return graph


def _variant_nodes(kb: KnowledgeBase, nodes) -> set[URIRef]:
    """The variants whose findings a question about ``nodes`` may use."""
    from ..explainer.evidence import ancestors

    out: set[URIRef] = set()
    for node in nodes:
        parts = [node, *kb.graph.objects(node, TKG.hasComponent)]
        for part in parts:
            out.add(part)
            out.update(ancestors(kb, part))
    return out


def explain_kb(endpoint: str, variant_text: str, gene: str | None = None) -> KnowledgeBase:
    """The part of a remote graph that ``explain`` needs for this variant."""
    from ..resolve import Resolver

    engine = RemoteEngine(endpoint)
    core = engine.query(CORE).graph
    kb = KnowledgeBase(core)
    try:
        match = Resolver(kb).variant(variant_text, gene)
        nodes = [n for n in (match.node,) if n is not None] + [*match.components, *match.members]
    except AmbiguousNameError as exc:  # let the drug's findings settle it, locally
        nodes = list(exc.nodes)
    core += _construct(engine, FINDINGS, "variant", _variant_nodes(kb, nodes))
    return KnowledgeBase(core)


def show_kb(endpoint: str, name: str) -> tuple[KnowledgeBase, URIRef]:
    """The part of a remote graph that ``show`` needs for one entity."""
    from ..resolve import Resolver

    engine = RemoteEngine(endpoint)
    core = engine.query(CORE).graph
    iri = expand(name.strip())
    if iri is not None:
        core += _construct(engine, AROUND, "node", [iri])
    node = Resolver(KnowledgeBase(core)).resolve(name)
    core += _construct(engine, AROUND, "node", [node])
    return KnowledgeBase(core), node

