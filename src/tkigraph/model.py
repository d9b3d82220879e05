"""Typed records read from the knowledge base, and the read-only object that makes them.

:class:`KnowledgeBase` wraps the one reader of the Oxigraph store
(:class:`tkigraph.reader.Reader`) with the look-ups every command needs (label,
type, findings of a variant ...). Nodes are plain-string IRIs, compared with the
terms of :mod:`tkigraph.namespaces`. Records are plain frozen dataclasses whose
``id`` is always a CURIE, never a position or a tuple.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, SupportsFloat

from .namespaces import DCTERMS, RDF, RDFS, RECORD_PAGES, SKOS, TKG, curie, iri_of

if TYPE_CHECKING:
    from pathlib import Path

    import pyoxigraph as ox

    from .reader import Reader

__all__ = ["Entity", "Evidence", "Citation", "Effect", "Level", "Phase", "KnowledgeBase", "Node", "NODE_TYPES",
           "LEVEL_RANK", "EFFECT_NAME", "PHASE_OF", "DERIVED_PREDICATE", "source_url", "record_of"]

#: a node of the graph: a plain-string IRI (or a :class:`tkigraph.reader.Blank`)
Node = str

_T = TKG

#: rdf:type (CURIE) -> node type name, most specific first (first match wins)
NODE_TYPES: tuple[tuple[str, str], ...] = (
    ("tkigraph:Finding", "finding"),
    ("tkigraph:Claim", "claim"),
    ("tkigraph:Drug", "drug"),
    ("tkigraph:Fusion", "fusion"),
    ("tkigraph:Kinase", "kinase"),
    ("tkigraph:Gene", "gene"),
    ("tkigraph:Variant", "variant"),
    ("tkigraph:Pathway", "pathway"),
    ("tkigraph:Disease", "disease"),
    ("tkigraph:Mechanism", "mechanism"),
    ("tkigraph:Publication", "publication"),
    ("skos:Concept", "concept"),
)

class Effect(StrEnum):
    """What a variant does to a drug's activity (the tkigraph:EffectScheme), as JSON names it."""

    RESISTANT = "resistant"
    REDUCED = "reduced_sensitivity"
    SENSITIVE = "sensitive"
    UNKNOWN = "unknown"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


class Level(StrEnum):
    """The kind of evidence (the tkigraph:EvidenceLevelScheme), strongest first; ``rank`` 1 is strongest."""

    GUIDELINE_OR_LABEL = "guideline or label"
    CLINICAL = "clinical"
    IN_VIVO = "preclinical in vivo"
    IN_VITRO = "in vitro"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        return _LEVEL_ORDER.index(self) + 1 if self in _LEVEL_ORDER else 9


_LEVEL_ORDER = (Level.GUIDELINE_OR_LABEL, Level.CLINICAL, Level.IN_VIVO, Level.IN_VITRO)

class Phase(StrEnum):
    """Allelic phase of a compound variant (the tkigraph:PhaseScheme); the variant parser's "cis" and "trans"
    are its values."""

    CIS = "cis"
    TRANS = "trans"
    UNKNOWN = "unknown"


#: phase concept IRI (the object of tkigraph:phase) -> the Phase it names; look up with ``str(term)``
PHASE_OF: dict[str, Phase] = {_T.Cis: Phase.CIS, _T.Trans: Phase.TRANS, _T.PhaseUnknown: Phase.UNKNOWN}

#: evidence level IRI -> the Level it names; look up with ``str(term)``
LEVEL_OF: dict[str, Level] = {
    _T.GuidelineOrLabel: Level.GUIDELINE_OR_LABEL,
    _T.Clinical: Level.CLINICAL,
    _T.PreclinicalInVivo: Level.IN_VIVO,
    _T.InVitro: Level.IN_VITRO,
}

#: evidence level IRI -> rank (1 is strongest); look up with ``str(term)``
LEVEL_RANK: dict[str, int] = {
    _T.GuidelineOrLabel: 1,
    _T.Clinical: 2,
    _T.PreclinicalInVivo: 3,
    _T.InVitro: 4,
}

