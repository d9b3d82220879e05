"""Drugs named by a source: ours, a new small-molecule kinase inhibitor, or not a TKI at all.

A name resolves to a drug of the knowledge base when it can (label, synonym or code
name). Otherwise it is a **kinase inhibitor** when one of its words carries a WHO INN
stem of small-molecule kinase inhibitors (:data:`KINASE_STEMS`: ``-tinib``, ``-rafenib``,
``-metinib`` ...): ``Trametinib Dimethyl Sulfoxide`` is trametinib. Such a drug is created
as ``tkd:imported_drug_<inn>`` (the same IRI whichever source names it, so CIViC and
MOAlmanac meet on one node), labelled with its INN, marked ``dcterms:publisher "<source>"``,
with the identifiers the source gives (MOAlmanac: NCIt) and, for stems that name their
target (``-metinib``: MEK), ``tkigraph:inhibits`` that gene.

Anything else (antibodies ``-mab``, chemotherapy, hormone therapy, code-named research
compounds the knowledge base does not know, drug classes such as "EGFR Inhibitor") is
not a TKI: a row about such drugs alone is skipped; beside a TKI it is a component of a
``tkigraph:Combination`` (:meth:`EntityMapper.other_drug`), never a finding of its own.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef

from ..rdfterms import DCTERMS, RDF, RDFS, SKOS, TKD, TKG
from .entities import EntityMapper

__all__ = ["KINASE_STEMS", "Drugs", "count_new", "inn_of", "non_tki_reason"]

#: WHO INN stems of small-molecule kinase inhibitors -> gene symbols the stem names as target
#: (longest stem first; empty: the stem names no single target). mTOR rapalogs (-rolimus)
#: are allosteric, not kinase-domain inhibitors, and are left out.
KINASE_STEMS: dict[str, tuple[str, ...]] = {
    "brutinib": ("BTK",),
    "rafenib": ("BRAF",),
    "metinib": ("MAP2K1", "MAP2K2"),
    "tinib": (),     # tyrosine kinase inhibitors
    "ciclib": (),    # cyclin-dependent kinase inhibitors
    "lisib": (),     # phosphatidylinositol 3-kinase inhibitors
    "sertib": (),    # serine/threonine kinase inhibitors
    "staurin": (),   # staurosporine derivatives (midostaurin)
    "anib": (),      # angiogenesis (VEGFR kinase) inhibitors
}
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
_ANTIBODY = re.compile(r"(?i)mab\b|antibod")


def inn_of(name: str) -> tuple[str, tuple[str, ...]] | None:
    """The kinase-inhibitor INN in ``name`` and the targets its stem names, else None.

    >>> inn_of("Selumetinib (AZD6244)")
    ('selumetinib', ('MAP2K1', 'MAP2K2'))
    >>> inn_of("Cetuximab") is None
    True
    """
    for word in _WORD.findall(name):
        lower = word.lower()
        for stem, targets in KINASE_STEMS.items():
            if lower.endswith(stem) and len(lower) >= len(stem) + 2:
                return lower, targets
    return None


def non_tki_reason(names: list[str]) -> str:
    """The skip reason of a row naming no kinase inhibitor."""
    if names and all(_ANTIBODY.search(n) for n in names):
        return "no kinase inhibitor: antibodies only (not TKI findings)"
    return "no kinase inhibitor: chemotherapy, other agents or unknown compounds (not TKI findings)"


class Drugs:
    """Resolve a source's drug names; create the kinase inhibitors the knowledge base lacks."""

    def __init__(self, entities: EntityMapper, publisher: str) -> None:
        self.entities, self.publisher = entities, publisher

    def resolve(self, name: str, xrefs: tuple[URIRef, ...] = ()) -> URIRef | None:
        """Our drug, a new kinase inhibitor, or None (not a kinase inhibitor)."""
        ours = self.entities.drug(name)
        if ours is not None:
            return ours
        found = inn_of(name)
        if found is None:
            return None
        inn, targets = found
        ours = self.entities.drug(inn)  # "Imatinib Mesylate" when only "imatinib" is known
        return ours if ours is not None else self._create(name, inn, targets, xrefs)

    def is_kinase_inhibitor(self, node: URIRef) -> bool:
        """Whether a resolved drug is a kinase inhibitor: one created here (its INN has a kinase-inhibitor stem),
        or a curated drug with a ``tkigraph:bindingMode`` or such an INN. A curated antibody or chemotherapy
        (trastuzumab, cetuximab: partners of kinase inhibitors) does not make a row a TKI finding."""
        if (node, TKG.bindingMode, None) in self.entities.graph or str(node).startswith(str(TKD["imported_drug_"])):
            return True
        return inn_of(self.entities.kb.label(str(node))) is not None

    def _create(self, name: str, inn: str, targets: tuple[str, ...], xrefs: tuple[URIRef, ...]) -> URIRef:
        node: URIRef = TKD[f"imported_drug_{inn}"]
        out = self.entities.out
        if self.entities._new(node):
            out.add((node, RDF.type, TKG.Drug))
            out.add((node, RDFS.label, Literal(inn)))
            stem = next(s for s in KINASE_STEMS if inn.endswith(s))
            out.add((node, SKOS.definition, Literal(
                f"Small-molecule kinase inhibitor (INN stem -{stem}) named by an imported source; "
                "not curated in tkigraph.")))
            for gene in targets:
                out.add((node, TKG.inhibits, self.entities.gene(gene)))
        out.add((node, DCTERMS.publisher, Literal(self.publisher)))
        for code in re.split(r"[(),]", name):
            code = code.strip()
            if code and code.lower() != inn and re.search(r"\d", code) and len(code) <= 40:
                out.add((node, SKOS.altLabel, Literal(code)))
        for xref in xrefs:
            out.add((node, SKOS.exactMatch, xref))
        return node


def count_new(graph: Graph) -> int:
    """How many kinase inhibitors an import created."""
    prefix = str(TKD["imported_drug_"])
    return sum(1 for d in set(graph.subjects(RDF.type, TKG.Drug)) if str(d).startswith(prefix))
