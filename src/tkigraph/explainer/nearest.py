"""The nearest evidence when the graph holds none about the asked variant: never about it, and said so.

For a variant the graph lacks (``ALK R1192P``) or a pair without findings: the compounds that
contain it (``FLT3 ITD + F691L (cis)`` for ``FLT3 F691L``), the variants of the same gene at the
same codon, in the same structural region, the gene's classes (``KRAS activating mutation`` for
``KRAS G12C``; never its fusion class for a mutation: the fusion is the driver a resistance
mutation arises in, and its sensitivity says nothing of the mutation) and the closest codons,
each with its own verdict for the drug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, SupportsInt

from ..model import Entity, Evidence, KnowledgeBase, Node
from ..namespaces import RDF, TKG
from ..resolve import Resolver, VariantMatch
from .verdict import Verdict, judge

__all__ = ["Nearby", "nearest", "site"]

#: how many codons away a variant may be to count as nearby, and how many to show
_WINDOW, _SHOW = 10, 3


@dataclass(frozen=True)
class Nearby:
    """A variant near the asked one, with its own verdict: evidence that is NOT about the asked variant."""

    variant: Entity
    relation: str  # same codon | same region | class of the gene | N codons away
    verdict: Verdict
    evidence: tuple[Evidence, ...] = field(default=())
    region: str | None = None
    exon: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"variant": self.variant.label, "variant_id": self.variant.id, "relation": self.relation,
                "verdict": self.verdict, "region": self.region, "exon": self.exon,
                "about_this_variant": False, "evidence": [e.to_dict() for e in self.evidence]}


def _int(value: str | SupportsInt | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _asked(kb: KnowledgeBase, match: VariantMatch, resolver: Resolver) -> tuple[set[Node], int | None, set[Node]]:
    """(gene scope, codon, nodes to leave out) of the asked variant."""
    g, T = kb.graph, TKG
    if match.absent and match.gene is not None:
        digits = re.search(r"\d+", match.query.changes[0])
        return resolver.gene_scope(match.gene), int(digits.group()) if digits else None, set()
    node = match.node if match.node is not None else next(iter(match.members), None)
    if node is None:
        return set(), None, set()
    genes = {x for gene in g.objects(node, T.variantOf) for x in resolver.gene_scope(gene)}
    return genes, _int(g.value(node, T.codon)), {node, *match.members}


def _classes(kb: KnowledgeBase, match: VariantMatch, variants: set[Node], skip: set[Node],
             resolver: Resolver) -> list[Node]:
    """Gene-wide classes that might hold the asked variant: only for a variant without curated classes,
    never a class that excludes it, and only of the variant's exon when both give one."""
    g, T = kb.graph, TKG
    if any(g.value(n, T.parentVariant) is not None for n in skip):
        return []
    exons = {_int(g.value(n, T.exon)) for n in skip} - {None}
    if match.absent:
        exon = site(kb, match, resolver)["exon"]
        exons = {exon} if exon is not None else set()
    fusion = any((n, RDF.type, T.Fusion) in g for n in skip)
    return sorted((v for v in variants if (v, RDF.type, T.VariantClass) in g and g.value(v, T.codon) is None
                   and not any((v, T.excludesMember, n) in g for n in skip)
                   and (fusion or not _fusion_class(kb, v))
                   and (not exons or g.value(v, T.exon) is None or _int(g.value(v, T.exon)) in exons)), key=str)


def _fusion_class(kb: KnowledgeBase, node: Node) -> bool:
    """Whether a variant class gathers the gene's fusions (ROS1 fusion): a fusion is its member, or its name says so."""
    g, T = kb.graph, TKG
    return (any((m, RDF.type, T.Fusion) in g for m in g.subjects(T.parentVariant, node))
            or kb.label(node).lower().endswith((" fusion", " rearrangement")))


#: how a compound holding the asked variant is introduced
_COMPOUND = "a compound that contains it"


