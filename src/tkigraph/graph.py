"""The networkx projection of the RDF graph, and its neighbourhood and path queries.

:func:`to_networkx` turns the rdflib graph into a :class:`networkx.MultiDiGraph`:

* **Nodes** are entity CURIEs (``tkd:imatinib``, ``tkd:BCR-ABL1_T315I``,
  ``pubmed:15930355``, ``tkigraph:Gatekeeper``) with attributes ``label``, ``type``
  (drug, kinase, fusion, gene, variant, finding, pathway, disease, mechanism,
  publication, concept), ``synonyms`` and ``xrefs`` (external identifiers from
  ``skos:exactMatch``, kept as attributes rather than nodes).
* **Edges** run subject -> object for every triple whose object is another
  entity of the graph, keyed and labelled by the predicate's CURIE
  (``predicate`` attribute). ``rdf:type``, ``skos:exactMatch``, ``skos:inScheme``
  and schema triples are not projected.
* **Findings** are nodes (an n-ary association) with edges ``tkigraph:variant``,
  ``tkigraph:drug``, ``tkigraph:disease``, ``tkigraph:effect``, ``tkigraph:mechanism``,
  ``tkigraph:evidenceLevel`` and ``dcterms:source``. The derived direct edges
  (``tkigraph:confersResistanceTo``, ``tkigraph:reducesSensitivityTo``,
  ``tkigraph:retainsSensitivityTo``, variant -> drug) carry the evidence behind them:
  ``findings`` (CURIEs), ``sources`` (CURIEs) and ``level`` (the strongest).
* **Claims** (``tkigraph:Claim``, derived: what several findings say alike) are not nodes: the
  findings already carry what a claim says, and a claim has no name of its own. A finding
  node's ``claim`` attribute names its claim (a CURIE), so findings can be grouped by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import DERIVED_PREDICATE, EFFECT_NAME, LEVEL_RANK, KnowledgeBase
from .namespaces import DCTERMS, RDF, TKG, curie, iri_of
from .reader import is_iri

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Projection", "project", "to_networkx", "neighbourhood", "shortest_path", "SKIPPED", "SCHEMA_TYPES"]

#: predicates (CURIEs) that are never edges of the projection
SKIPPED = ("rdf:type", "skos:exactMatch", "skos:inScheme", "rdfs:subClassOf", "rdfs:subPropertyOf",
           "rdfs:domain", "rdfs:range", "skos:closeMatch", "owl:versionInfo", "dcterms:license")

#: classes (CURIEs) whose instances are schema terms, not entities
SCHEMA_TYPES = ("owl:Class", "owl:ObjectProperty", "owl:DatatypeProperty", "skos:ConceptScheme", "owl:Ontology")
#: classes whose instances are derived groupings, kept off the projection (see the module docstring)
DERIVED_TYPES = ("tkigraph:Claim",)


@dataclass
class Projection:
    """The projection as plain data: node CURIE -> attributes, and (subject, object, key) -> attributes.

    :func:`to_networkx` wraps it in a MultiDiGraph; commands that draw the whole
    graph use it as it is (no networkx needed).
    """

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)


def project(kb: KnowledgeBase) -> Projection:
    """Project the knowledge base as the module docstring says."""
    g = kb.graph
    out = Projection()
    schema = {s for cls in (*SCHEMA_TYPES, *DERIVED_TYPES) for s in g.subjects(RDF.type, iri_of(cls))}
    subjects = {s for s in g.subjects(unique=True) if is_iri(s)} - schema
    supports = iri_of("tkigraph:supports")
    for node in subjects:
        out.nodes[curie(node)] = {"label": kb.label(node), "type": kb.type_of(node),
                                  "synonyms": kb.synonyms(node), "xrefs": kb.xrefs(node)}
        claim = g.value(node, supports)
        if claim is not None:
            out.nodes[curie(node)]["claim"] = curie(claim)
    skipped = {iri_of(p) for p in SKIPPED} | set(DERIVED_PREDICATE.values())
    for s, p, o in g.triples((None, None, None)):
        if p in skipped or s not in subjects or not is_iri(o) or o not in subjects:
            continue
        key = curie(p)
        out.edges[curie(s), curie(o), key] = {"predicate": key}
    _add_derived(kb, out)
    return out


def to_networkx(kb: KnowledgeBase) -> nx.MultiDiGraph[str]:
    """The projection of the knowledge base as a MultiDiGraph."""
    import networkx as nx

    projection = project(kb)
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    out.add_nodes_from(projection.nodes.items())
    # types-networkx knows only (u, v) and (u, v, data); MultiGraph.add_edges_from takes (u, v, key, data) too
    out.add_edges_from((s, o, key, data) for (s, o, key), data in projection.edges.items())  # type: ignore[misc]
    return out


def _add_derived(kb: KnowledgeBase, out: Projection) -> None:
    """Direct variant -> drug edges with the findings, sources and best level behind them."""
    g = kb.graph
    T = TKG
    for finding in sorted(kb.findings_of(), key=str):
        if (finding, T.negated, True) in g:
            continue
        effect = EFFECT_NAME.get(g.value(finding, T.effect) or "")
        predicate = DERIVED_PREDICATE.get(effect) if effect is not None else None
        variant, drug = g.value(finding, T.variant), g.value(finding, T.drug)
        if predicate is None or variant is None or drug is None:
            continue
        edge = (curie(variant), curie(drug), curie(predicate))
        if edge not in out.edges:
            out.edges[edge] = {"predicate": edge[2], "findings": [], "sources": [], "level": None, "level_rank": 9}
        data = out.edges[edge]
        data["findings"].append(curie(finding))
        data["sources"].extend(curie(x) for x in g.objects(finding, DCTERMS.source))
        level = g.value(finding, T.evidenceLevel)
        if level is not None and LEVEL_RANK.get(str(level), 9) < data["level_rank"]:
            data["level"], data["level_rank"] = curie(level), LEVEL_RANK[str(level)]


def neighbourhood(nxg: nx.MultiDiGraph[str], node: str, depth: int = 1) -> nx.MultiDiGraph[str]:
    """The subgraph within ``depth`` steps of ``node``, ignoring edge direction."""
    import networkx as nx

    undirected = nxg.to_undirected(as_view=True)
    keep = nx.single_source_shortest_path_length(undirected, node, cutoff=depth)
    return nxg.subgraph(keep).copy()


def shortest_path(nxg: nx.MultiDiGraph[str], source: str, target: str) -> list[str]:
    """The shortest path between two nodes, ignoring edge direction ([] if none)."""
    import networkx as nx

    try:
        return nx.shortest_path(nxg.to_undirected(as_view=True), source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
