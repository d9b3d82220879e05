"""The networkx projection of the RDF graph, and its neighbourhood and path queries.

:func:`to_networkx` turns the rdflib graph into a :class:`networkx.MultiDiGraph`:

* **Nodes** are entity CURIEs (``tkd:imatinib``, ``tkd:BCR-ABL1_T315I``,
  ``pubmed:15930355``, ``tkg:Gatekeeper``) with attributes ``label``, ``type``
  (drug, kinase, fusion, gene, variant, finding, pathway, disease, mechanism,
  publication, concept), ``synonyms`` and ``xrefs`` (external identifiers from
  ``skos:exactMatch``, kept as attributes rather than nodes).
* **Edges** run subject -> object for every triple whose object is another
  entity of the graph, keyed and labelled by the predicate's CURIE
  (``predicate`` attribute). ``rdf:type``, ``skos:exactMatch``, ``skos:inScheme``
  and schema triples are not projected.
* **Findings** are nodes (an n-ary association) with edges ``tkg:variant``,
  ``tkg:drug``, ``tkg:disease``, ``tkg:effect``, ``tkg:mechanism``,
  ``tkg:evidenceLevel`` and ``dcterms:source``. The derived direct edges
  (``tkg:confersResistanceTo``, ``tkg:reducesSensitivityTo``,
  ``tkg:retainsSensitivityTo``, variant -> drug) carry the evidence behind them:
  ``findings`` (CURIEs), ``sources`` (CURIEs) and ``level`` (the strongest).
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph, Literal, URIRef

from .model import LEVEL_RANK, KnowledgeBase
from .namespaces import DCTERMS, OWL, RDF, RDFS, SKOS, TKG, curie
from .store import EFFECT_PREDICATE

__all__ = ["to_networkx", "neighbourhood", "shortest_path"]

#: predicates that are never edges of the projection
SKIPPED = {RDF.type, SKOS.exactMatch, SKOS.inScheme, RDFS.subClassOf, RDFS.subPropertyOf,
           RDFS.domain, RDFS.range, SKOS.closeMatch, OWL.versionInfo, DCTERMS.license}


#: classes whose instances are schema terms, not entities
SCHEMA_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme, OWL.Ontology)


def to_networkx(graph: Graph | KnowledgeBase) -> nx.MultiDiGraph:
    """Project ``graph`` into a MultiDiGraph as described in the module docstring."""
    kb = graph if isinstance(graph, KnowledgeBase) else KnowledgeBase(graph)
    g = kb.graph
    out = nx.MultiDiGraph()
    schema = {s for cls in SCHEMA_TYPES for s in g.subjects(RDF.type, cls)}
    subjects = {s for s in g.subjects(unique=True) if isinstance(s, URIRef)} - schema
    for node in subjects:
        out.add_node(curie(node), label=kb.label(node), type=kb.type_of(node),
                     synonyms=kb.synonyms(node), xrefs=kb.xrefs(node))
    derived = set(EFFECT_PREDICATE.values())
    for s, p, o in g:
        if p in SKIPPED or p in derived or s not in subjects or not isinstance(o, URIRef):
            continue
        if o not in subjects:
            continue
        out.add_edge(curie(s), curie(o), key=curie(p), predicate=curie(p))
    _add_derived(kb, out)
    return out


def _add_derived(kb: KnowledgeBase, out: nx.MultiDiGraph) -> None:
    """Direct variant -> drug edges with the findings, sources and best level behind them."""
    g = kb.graph
    for finding in kb.findings_of():
        if (finding, TKG.negated, Literal(True)) in g:
            continue
        predicate = EFFECT_PREDICATE.get(g.value(finding, TKG.effect))
        variant, drug = g.value(finding, TKG.variant), g.value(finding, TKG.drug)
        if predicate is None or variant is None or drug is None:
            continue
        s, o, key = curie(variant), curie(drug), curie(predicate)
        if not out.has_edge(s, o, key):
            out.add_edge(s, o, key=key, predicate=key, findings=[], sources=[], level=None, level_rank=9)
        data = out.edges[s, o, key]
        data["findings"].append(curie(finding))
        data["sources"].extend(curie(x) for x in g.objects(finding, DCTERMS.source))
        level = g.value(finding, TKG.evidenceLevel)
        if level is not None and LEVEL_RANK.get(level, 9) < data["level_rank"]:
            data["level"], data["level_rank"] = curie(level), LEVEL_RANK[level]


def neighbourhood(nxg: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The subgraph within ``depth`` steps of ``node``, ignoring edge direction."""
    undirected = nxg.to_undirected(as_view=True)
    keep = nx.single_source_shortest_path_length(undirected, node, cutoff=depth)
    return nxg.subgraph(keep).copy()


def shortest_path(nxg: nx.MultiDiGraph, source: str, target: str) -> list[str]:
    """The shortest path between two nodes, ignoring edge direction ([] if none)."""
    try:
        return nx.shortest_path(nxg.to_undirected(as_view=True), source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
