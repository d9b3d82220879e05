"""Typed records read from the RDF graph, and the small read-only view that makes them.

:class:`KnowledgeBase` wraps an rdflib graph with the look-ups every command
needs (label, type, findings of a variant ...). Records are plain frozen
dataclasses whose ``id`` is always a CURIE, never a position or a tuple.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property

from rdflib import Graph, Literal, URIRef

from .namespaces import DCTERMS, RDF, RDFS, SKOS, TKG, curie

__all__ = ["Entity", "Evidence", "KnowledgeBase", "NODE_TYPES", "LEVEL_RANK"]

#: rdf:type -> node type name, most specific first (first match wins)
NODE_TYPES: tuple[tuple[URIRef, str], ...] = (
    (TKG.Finding, "finding"),
    (TKG.Drug, "drug"),
    (TKG.Fusion, "fusion"),
    (TKG.Kinase, "kinase"),
    (TKG.Gene, "gene"),
    (TKG.Variant, "variant"),
    (TKG.Pathway, "pathway"),
    (TKG.Disease, "disease"),
    (TKG.Mechanism, "mechanism"),
    (TKG.Publication, "publication"),
    (SKOS.Concept, "concept"),
)

#: evidence level -> rank (1 is strongest)
LEVEL_RANK: dict[URIRef, int] = {
    TKG.GuidelineOrLabel: 1,
    TKG.Clinical: 2,
    TKG.PreclinicalInVivo: 3,
    TKG.InVitro: 4,
}

#: effect concept -> the short name used in JSON output
EFFECT_NAME: dict[URIRef, str] = {
    TKG.Resistant: "resistant",
    TKG.ReducedSensitivity: "reduced_sensitivity",
    TKG.Sensitive: "sensitive",
}


@dataclass(frozen=True)
class Entity:
    """A node of the graph: CURIE, label and type."""

    id: str
    label: str
    type: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Evidence:
    """One finding with its source, as shown to a user."""

    finding: str
    variant: Entity
    drug: Entity
    effect: str
    level: str
    level_rank: int
    mechanism: Entity | None
    disease: Entity | None
    sources: tuple[str, ...]
    citations: tuple[str, ...]
    statement: str
    ic50_fold_change: float | None = None
    negated: bool = False
    origin: str = "curated"
    unverified: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict:
        return {
            "finding": self.finding,
            "source": self.sources[0] if self.sources else None,
            "sources": list(self.sources),
            "citation": "; ".join(self.citations),
            "level": self.level,
            "effect": self.effect,
            "disease": self.disease.label if self.disease else None,
            "variant": self.variant.label,
            "statement": self.statement,
            "ic50_fold_change": self.ic50_fold_change,
            "mechanism": self.mechanism.label if self.mechanism else None,
            "negated": self.negated,
            "origin": self.origin,
            "unverified": self.unverified,
        }


class KnowledgeBase:
    """A read-only view over an rdflib graph of the tkigraph ontology."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    # -- basic look-ups ---------------------------------------------------
    def label(self, node) -> str:
        value = self.graph.value(node, RDFS.label) or self.graph.value(node, SKOS.prefLabel)
        if value is not None:
            return str(value)
        if (node, RDF.type, TKG.Finding) in self.graph:
            return self.finding_label(node)
        if (node, DCTERMS.title, None) in self.graph:
            return self.citation(node)
        return curie(node)

    def type_of(self, node) -> str:
        types = set(self.graph.objects(node, RDF.type))
        for cls, name in NODE_TYPES:
            if cls in types or any(self._is_subclass(t, cls) for t in types):
                return name
        return "thing"

    @cached_property
    def _subclass_closure(self) -> dict:
        closure: dict = {}
        for sub, sup in self.graph.subject_objects(RDFS.subClassOf):
            closure.setdefault(sub, set()).add(sup)
        changed = True
        while changed:
            changed = False
            for sub, sups in closure.items():
                extra = set().union(*(closure.get(s, set()) for s in sups)) - sups
                if extra:
                    sups |= extra
                    changed = True
        return closure

    def _is_subclass(self, cls, sup) -> bool:
        return sup in self._subclass_closure.get(cls, ())

    def instances(self, cls: URIRef) -> set:
        """Instances of ``cls`` and of its subclasses."""
        classes = {cls} | {c for c, sups in self._subclass_closure.items() if cls in sups}
        return {s for c in classes for s in self.graph.subjects(RDF.type, c)}

    def entity(self, node) -> Entity:
        return Entity(curie(node), self.label(node), self.type_of(node))

    def synonyms(self, node) -> list[str]:
        return sorted(str(v) for v in self.graph.objects(node, SKOS.altLabel))

    def xrefs(self, node) -> list[str]:
        return sorted(curie(v) for v in self.graph.objects(node, SKOS.exactMatch))

    # -- publications -----------------------------------------------------
    def citation(self, pub) -> str:
        """'O'Hare T 2005, Cancer Res' (or the label of a drug label or guideline)."""
        g = self.graph
        label = g.value(pub, RDFS.label)
        if label is not None:
            return str(label)
        parts = [str(v) for v in (g.value(pub, TKG.firstAuthor), g.value(pub, DCTERMS.date)) if v is not None]
        journal = g.value(pub, TKG.journal)
        text = " ".join(parts) + (f", {journal}" if journal is not None else "")
        return text or curie(pub)

    def is_unverified(self, pub) -> bool:
        return (pub, TKG.verification, TKG.Unverified) in self.graph

    # -- findings ---------------------------------------------------------
    def finding_label(self, finding) -> str:
        g = self.graph
        variant, drug, effect = (g.value(finding, p) for p in (TKG.variant, TKG.drug, TKG.effect))
        name = EFFECT_NAME.get(effect, "?").replace("_", " ")
        return f"{self.label(variant) if variant else '?'} / {self.label(drug) if drug else '?'}: {name}"

    def findings_of(self, variant=None, drug=None) -> Iterator[URIRef]:
        """Findings about ``variant`` and/or ``drug``."""
        g = self.graph
        if variant is not None:
            candidates: Iterable = g.subjects(TKG.variant, variant)
            return (f for f in candidates if drug is None or (f, TKG.drug, drug) in g)
        if drug is not None:
            return iter(g.subjects(TKG.drug, drug))
        return iter(g.subjects(RDF.type, TKG.Finding))

    def evidence(self, finding) -> Evidence:
        g = self.graph
        value = g.value
        sources = sorted(g.objects(finding, DCTERMS.source), key=str)
        level = value(finding, TKG.evidenceLevel)
        fold = value(finding, TKG.ic50FoldChange)
        disease = value(finding, TKG.disease)
        mechanism = value(finding, TKG.mechanism)
        origin = value(finding, DCTERMS.publisher)
        return Evidence(
            finding=curie(finding),
            variant=self.entity(value(finding, TKG.variant)),
            drug=self.entity(value(finding, TKG.drug)),
            effect=EFFECT_NAME.get(value(finding, TKG.effect), "unknown"),
            level=self.label(level) if level is not None else "unknown",
            level_rank=LEVEL_RANK.get(level, 9),
            mechanism=self.entity(mechanism) if mechanism is not None else None,
            disease=self.entity(disease) if disease is not None else None,
            sources=tuple(curie(s) for s in sources),
            citations=tuple(self.citation(s) for s in sources),
            statement=str(value(finding, TKG.statement) or ""),
            ic50_fold_change=float(fold) if isinstance(fold, Literal) else None,
            negated=(finding, TKG.negated, Literal(True)) in g,
            origin=str(origin) if origin is not None else "curated",
            unverified=any(self.is_unverified(s) for s in sources),
        )
