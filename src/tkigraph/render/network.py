"""The interactive graph page: choose a subgraph, turn it into vis-network data, fill the page.

:func:`select` narrows the networkx projection (focus and depth, node types,
one disease's findings); :func:`graph_data` turns the result into the JSON the
page embeds; :func:`graph_page` returns the complete, self-contained HTML.
Nodes and edges go straight into vis-network's data sets (pyvis's ``from_nx`` is
far too slow for the whole graph).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict, Unpack, overload

from ..model import LEVEL_OF, KnowledgeBase, Node
from ..namespaces import curie, expand_iri
from ..version import __version__
from .page import page, source_url

if TYPE_CHECKING:
    import networkx as nx

    from ..graph import Projection
    from ..model import Evidence

__all__ = ["NODE_STYLE", "EDGE_KINDS", "Narrowing", "Selection", "NodeAttributes", "SourceJSON", "EvidenceJSON", "select",
           "graph_data", "graph_page", "edge_kind", "resolve_focus", "evidence_json"]


class Narrowing(TypedDict, total=False):
    """Keyword arguments of :func:`select` but ``focus`` (``graph_page``'s own ``focus`` only names the page's)."""

    depth: int
    types: Iterable[str] | None
    disease: str | None
    fold: bool


class Selection(Narrowing, total=False):
    """The keyword arguments of :func:`select`: what the graph is narrowed by."""

    focus: str


class NodeAttributes(TypedDict):
    """The attributes of a node of the projection, as :func:`kb_node` reads them for a focus outside it."""

    label: str
    type: str
    synonyms: list[str]
    xrefs: list[str]


class SourceJSON(TypedDict):
    """One source of a finding as the pages show it."""

    id: str
    citation: str
    url: str | None
    date: str | None
    kind: str


class EvidenceJSON(TypedDict):
    """One finding's evidence as the pages show it (see :func:`evidence_json`)."""

    finding: str
    effect: str
    level: str
    statement: str
    variant: str
    drug: str
    disease: str | None
    mechanism: str | None
    ic50_fold_change: float | None
    negated: bool
    unverified: bool
    sources: list[SourceJSON]


#: node type -> (colour, shape) on the page and in its legend
NODE_STYLE: dict[str, tuple[str, str]] = {
    # shapes that hold their label inside: edges run beneath a node, never through its label
    "drug": ("#4e79a7", "box"),
    "kinase": ("#f28e2b", "box"),
    "fusion": ("#ffbe7d", "box"),
    "gene": ("#edc948", "box"),
    "variant": ("#f4a6a7", "box"),
    "finding": ("#b07aa1", "diamond"),
    "mechanism": ("#8cd17d", "ellipse"),
    "pathway": ("#76b7b2", "box"),
    "disease": ("#c8a98f", "box"),
    "publication": ("#d7d2cf", "box"),
    "concept": ("#e4e4e4", "ellipse"),
    "thing": ("#cccccc", "ellipse"),
}

#: edge kind -> (colour, legend label); the kind of an edge is given by :func:`edge_kind`
EDGE_KINDS: dict[str, tuple[str, str]] = {
    "resistance": ("#d62728", "resistance"),
    "reduced_sensitivity": ("#ff7f0e", "reduced sensitivity"),
    "sensitivity": ("#2ca02c", "sensitivity"),
    "inhibits": ("#1f77b4", "inhibits"),
    "indicated_for": ("#17becf", "indicated for"),
    "member_of": ("#8c564b", "member of (pathway)"),
    "variant_of": ("#e377c2", "variant of, component, parent"),
    "source": ("#aaaaaa", "cited source"),
    "other": ("#c7c7c7", "other"),
}

_BY_PREDICATE = {
    "tkigraph:confersResistanceTo": "resistance", "tkigraph:reducesSensitivityTo": "reduced_sensitivity",
    "tkigraph:retainsSensitivityTo": "sensitivity", "tkigraph:inhibits": "inhibits", "tkigraph:indicatedFor": "indicated_for",
    "tkigraph:memberOf": "member_of", "tkigraph:activatesPathway": "member_of", "tkigraph:variantOf": "variant_of",
    "tkigraph:parentVariant": "variant_of", "tkigraph:hasComponent": "variant_of", "tkigraph:hasComponentDrug": "variant_of",
    "tkigraph:fivePrimePartner": "variant_of", "tkigraph:threePrimePartner": "variant_of", "tkigraph:fusionPartner": "variant_of",
    "dcterms:source": "source", "tkigraph:verification": "source",
}
_BY_EFFECT = {"resistant": "resistance", "reduced sensitivity": "reduced_sensitivity", "sensitive": "sensitivity"}


def edge_kind(predicate: str, finding_effect: str | None = None) -> str:
    """The colour class of an edge: its predicate's, or for a finding's own edges the finding's effect."""
    if predicate in _BY_PREDICATE:
        return _BY_PREDICATE[predicate]
    return _BY_EFFECT.get(finding_effect or "", "other")