#: effect -> the direct variant -> drug predicate the derive rule (``tkigraph/sparql/derive.ru``) gives a
#: non-negated finding of that effect (a test checks the rule's VALUES block says the same)
DERIVED_PREDICATE: dict[Effect, str] = {
    Effect.RESISTANT: _T.confersResistanceTo,
    Effect.REDUCED: _T.reducesSensitivityTo,
    Effect.SENSITIVE: _T.retainsSensitivityTo,
}

#: effect concept IRI -> the short name used in JSON output; look up with ``str(term)``
EFFECT_NAME: dict[str, Effect] = {
    _T.Resistant: Effect.RESISTANT,
    _T.ReducedSensitivity: Effect.REDUCED,
    _T.Sensitive: Effect.SENSITIVE,
}

_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s;,()]+[^\s;,().])")


def source_url(source: str) -> str | None:
    """A browsable https address of a source CURIE (PubMed, DOI, CIViC), or None.

    >>> source_url("pubmed:16424036")
    'https://pubmed.ncbi.nlm.nih.gov/16424036/'
    >>> source_url("doi:10.1200/JCO.18.02236")
    'https://doi.org/10.1200/JCO.18.02236'
    """
    prefix, _, local = source.partition(":")
    if prefix == "pubmed" and local.isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{local}/"
    if prefix == "doi" and local:
        from urllib.parse import quote

        return "https://doi.org/" + quote(local, safe="/()._-;:")
    if prefix == "civic.eid" and local.isdigit():
        return f"https://civicdb.org/links/evidence_items/{local}"
    if source.startswith("https://"):
        return source
    return None


#: a source record's identifier (``dcterms:identifier`` of an imported finding) -> (source, page of the record)
_RECORDS = ((re.compile(r"EID(\d+)"), "civic"), (re.compile(r"moalmanac:(\d+)"), "moalmanac"))
_SOURCE_NAMES = {"civic": "CIViC", "moalmanac": "MOAlmanac"}


def record_of(identifier: str) -> Citation | None:
    """The source record an imported finding's identifier names, with the record's page.

    >>> record_of("EID1234").url
    'https://civicdb.org/links/evidence_items/1234'
    >>> record_of("moalmanac:17").text
    'MOAlmanac assertion 17'
    """
    for pattern, source in _RECORDS:
        found = pattern.fullmatch(identifier)
        if found:
            words = identifier if source == "civic" else f"assertion {found.group(1)}"
            page = RECORD_PAGES[source].format(found.group(1))
            return Citation(identifier, f"{_SOURCE_NAMES[source]} {words}", page, None, source)
    return None


@dataclass(frozen=True)
class Citation:
    """One source of a finding: its CURIE, how to cite it, where to read it and when it appeared."""

    id: str
    text: str
    url: str | None = None
    date: str | None = None  # as the graph gives it: "2019", "2019-05" or "2019-05-14"
    kind: str = "publication"  # publication | label | guideline

    @property
    def year(self) -> int | None:
        found = re.match(r"\d{4}", self.date or "")
        return int(found.group()) if found else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return self.text + (f" <{self.url}>" if self.url else "")


