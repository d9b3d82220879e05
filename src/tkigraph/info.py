"""Counts and descriptions: what ``tkigraph stats`` and ``tkigraph show`` report."""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef

from .model import KnowledgeBase
from .namespaces import RDF, SKOS, TKG, curie

__all__ = ["stats", "describe", "INVERSE_NAMES"]

#: predicate -> how its incoming edges read on the object's page
INVERSE_NAMES = {
    TKG.confersResistanceTo: "resisted by (variants conferring resistance)",
    TKG.reducesSensitivityTo: "less active against (reduced sensitivity)",
    TKG.retainsSensitivityTo: "active against (sensitive variants)",
    TKG.inhibits: "inhibited by",
    TKG.variantOf: "variants",
    TKG.memberOf: "member genes",
    TKG.indicatedFor: "approved drugs",
    TKG.parentVariant: "includes",
    TKG.hasComponent: "part of compound variants",
    TKG.fusionPartner: "fusions",
    TKG.fivePrimePartner: "fusions (5' partner)",
    TKG.threePrimePartner: "fusions (3' partner)",
    TKG.hasComponentDrug: "part of combinations",
    SKOS.broader: "narrower",
}
#: incoming predicates counted, not listed, on an entity's page
COUNTED = {TKG.variant: "findings about it", TKG.drug: "findings about it", TKG.disease: "findings in it",
           TKG.mechanism: "findings", TKG.evidenceLevel: "findings", TKG.effect: "findings"}


def stats(kb: KnowledgeBase) -> dict:
    """Triples, and counts by class (rdf:type) and by predicate, as SPARQL would count them."""
    g = kb.graph
    classes = Counter(curie(o) for o in g.objects(None, RDF.type))
    predicates = Counter(curie(p) for p in g.predicates())
    return {
        "triples": len(g),
        "classes": dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
        "predicates": dict(sorted(predicates.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def describe(kb: KnowledgeBase, node: URIRef) -> dict:
    """Everything known about one entity: names, identifiers, neighbours in and out."""
    g = kb.graph
    outgoing: dict[str, list[str]] = {}
    for p, o in sorted(g.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
        if p in (RDF.type,) or p in (SKOS.altLabel, SKOS.exactMatch):
            continue
        name = kb.label(p)
        outgoing.setdefault(name, []).append(kb.label(o) if isinstance(o, URIRef) else str(o))
    incoming: dict[str, list[str]] = {}
    counts: Counter = Counter()
    for s, p in g.subject_predicates(node):
        if p in COUNTED:
            counts[COUNTED[p]] += 1
            continue
        name = INVERSE_NAMES.get(p, f"{kb.label(p)} (from)")
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