def resolve_focus(kb: KnowledgeBase, name: str) -> Node:
    """The entity called ``name`` (any kind; a variant expression such as ``T315I`` too)."""
    from ..errors import UnknownNameError
    from ..resolve import Resolver

    resolver = Resolver(kb)
    try:
        return resolver.resolve(name)
    except UnknownNameError as first:
        try:
            match = resolver.variant(name)  # T315I, "EGFR exon 19 deletion" ... (ambiguity is reported as such)
        except UnknownNameError:
            raise first from None
        if match.node is None:
            raise first from None
        return match.node


def _drop_other_diseases(kb: KnowledgeBase, nxg: nx.MultiDiGraph[str], disease: Node) -> None:
    from ..explainer.evidence import disease_scope

    scope = disease_scope(kb, disease)
    # nodes(data=True), not nodes(data="type"): types-networkx types the latter's pairs as (node, attribute dict)
    findings = [n for n, d in nxg.nodes(data=True) if d.get("type") == "finding"]
    gone = {f for f in findings if not any(k == "tkigraph:disease" and o in scope for _, o, k in nxg.out_edges(f, keys=True))}
    nxg.remove_nodes_from(gone)
    for s, o, key, data in list(nxg.edges(keys=True, data=True)):
        if "findings" in data:
            data["findings"] = [f for f in data["findings"] if f not in gone]
            if not data["findings"]:
                nxg.remove_edge(s, o, key)
    nxg.remove_nodes_from([n for n in list(nxg) if nxg.degree(n) == 0 and nxg.nodes[n]["type"] != "disease"])


def _iri(kb: KnowledgeBase, node: str) -> Node:
    """The graph's node for an IRI or a CURIE."""
    return expand_iri(str(node)) or str(node)


@overload
def fold_findings(sub: nx.MultiDiGraph[str], keep: str | None = None) -> nx.MultiDiGraph[str]: ...
@overload
def fold_findings(sub: Projection, keep: str | None = None) -> Projection: ...
def fold_findings(sub: nx.MultiDiGraph[str] | Projection, keep: str | None = None) -> nx.MultiDiGraph[str] | Projection:
    """``sub`` without finding nodes (their evidence stays on the variant -> drug edges they support),
    and without the nodes only findings reached (effect and level concepts, most sources), but ``keep``."""
    from ..graph import Projection

    if isinstance(sub, Projection):
        findings = {n for n, d in sub.nodes.items() if d.get("type") == "finding"}
        edges = {k: d for k, d in sub.edges.items() if k[0] not in findings and k[1] not in findings}
        linked = {k[0] for k in edges} | {k[1] for k in edges} | {keep}
        return Projection({n: d for n, d in sub.nodes.items() if n in linked}, edges)
    sub.remove_nodes_from([n for n, d in sub.nodes(data=True) if d.get("type") == "finding"])
    sub.remove_nodes_from([n for n in list(sub) if sub.degree(n) == 0 and n != keep])
    return sub


def select(kb: KnowledgeBase, nxg: nx.MultiDiGraph[str] | None = None, *, focus: str | None = None, depth: int = 1,
           types: Iterable[str] | None = None, disease: str | None = None,
           fold: bool = False) -> nx.MultiDiGraph[str] | Projection:
    """The subgraph to draw: one disease's findings, within ``depth`` of ``focus``, of ``types``.

    ``focus`` and ``disease`` are entity IRIs (or CURIEs); ``types`` are node
    type names (see ``NODE_STYLE``). The focus node is kept whatever its type.
    ``fold`` folds findings into the edges they support (:func:`fold_findings`)
    before the neighbourhood is taken. With nothing to narrow and no graph given,
    the whole projection comes back as a :class:`~tkigraph.graph.Projection`
    (networkx is not needed to draw it all).
    """
    from ..graph import neighbourhood, project, to_networkx

    if nxg is None and focus is None and types is None and disease is None:
        return fold_findings(project(kb)) if fold else project(kb)
    import networkx as nx

    nxg = to_networkx(kb) if nxg is None else nxg.copy()  # a graph we were given is never changed
    if disease is not None:
        _drop_other_diseases(kb, nxg, _iri(kb, disease))
    focus_id = curie(focus) if focus is not None else None
    if fold:
        nxg = fold_findings(nxg, keep=focus_id)
    if focus_id is not None:
        if focus_id not in nxg:
            nxg = nx.MultiDiGraph()
            nxg.add_node(focus_id, **kb_node(kb, focus_id))  # the CURIE names the same node as the IRI
        else:
            nxg = neighbourhood(nxg, focus_id, depth)
    if types is not None:
        wanted = set(types)
        nxg = nxg.subgraph([n for n, d in nxg.nodes(data=True) if d.get("type") in wanted or n == focus_id]).copy()
    return nxg