@dataclass(frozen=True)
class Entity:
    """A node of the graph: CURIE, label and type."""

    id: str
    label: str
    type: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Evidence:
    """One finding with its source, as shown to a user."""

    finding: str
    variant: Entity
    drug: Entity
    effect: Effect
    level: Level
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
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    refs: tuple[Citation, ...] = ()
    #: the source's own records behind an imported finding (CIViC EIDs, MOAlmanac assertions), with their pages
    records: tuple[Citation, ...] = ()
    #: the claim the finding supports (tkigraph:supports, derived): findings of one claim say the same thing
    claim: str | None = None
    #: the share of the source's progressing patients with the alteration (tkigraph:frequency), and of how many
    frequency: float | None = None
    cohort_size: int | None = None

    @property
    def frequency_text(self) -> str | None:
        """'16%' or '19% (n=57)', as the source published it; None without a tkigraph:frequency."""
        if self.frequency is None:
            return None
        share = f"{self.frequency * 100:.0f}%"
        return f"{share} (n={self.cohort_size})" if self.cohort_size else share

    @property
    def year(self) -> int:
        """The year of the newest source (0 when no source is dated): the recency of the finding."""
        return max((r.year or 0 for r in self.refs), default=0)

    @property
    def links(self) -> tuple[str, ...]:
        return tuple(r.url for r in self.refs if r.url)

    @property
    def record_text(self) -> str:
        """'CIViC EID1234 <https://civicdb.org/links/evidence_items/1234>' for each source record, or ''."""
        return "; ".join(str(r) for r in self.records)

    def cite(self) -> str:
        """'Shaw AT 2019, J Clin Oncol <https://doi.org/...>; ...' (links where known)."""
        if self.refs:
            return "; ".join(str(r) for r in self.refs)
        return "; ".join(self.citations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "references": [r.to_dict() for r in self.refs],
            "links": list(self.links),
            "date": max((r.date for r in self.refs if r.date), default=None),
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
            "records": [{"id": r.id, "source": r.kind, "url": r.url} for r in self.records],
            "claim": self.claim,
            "frequency": self.frequency,
            "cohort_size": self.cohort_size,
        }