def _compounds(kb: KnowledgeBase, skip: set[Node]) -> list[tuple[Node, str]]:
    """The compounds that hold the asked variant, with the parts they add to it."""
    g, T = kb.graph, TKG
    out = []
    for compound in sorted({c for n in skip for c in g.subjects(T.hasComponent, n)}, key=str):
        others = sorted(kb.label(p) for p in g.objects(compound, T.hasComponent) if p not in skip)
        out.append((compound, _COMPOUND + (f" (with {', '.join(others)})" if others else "")))
    return out


def nearest(kb: KnowledgeBase, match: VariantMatch, drug: Node, scope: set[str] | None,
            resolver: Resolver) -> list[Nearby]:
    """Evidence near the asked variant for ``drug`` (see the module docstring)."""
    g, T = kb.graph, TKG
    genes, codon, skip = _asked(kb, match, resolver)
    if not genes:
        return []
    variants = {v for gene in genes for v in g.subjects(T.variantOf, gene)
                if v not in skip and v not in genes and (v, T.hasComponent, None) not in g}
    picked: list[tuple[Node, str]] = _compounds(kb, skip)
    same = sorted((v for v in variants if codon is not None and _int(g.value(v, T.codon)) == codon), key=str)
    picked += [(v, "same codon") for v in same]
    regions = {region for v in same if (region := g.value(v, T.region)) is not None}
    for region in sorted(regions, key=str):
        picked += [(v, f"same region ({kb.label(region)})") for v in sorted(variants, key=str)
                   if g.value(v, T.region) == region and v not in same][:_SHOW]
    picked += [(v, "a class of the gene (membership not curated)") for v in _classes(kb, match, variants, skip, resolver)]
    if codon is not None:
        away = {v: abs(c - codon) for v in variants if v not in same and (c := _int(g.value(v, T.codon))) is not None}
        close = sorted((v for v, d in away.items() if d <= _WINDOW), key=lambda v: (away[v], str(v)))
        picked += [(v, f"{away[v]} codons away") for v in close[:_SHOW]]
    out, seen = [], set()
    for node, relation in picked:
        if node in seen:
            continue
        seen.add(node)
        result = judge(kb, node, drug, scope)
        if result.verdict == Verdict.NO_EVIDENCE:
            continue
        entity = kb.entity(node)
        if relation.startswith(_COMPOUND) and not any(e.variant.id == entity.id for e in result.deciding):
            continue  # the compound's verdict comes from another of its parts (or their class): nothing about this one
        region = g.value(node, T.region)
        out.append(Nearby(entity, relation, result.verdict, tuple(result.deciding[:2]),
                          kb.label(region) if region is not None else None, _int(g.value(node, T.exon))))
    return out


def site(kb: KnowledgeBase, match: VariantMatch, resolver: Resolver) -> dict[str, Any]:
    """Codon, exon and structural region of the asked variant, from the graph's variants at that codon
    (an exon also from the two nearest variants on either side when they share it)."""
    g, T = kb.graph, TKG
    genes, codon, skip = _asked(kb, match, resolver)
    if codon is None:
        return {"codon": None, "exon": None, "region": None}
    codons: dict[Node, int] = {v: c for gene in genes for v in g.subjects(T.variantOf, gene)
                               if (c := _int(g.value(v, T.codon))) is not None}
    variants = list(codons)
    same = [v for v in variants if codons[v] == codon]
    exons = {_int(g.value(v, T.exon)) for v in same} - {None}
    regions = {kb.label(r) for v in same for r in g.objects(v, T.region)}
    if not exons:
        below = max((v for v in variants if codons[v] < codon and g.value(v, T.exon) is not None),
                    key=codons.__getitem__, default=None)
        above = min((v for v in variants if codons[v] > codon and g.value(v, T.exon) is not None),
                    key=codons.__getitem__, default=None)
        if below is not None and above is not None and g.value(below, T.exon) == g.value(above, T.exon):
            exons = {_int(g.value(below, T.exon))}
    return {"codon": codon, "exon": next(iter(exons)) if len(exons) == 1 else None,
            "region": "; ".join(sorted(regions)) or None}