def kb_node(kb: KnowledgeBase, node: str) -> NodeAttributes:
    node = _iri(kb, node)
    return {"label": kb.label(node), "type": kb.type_of(node), "synonyms": kb.synonyms(node), "xrefs": kb.xrefs(node)}


def evidence_dict(kb: KnowledgeBase, finding: str) -> EvidenceJSON:
    """One finding's evidence, with a browsable address for each source."""
    return evidence_json(kb.evidence(_iri(kb, finding)))


def evidence_json(ev: Evidence) -> EvidenceJSON:
    """An :class:`~tkigraph.model.Evidence` as the pages show it (sources with their https address)."""
    return {
        "finding": ev.finding, "effect": ev.effect.replace("_", " "), "level": ev.level, "statement": ev.statement,
        "variant": ev.variant.label, "drug": ev.drug.label,
        "disease": ev.disease.label if ev.disease else None,
        "mechanism": ev.mechanism.label if ev.mechanism else None,
        "ic50_fold_change": ev.ic50_fold_change, "negated": ev.negated, "unverified": ev.unverified,
        "sources": _sources(ev),
    }


def _sources(ev: Evidence) -> list[SourceJSON]:
    """Each source of a finding with its https link (PubMed, DOI, label, guideline) and its date as the
    graph holds it (a year or a full date), as the text, markdown and JSON of ``explain`` give them."""
    if ev.refs:
        return [{"id": r.id, "citation": c, "url": r.url, "date": r.date, "kind": r.kind}
                for r, c in zip(ev.refs, ev.citations)]
    return [{"id": s, "citation": c, "url": source_url(s), "date": None, "kind": "publication"}
            for s, c in zip(ev.sources, ev.citations)]


def graph_data(kb: KnowledgeBase, sub: nx.MultiDiGraph[str] | Projection, *, title: str = "tkigraph",
               focus: str | None = None) -> dict[str, Any]:
    """The JSON the page embeds: nodes, edges, the evidence of findings, styles, and what was asked."""
    from ..graph import Projection

    node_items: list[tuple[str, dict[str, Any]]]
    edge_items: list[tuple[str, str, str, dict[str, Any]]]
    if isinstance(sub, Projection):
        node_items = list(sub.nodes.items())
        edge_items = [(s, o, key, data) for (s, o, key), data in sub.edges.items()]
    else:
        node_items = list(sub.nodes.items())
        edge_items = list(sub.edges(keys=True, data=True))
    findings = {n for n, d in node_items if d.get("type") == "finding"}
    for *_, data in edge_items:
        findings.update(data.get("findings", ()))
    nodes = [{"id": n, "label": d.get("label", n), "type": d.get("type", "thing") if d.get("type") in NODE_STYLE
              else "thing", "synonyms": list(d.get("synonyms", ())), "xrefs": list(d.get("xrefs", ()))}
             for n, d in sorted(node_items, key=lambda item: item[0])]
    evidence = {f: evidence_dict(kb, f) for f in sorted(findings)}
    edges: list[dict[str, object]] = []
    for i, (s, o, key, d) in enumerate(sorted(edge_items, key=lambda e: e[:3])):
        effect = evidence[s]["effect"] if s in evidence else None
        edge: dict[str, object] = {"id": f"e{i}", "from": s, "to": o, "predicate": key, "kind": edge_kind(key, effect)}
        if "findings" in d:
            edge["findings"] = list(d["findings"])
            edge["level"] = _level_name(d.get("level"))
        edges.append(edge)
    return {
        "meta": {"title": title, "focus": focus, "version": __version__},
        "nodes": nodes, "edges": edges,
        "evidence": evidence,
        "styles": {"types": {t: {"colour": c, "shape": s} for t, (c, s) in NODE_STYLE.items()},
                   "kinds": {k: {"colour": c, "label": lab} for k, (c, lab) in EDGE_KINDS.items()}},
    }


def _level_name(level: str | None) -> str | None:
    """The strongest evidence level of an edge as the page shows it ("clinical"), from its CURIE."""
    found = LEVEL_OF.get(expand_iri(level) or "") if level else None
    return found.value if found is not None else level


def graph_page(kb: KnowledgeBase, sub: nx.MultiDiGraph[str] | Projection | None = None, *, title: str = "tkigraph",
               focus: str | None = None, max_nodes: int = 0, **selection: Unpack[Narrowing]) -> str:
    """The complete HTML page for ``sub`` (or for :func:`select` with ``selection``): at most
    ``max_nodes`` nodes (0: all), laid out in layers before the page opens."""
    from .layered import cap, layered_layout

    if sub is None:
        sub = select(kb, **selection)
    data = layered_layout(cap(graph_data(kb, sub, title=title, focus=focus), max_nodes))
    return page("graph", title, data)


