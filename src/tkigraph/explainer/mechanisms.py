"""How a drug fails: every mechanism category with its alterations, evidence and what to do about each.

``tkigraph mechanisms osimertinib --disease NSCLC`` answers "how does osimertinib fail in
NSCLC". Each alteration with a resistance or reduced-sensitivity finding for the drug is
judged by the one rule (:func:`tkigraph.explainer.verdict.judge`); those whose verdict is
not resistant or reduced are listed as disputed, with the evidence that outweighs them.
Frequencies are data on the findings: ``tkigraph:frequency``, the share of a series' progressions with the
alteration as its source published it, with ``tkigraph:cohortSize`` where given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..model import Effect, Entity, Evidence, KnowledgeBase, Node
from ..namespaces import SKOS, TKG, iri_of
from ..resolve import Resolver, VariantMatch
from ..variants import parse_variant
from .alternatives import Alternative, alternatives_for, candidate_drugs, driver_genes
from .evidence import disease_scope
from .verdict import Verdict, judge

__all__ = ["Mechanism", "MechanismVariant", "MechanismReport", "mechanisms", "RENDERERS"]


@dataclass(frozen=True)
class MechanismVariant:
    """One alteration by which the drug fails, with what to do about it."""

    variant: Entity
    verdict: Verdict
    evidence: tuple[Evidence, ...]
    frequency: tuple[str, ...] = ()  # "19% (n=57) at progression (Shi H 2012 ...)", from tkigraph:frequency
    alternatives: tuple[Alternative, ...] = ()
    disputed: bool = False

    @property
    def action(self) -> str:
        if self.alternatives:
            return "consider " + ", ".join(
                a.drug.label + (f" ({', '.join(a.flags)})" if a.flags else "") for a in self.alternatives)
        return "no alternative with sensitivity evidence in the knowledge base"

    def to_dict(self) -> dict[str, Any]:
        return {"variant": self.variant.label, "variant_id": self.variant.id, "verdict": self.verdict,
                "disputed": self.disputed, "frequency": list(self.frequency), "action": self.action,
                "evidence": [e.to_dict() for e in self.evidence],
                "alternatives": [a.to_dict() for a in self.alternatives]}


@dataclass
class Mechanism:
    """A mechanism category with its alterations."""

    category: Entity
    definition: str
    variants: list[MechanismVariant] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category.label, "id": self.category.id, "definition": self.definition,
                "variants": [v.to_dict() for v in self.variants]}


@dataclass
class MechanismReport:
    """The answer of :func:`mechanisms`."""

    drug: Entity
    disease: Entity | None
    categories: list[Mechanism]

    def to_dict(self) -> dict[str, Any]:
        return {"drug": self.drug.to_dict(), "disease": self.disease.to_dict() if self.disease else None,
                "categories": [c.to_dict() for c in self.categories]}


def _frequencies(evidence: list[Evidence]) -> tuple[str, ...]:
    """The published frequencies (``tkigraph:frequency``), highest first. Numbers are not read out of statements:
    "46%" in "no response among non-V600 tumours, against 46% for V600E" is no frequency of the alteration."""
    counted = sorted((e for e in evidence if e.frequency is not None), key=lambda e: -(e.frequency or 0))
    return tuple(dict.fromkeys(f"{e.frequency_text} at progression ({e.cite()})" for e in counted))


def _variant(kb: KnowledgeBase, resolver: Resolver, variant: Node, drug: Node, scope: set[str]) -> MechanismVariant:
    result = judge(kb, variant, drug, scope)
    against = [e for e in result.evidence if not e.negated and e.effect in (Effect.RESISTANT, Effect.REDUCED)]
    disputed = result.verdict not in (Verdict.RESISTANT, Verdict.REDUCED)
    shown = sorted(result.deciding if not disputed else against, key=lambda e: (e.level_rank, -e.year))
    match = VariantMatch(parse_variant(kb.label(variant)), variant)
    judged = {d: judge(kb, variant, d, scope) for d in candidate_drugs(kb, match, resolver)}
    options = alternatives_for(kb, judged, drug, scope, None, driver_genes(kb, match, drug, resolver),
                               resolver=resolver)
    return MechanismVariant(kb.entity(variant), result.verdict, tuple(shown), _frequencies(against),
                            tuple(options[:3]), disputed)


def _category(kb: KnowledgeBase, evidence: list[Evidence]) -> Entity | None:
    counts: dict[Entity, int] = {}
    for e in evidence:
        if e.mechanism is not None and e.mechanism.id != "tkigraph:TargetDependence":
            counts[e.mechanism] = counts.get(e.mechanism, 0) + 1
    return max(counts, key=lambda m: (counts[m], m.label)) if counts else None


def mechanisms(kb: KnowledgeBase, drug_name: str, *, disease: str | None = None,
               resolver: Resolver | None = None) -> MechanismReport:
    """Every way ``drug_name`` fails (in ``disease``, with its sub- and super-types, when given)."""
    resolver = resolver or Resolver(kb)
    drug = resolver.drug(drug_name)
    disease_node = resolver.disease(disease) if disease else None
    scope = disease_scope(kb, disease_node)
    T = TKG
    by_variant: dict[Node, list[Evidence]] = {}
    for finding in kb.findings_of(drug=drug):
        e = kb.evidence(finding)
        if e.negated or e.effect not in (Effect.RESISTANT, Effect.REDUCED):
            continue
        if scope and e.disease is not None and e.disease.id not in scope:
            continue
        variant = kb.graph.value(finding, T.variant)
        if variant is not None:
            by_variant.setdefault(variant, []).append(e)
    groups: dict[Entity, Mechanism] = {}
    other = Entity("", "mechanism not stated", "mechanism")
    for variant in sorted(by_variant, key=lambda v: kb.label(v).lower()):
        category = _category(kb, by_variant[variant]) or other
        if category not in groups:
            node = iri_of(category.id) if category.id else None
            text = kb.graph.value(node, SKOS.definition) if node is not None else None
            groups[category] = Mechanism(category, str(text or ""))
        groups[category].variants.append(_variant(kb, resolver, variant, drug, scope))
    for group in groups.values():
        group.variants.sort(key=lambda v: (v.disputed, min((e.level_rank for e in v.evidence), default=9),
                                           v.variant.label.lower()))
    ordered = sorted(groups.values(), key=lambda g: (-sum(not v.disputed for v in g.variants), g.category.label))
    return MechanismReport(kb.entity(drug), kb.entity(disease_node) if disease_node is not None else None, ordered)


# -- renderers -------------------------------------------------------------------------
def _title(report: MechanismReport) -> str:
    where = f" in {report.disease.label}" if report.disease else ""
    return f"How {report.drug.label} fails{where}"


def to_text(report: MechanismReport) -> str:
    lines = [_title(report), ""]
    if not report.categories:
        lines.append("The knowledge base holds no resistance finding for this drug.")
    for group in report.categories:
        lines.append(f"{group.category.label} ({len(group.variants)}): {group.definition}".rstrip(": "))
        for v in group.variants:
            state = "disputed: the verdict is " + v.verdict if v.disputed else v.verdict.replace("_", " ")
            lines.append(f"  - {v.variant.label} [{state}]")
            for freq in v.frequency:
                lines.append(f"      frequency: {freq}")
            for e in v.evidence[:2]:
                lines.append(f"      {e.level}: {e.statement} ({e.cite()})")
            lines.append(f"      what to do: {v.action}")
        lines.append("")
    return "\n".join(lines).rstrip()


def to_markdown(report: MechanismReport) -> str:
    lines = [f"## {_title(report)}", ""]
    for group in report.categories:
        lines += [f"### {group.category.label}", "", group.definition, ""] if group.definition else \
                 [f"### {group.category.label}", ""]
        for v in group.variants:
            sources = "; ".join(f"[{r.text}]({r.url})" if r.url else r.text for e in v.evidence[:2] for r in e.refs)
            state = " (disputed)" if v.disputed else ""
            freq = f" Frequency: {'; '.join(v.frequency)}." if v.frequency else ""
            lines.append(f"- **{v.variant.label}**{state}: {v.verdict.replace('_', ' ')} ({sources}).{freq} "
                         f"What to do: {v.action}.")
        lines.append("")
    return "\n".join(lines).rstrip()


def to_json(report: MechanismReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


RENDERERS = {"text": to_text, "markdown": to_markdown, "json": to_json}