class KnowledgeBase:
    """A read-only view over the knowledge base: the one reader of its Oxigraph store.

    ``graph`` is a :class:`tkigraph.reader.Reader` (a ``StoreReader`` over the
    store, or a ``SnapshotReader`` of it); :func:`tkigraph.storage.oxigraph.open_kb` makes one.
    """

    #: the Oxigraph store the graph reads, and its folder: set by :func:`tkigraph.storage.oxigraph.open_kb`, else None
    store: ox.Store | None = None
    location: Path | None = None

    def __init__(self, graph: Reader, names: dict[str, set[Node]] | None = None) -> None:
        self.graph: Reader = graph
        #: a ready name index (see tkigraph.resolve.name_index), else None: built when needed
        self.names = names
        self._labels: dict[Node, str] = {}  # the graph is read-only: labels, types and citations are remembered
        self._types: dict[Node, str] = {}
        self._entities: dict[Node, Entity] = {}
        self._citations: dict[Node, str] = {}
        self._references: dict[Node, Citation] = {}

    def remembering(self) -> KnowledgeBase:
        """The same knowledge base, reading its store through a :class:`~tkigraph.reader.RememberingReader`
        (each node's triples read once): for one command that judges many pairs of one neighbourhood. Any
        other reader (a snapshot, already in memory) is kept: then ``self``."""
        from .reader import RememberingReader, StoreReader

        if type(self.graph) is not StoreReader:
            return self
        kb = KnowledgeBase(RememberingReader(self.graph.store), self.names)
        kb.store, kb.location = self.store, self.location
        return kb

    # -- basic look-ups ---------------------------------------------------
    def label(self, node: Node) -> str:
        if node not in self._labels:
            self._labels[node] = self._label(node)
        return self._labels[node]

    def _label(self, node: Node) -> str:
        value = self.graph.value(node, RDFS.label) or self.graph.value(node, SKOS.prefLabel)
        if value is not None:
            return str(value)
        if (node, RDF.type, TKG.Finding) in self.graph:
            return self.finding_label(node)
        if (node, RDF.type, TKG.Claim) in self.graph:
            return self.claim_label(node)
        if (node, DCTERMS.title, None) in self.graph:
            return self.citation(node)
        return curie(node)

    @cached_property
    def withdrawals(self) -> dict[Node, str]:
        """Drug -> the earliest ``tkigraph:withdrawalDate`` of a label cited by a finding about it (few labels carry one)."""
        g, T = self.graph, TKG
        found: dict[Node, str] = {}
        for label, date in g.subject_objects(T.withdrawalDate):
            for finding in g.subjects(DCTERMS.source, label):
                for drug in g.objects(finding, T.drug):
                    found[drug] = min(found.get(drug, str(date)), str(date))
        return found

    @cached_property
    def _node_types(self) -> tuple[tuple[Node, str], ...]:
        return tuple((iri_of(cls), name) for cls, name in NODE_TYPES)

    def type_of(self, node: Node) -> str:
        if node not in self._types:
            types = set(self.graph.objects(node, RDF.type))
            self._types[node] = next((name for cls, name in self._node_types
                                      if cls in types or any(self._is_subclass(t, cls) for t in types)), "thing")
        return self._types[node]

    @cached_property
    def _subclass_closure(self) -> dict[Node, set[Node]]:
        closure: dict[Node, set[Node]] = {}
        for sub, sup in self.graph.subject_objects(RDFS.subClassOf):
            closure.setdefault(sub, set()).add(sup)
        changed = True
        while changed:
            changed = False
            for sups in closure.values():
                extra = set[Node]().union(*(closure.get(s, set()) for s in sups)) - sups
                if extra:
                    sups |= extra
                    changed = True
        return closure

    def _is_subclass(self, cls: Node, sup: Node) -> bool:
        return sup in self._subclass_closure.get(cls, ())

    def instances(self, cls: Node) -> set[Node]:
        """Instances of ``cls`` and of its subclasses."""
        classes = {cls} | {c for c, sups in self._subclass_closure.items() if cls in sups}
        return {s for c in classes for s in self.graph.subjects(RDF.type, c)}

    def is_a(self, node: Node, cls: Node) -> bool:
        """Whether ``node`` is an instance of ``cls`` or of one of its subclasses."""
        return any(t == cls or self._is_subclass(t, cls) for t in self.graph.objects(node, RDF.type))

    def entity(self, node: Node) -> Entity:
        found = self._entities.get(node)
        if found is None:
            found = self._entities[node] = Entity(curie(node), self.label(node), self.type_of(node))
        return found

    def synonyms(self, node: Node) -> list[str]:
        return sorted(str(v) for v in self.graph.objects(node, SKOS.altLabel))

    def xrefs(self, node: Node) -> list[str]:
        return sorted(curie(v) for v in self.graph.objects(node, SKOS.exactMatch))

    # -- publications -----------------------------------------------------
    def citation(self, pub: Node) -> str:
        """'O'Hare T 2005, Cancer Res' (or the label of a drug label or guideline)."""
        if pub not in self._citations:
            self._citations[pub] = self._citation(pub)
        return self._citations[pub]

    def _citation(self, pub: Node) -> str:
        g = self.graph
        label = g.value(pub, RDFS.label)
        if label is not None:
            return str(label)
        parts = [str(v) for v in (g.value(pub, TKG.firstAuthor), g.value(pub, DCTERMS.date)) if v is not None]
        journal = g.value(pub, TKG.journal)
        text = " ".join(parts) + (f", {journal}" if journal is not None else "")
        return text or curie(pub)

    def reference(self, pub: Node) -> Citation:
        """A source as a :class:`Citation`: text, https link where the graph gives one, date."""
        g = self.graph
        if pub not in self._references:
            ident = curie(pub)
            url = source_url(ident)
            set_id = g.value(pub, TKG.setId)
            if url is None and set_id is not None:  # a label's DailyMed page, by its set id
                url = f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"
            links = sorted(str(see) for see in g.objects(pub, RDFS.seeAlso) if str(see).startswith("https://"))
            if url is None and links:  # several: the same one every time, wherever the graph is read
                url = links[0]
            notes = sorted(str(note) for note in g.objects(pub, TKG.sourceNote)) if url is None else []
            found = next((m for m in map(_DOI_IN_TEXT.search, notes) if m), None)
            if found:
                url = source_url("doi:" + found.group(1))
            date = g.value(pub, DCTERMS.date)
            kind = ("label" if (pub, RDF.type, TKG.DrugLabel) in g else
                    "guideline" if (pub, RDF.type, TKG.Guideline) in g else "publication")
            self._references[pub] = Citation(ident, f"{self.citation(pub)} ({ident})", url,
                                             str(date) if date is not None else None, kind)
        return self._references[pub]

    def is_unverified(self, pub: Node) -> bool:
        return (pub, TKG.verification, TKG.Unverified) in self.graph

    # -- findings ---------------------------------------------------------
    def finding_label(self, finding: Node) -> str:
        g, T = self.graph, TKG
        variant, drug, effect = (g.value(finding, p) for p in (T.variant, T.drug, T.effect))
        name = EFFECT_NAME.get(str(effect), "?").replace("_", " ")
        return f"{self.label(variant) if variant else '?'} / {self.label(drug) if drug else '?'}: {name}"

    def claim_label(self, claim: Node) -> str:
        """'BCR-ABL1 T315I / imatinib: resistant, in chronic myeloid leukemia (claim of 3 findings)'."""
        g, T = self.graph, TKG
        supports = sorted(g.subjects(T.supports, claim), key=str)
        if not supports:
            return curie(claim)
        first = supports[0]
        disease = g.value(first, T.disease)
        denied = "does not support " if (first, T.negated, True) in g else ""
        variant_drug, _, effect = self.finding_label(first).rpartition(": ")
        where = f", in {self.label(disease)}" if disease is not None else ""
        return f"{variant_drug}: {denied}{effect}{where} (claim of {len(supports)} finding(s))"

    def findings_of(self, variant: Node | None = None, drug: Node | None = None) -> Iterator[Node]:
        """Findings about ``variant`` and/or ``drug``."""
        g, T = self.graph, TKG
        if variant is not None:
            candidates: Iterable[Node] = g.subjects(T.variant, variant)
            return (f for f in candidates if drug is None or (f, T.drug, drug) in g)
        if drug is not None:
            return iter(g.subjects(T.drug, drug))
        return iter(g.subjects(RDF.type, T.Finding))

    def evidence(self, finding: Node) -> Evidence:
        g = self.graph
        T = TKG
        facts: dict[str, list[Node]] = {}  # the finding's triples in one call, not one call a predicate
        for predicate, found in g.predicate_objects(finding):
            facts.setdefault(str(predicate), []).append(found)

        def value(predicate: Node) -> Node | None:
            return next(iter(facts.get(str(predicate), ())), None)

        sources = sorted(facts.get(str(DCTERMS.source), ()), key=str)
        level = value(T.evidenceLevel)
        fold = value(T.ic50FoldChange)
        disease = value(T.disease)
        mechanism = value(T.mechanism)
        origin = value(DCTERMS.publisher)
        level_name = LEVEL_OF.get(str(level), Level.UNKNOWN) if level is not None else Level.UNKNOWN
        return Evidence(
            finding=curie(finding),
            variant=self.entity(value(T.variant) or "?"),  # the shapes require both: "?" if a file lacks one
            drug=self.entity(value(T.drug) or "?"),
            effect=EFFECT_NAME.get(str(value(T.effect)), Effect.UNKNOWN),
            level=level_name,
            level_rank=level_name.rank,
            mechanism=self.entity(mechanism) if mechanism is not None else None,
            disease=self.entity(disease) if disease is not None else None,
            sources=tuple(curie(s) for s in sources),
            citations=tuple(self.citation(s) for s in sources),
            statement=str(value(T.statement) or ""),
            ic50_fold_change=_number(fold),
            negated=(finding, T.negated, True) in g,
            origin=str(origin) if origin is not None else "curated",
            unverified=any(self.is_unverified(s) for s in sources),
            refs=tuple(self.reference(s) for s in sources),
            records=_records(facts.get(str(DCTERMS.identifier), ())),
            claim=curie(claim) if (claim := value(T.supports)) is not None else None,
            frequency=_number(value(T.frequency)),
            cohort_size=int(size) if (size := _number(value(T.cohortSize))) is not None else None,
        )


def _records(identifiers: Iterable[Node]) -> tuple[Citation, ...]:
    """The source records (CIViC EID, MOAlmanac assertion) an imported finding was made from."""
    idents = sorted(str(i) for i in identifiers)
    return tuple(r for r in map(record_of, idents) if r is not None)


def _number(literal: str | SupportsFloat | None) -> float | None:
    """A numeric literal's value (None for none, or for text that is not a number)."""
    try:
        return float(literal) if literal is not None else None
    except (TypeError, ValueError):
        return None
