"""Counts and descriptions: what ``tkigraph stats`` and ``tkigraph show`` report."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .model import KnowledgeBase, Node
from .namespaces import RDF, curie
from .reader import is_iri

__all__ = ["stats", "describe", "INVERSE_NAMES"]

#: predicate (CURIE) -> how its incoming edges read on the object's page
INVERSE_NAMES = {
    "tkigraph:confersResistanceTo": "resisted by (variants conferring resistance)",
    "tkigraph:reducesSensitivityTo": "less active against (reduced sensitivity)",
    "tkigraph:retainsSensitivityTo": "active against (sensitive variants)",
    "tkigraph:inhibits": "inhibited by",
    "tkigraph:variantOf": "variants",
    "tkigraph:memberOf": "member genes",
    "tkigraph:indicatedFor": "approved drugs",
    "tkigraph:parentVariant": "includes",
    "tkigraph:hasComponent": "part of compound variants",
    "tkigraph:fusionPartner": "fusions",
    "tkigraph:fivePrimePartner": "fusions (5' partner)",
    "tkigraph:threePrimePartner": "fusions (3' partner)",
    "tkigraph:hasComponentDrug": "part of combinations",
    "skos:broader": "narrower",
    "tkigraph:supports": "supported by (findings)",
}
#: incoming predicates (CURIEs) counted, not listed, on an entity's page
COUNTED = {"tkigraph:variant": "findings about it", "tkigraph:drug": "findings about it", "tkigraph:disease": "findings in it",
           "tkigraph:mechanism": "findings", "tkigraph:evidenceLevel": "findings", "tkigraph:effect": "findings"}
#: outgoing predicates (CURIEs) shown elsewhere on the page (type, synonyms, identifiers)
NOT_LISTED = {"rdf:type", "skos:altLabel", "skos:exactMatch"}


_COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
_COUNT_CLASSES = "SELECT ?key (COUNT(*) AS ?n) WHERE { ?s a ?key } GROUP BY ?key"
_COUNT_PREDICATES = "SELECT ?key (COUNT(*) AS ?n) WHERE { ?s ?key ?o } GROUP BY ?key"


def stats(kb: KnowledgeBase) -> dict[str, Any]:
    """Triples, and counts by class (rdf:type) and by predicate, counted by the store (bounded memory)."""
    from .reader import select

    store = kb.store
    if store is None:
        raise TypeError("stats() counts in an Oxigraph store: open the knowledge base with tkigraph.storage.oxigraph.open_kb")

    def counts(query: str) -> dict[str, int]:
        found = Counter({curie(row["key"].value): int(row["n"].value) for row in select(store, query)})
        return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))

    return {
        "triples": int(next(iter(select(store, _COUNT_TRIPLES)))["n"].value),
        "classes": counts(_COUNT_CLASSES),
        "predicates": counts(_COUNT_PREDICATES),
    }


def describe(kb: KnowledgeBase, node: Node) -> dict[str, Any]:
    """Everything known about one entity: names, identifiers, neighbours in and out."""
    g = kb.graph
    outgoing: dict[str, list[str]] = {}
    for p, o in sorted(g.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
        if curie(p) in NOT_LISTED:
            continue
        outgoing.setdefault(kb.label(p), []).append(kb.label(o) if is_iri(o) else str(o))
    incoming: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    for s, p in g.subject_predicates(node):
        if curie(p) in COUNTED:
            counts[COUNTED[curie(p)]] += 1
            continue
        name = INVERSE_NAMES.get(curie(p), f"{kb.label(p)} (from)")
        incoming.setdefault(name, []).append(kb.label(s))
    return {
        "id": curie(node),
        "label": kb.label(node),
        "type": kb.type_of(node),
        "types": sorted(curie(t) for t in g.objects(node, RDF.type)),
        "synonyms": kb.synonyms(node),
        "identifiers": kb.xrefs(node),
        "properties": outgoing,
        "incoming": {k: sorted(set(v)) for k, v in sorted(incoming.items())},
        "counts": dict(counts),
    }
