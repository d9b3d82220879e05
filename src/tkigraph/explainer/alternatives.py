"""What to use instead: drugs whose verdict against the variant is sensitive, ranked by context.

Rules (``docs/explain.md``):

* Offered: verdict sensitive and no resistance or reduced-sensitivity finding against the
  variant (or its classes) where it matters: in the disease asked, else in a disease where the
  drug's sensitivity evidence also is (a failure elsewhere is flagged "fails in ..."); never a
  group of drugs whose source did not say they were combined.
* The driver is the kinase the patient's tumour depends on: the variant's own when the asked
  drug targets it (T315I after imatinib) or a kinase below it (MEK below BRAF V600K), else the
  asked drug's targets (MET amplification after osimertinib: EGFR). A combination is offered
  only when each of its kinase inhibitors targets the variant's kinase or that driver
  (osimertinib + savolitinib after osimertinib, never for an ALK or RET tumour); chemotherapy
  and antibody partners, which have no binding mode in a kinase, do not bar it
  (platinum-etoposide after small-cell transformation, encorafenib + cetuximab for BRAF V600E).
* Ranked: current approvals before withdrawn ones (mobocertinib); clinical or label evidence
  before preclinical evidence alone (neratinib on T790M cells); evidence in the disease
  before other diseases; drugs that cover the driver before those that do not, and before
  those that fail against every variant the asked drug treats in the driver's gene (after
  mobocertinib, erlotinib fails against the EGFR exon 20 insertion it treated: flagged "fails
  against EGFR exon 20 insertion, which mobocertinib treats"; the treated variants are those
  with clinical or label sensitivity evidence for the asked drug) (only a kinase
  inhibitor is flagged "does not inhibit the driver": chemotherapy after a lineage change is
  not meant to); drugs of kinases approved (``tkigraph:indicatedFor``) for the disease
  asked or of the asked pair's evidence before those that are not; in a resistance
  setting, evidence from a first-line label after the rest, and when the asked drug still
  works, evidence from a later-line approval after the rest; then evidence level, a
  guideline before a label, recency, IC50 fold change and name.
* Without a disease asked, only drugs with evidence in the asked pair's diseases are offered;
  when there is none, drugs with evidence in other diseases are, flagged with their disease.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..model import Effect, Entity, Evidence, KnowledgeBase, Level, Node
from ..namespaces import RDF, TKG
from ..resolve import Resolver, VariantMatch
from .evidence import ancestors
from .verdict import Judgement, Verdict

__all__ = ["Alternative", "Context", "alternatives_for", "candidate_drugs", "driver_genes", "sort_drugs", "withdrawn",
           "FIRST_LINE"]

#: words of a statement or label note that place a finding in first-line treatment
FIRST_LINE = re.compile(r"first[- ]line|frontline|newly diagnosed|treatment[- ]na[iï]ve|previously untreated",
                        re.IGNORECASE)
#: words that place it after a first treatment (datopotamab deruxtecan "after EGFR-directed therapy")
LATER_LINE = re.compile(r"\bafter\b|progress(?:ed|ing|ion) on|previously treated|pre-?treated|second[- ]line|"
                        r"refractory|resistant (?:to|or intolerant)", re.IGNORECASE)


@dataclass(frozen=True)
class Alternative:
    """A drug with sensitivity evidence against the variant, with why it ranks where it does."""

    drug: Entity
    verdict: Verdict
    level: str
    level_rank: int
    reason: str
    sources: tuple[str, ...]
    in_disease: bool
    ic50_fold_change: float | None = None
    withdrawn: str | None = None  # the date the approval was withdrawn (tkigraph:withdrawalDate of its label)
    covers_driver: bool = True
    first_line: bool = False
    combination: bool = False
    links: tuple[str, ...] = ()
    date: str | None = None
    other_disease: str | None = None  # with a disease asked: the disease of the best evidence when it is another
    fails_in: tuple[str, ...] = ()  # diseases where the drug's own evidence against the variant is resistance
    driver: str | None = None  # the driver's kinases, named in the flag when the drug misses them
    misses: tuple[str, ...] = ()  # the variants the asked drug treats that this drug fails against (all of them)
    treated_by: str | None = None  # the asked drug, named in that flag
    later_line: bool = False  # the asked drug works: evidence from a later-line approval, ranked after first-line ones
    approved_here: bool = True  # its kinase inhibitors hold an FDA/EMA approval (tkigraph:indicatedFor) for the disease
    guideline: bool = False  # a guideline recommends it (ranked before a label approval at the same level)
    beyond: bool = False  # no disease asked and none offered in the asked pair's diseases: evidence from another

    @property
    def flags(self) -> list[str]:
        out = []
        if self.other_disease:
            out.append(f"evidence in {self.other_disease}, "
                       + ("another disease than the evidence above" if self.beyond else "not the disease asked"))
        if self.fails_in:
            out.append(f"fails in {', '.join(self.fails_in)}")
        if self.withdrawn:
            out.append(f"approval withdrawn {self.withdrawn}")
        if not self.covers_driver:
            out.append(f"does not inhibit the driver{f' {self.driver}' if self.driver else ''}")
        if self.misses:
            out.append(f"fails against {', '.join(self.misses)}, which {self.treated_by} treats")
        if self.first_line:
            out.append("first-line evidence")
        if self.later_line:
            out.append("later-line evidence")
        if not self.approved_here:
            out.append("no FDA or EMA approval recorded for this disease")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"drug": self.drug.label, "drug_id": self.drug.id, "verdict": self.verdict,
                "level": self.level, "reason": self.reason, "sources": list(self.sources),
                "links": list(self.links), "date": self.date,
                "in_disease": self.in_disease, "ic50_fold_change": self.ic50_fold_change,
                "withdrawn": self.withdrawn is not None, "withdrawn_on": self.withdrawn,
                "covers_driver": self.covers_driver, "first_line": self.first_line,
                "combination": self.combination, "other_disease": self.other_disease,
                "later_line": self.later_line, "approved_here": self.approved_here, "guideline": self.guideline,
                "other_disease_than_evidence": self.beyond,
                "fails_in": list(self.fails_in), "driver": self.driver, "fails_against_treated": list(self.misses)}

    def line(self) -> str:
        """One line of text: the drug, its evidence level and flags, and why."""
        flags = "".join(f", {f}" for f in self.flags)
        return f"{self.drug.label} ({self.level}{', this disease' if self.in_disease else ''}{flags}): {self.reason}"


def _nodes(match: VariantMatch) -> list[Node]:
    return ([match.node] if match.node is not None else []) + [*match.components, *match.members]


def _genes_of(kb: KnowledgeBase, nodes: Iterable[Node], resolver: Resolver) -> set[Node]:
    return {x for n in nodes for gene in kb.graph.objects(n, TKG.variantOf) for x in resolver.gene_scope(gene)}


def _targets(kb: KnowledgeBase, drug: Node, resolver: Resolver) -> set[Node]:
    g, T = kb.graph, TKG
    drugs = [drug, *g.objects(drug, T.hasComponentDrug)]
    return {x for d in drugs for t in g.objects(d, T.inhibits) for x in resolver.gene_scope(t)}


@dataclass(frozen=True)
class Context:
    """The variant's kinases and the driver of the patient's tumour (None when no drug was asked)."""

    variant_genes: frozenset[Node]
    driver: frozenset[Node] | None


def driver_genes(kb: KnowledgeBase, match: VariantMatch, drug: Node | None, resolver: Resolver) -> Context:
    """The kinase the patient's tumour depends on: the variant's own when the drug targets it or a kinase below it
    (trametinib's MEK below BRAF V600K), else the drug's (osimertinib's EGFR for MET amplification)."""
    genes = _genes_of(kb, _nodes(match), resolver) or (resolver.gene_scope(match.gene) if match.gene is not None
                                                        else set())
    if drug is None:
        return Context(frozenset(genes), None)
    targets = _targets(kb, drug, resolver)
    own = genes & targets or any(_downstream(kb, t, genes) for t in targets)
    return Context(frozenset(genes), frozenset(genes if own else targets) or None)


def candidate_drugs(kb: KnowledgeBase, match: VariantMatch, resolver: Resolver) -> set[Node]:
    """The drugs of the variant's kinase, and every drug with a finding on the variant, its classes or parts."""
    g, T = kb.graph, TKG
    genes = _genes_of(kb, _nodes(match), resolver)
    genes |= resolver.gene_scope(match.gene) if match.gene is not None else set()
    drugs = {d for gene in genes for d in g.subjects(T.inhibits, gene)}
    nodes = _nodes(match)
    for node in list(nodes):
        nodes += ancestors(kb, node) + list(g.objects(node, T.hasComponent))
    for node in nodes:
        drugs |= {d for f in kb.findings_of(node) for d in g.objects(f, T.drug)}
    return drugs


def sort_drugs(kb: KnowledgeBase, drugs: Iterable[Node]) -> list[Node]:
    def key(d: Node) -> tuple[int, str]:
        gen = kb.graph.value(d, TKG.generation)
        return (int(gen) if gen is not None else 9, kb.label(d).lower())
    return sorted(drugs, key=key)


def withdrawn(kb: KnowledgeBase, drug: Node) -> str | None:
    """The date the drug's approval was withdrawn (the ``tkigraph:withdrawalDate`` of a label cited about it), or None."""
    return kb.withdrawals.get(drug)


def _kinase_inhibitors(kb: KnowledgeBase, drug: Node) -> list[Node]:
    """The drug, or the parts of a combination, that are kinase inhibitors (those with a ``tkigraph:bindingMode``)."""
    g, T = kb.graph, TKG
    return [d for d in [drug, *g.objects(drug, T.hasComponentDrug)] if (d, T.bindingMode, None) in g]


def _of_kinases(kb: KnowledgeBase, drug: Node) -> list[Node]:
    """The drug, or the parts of a combination, that inhibit a kinase (antibodies to one included)."""
    g, T = kb.graph, TKG
    return [d for d in [drug, *g.objects(drug, T.hasComponentDrug)]
            if any((t, RDF.type, T.Kinase) in g for t in g.objects(d, T.inhibits))]


def _off_driver_partners(kb: KnowledgeBase, drug: Node, context: Context, resolver: Resolver) -> list[Node]:
    """The kinase inhibitors of a combination that inhibit neither the variant's kinase nor the driver.

    A kinase inhibitor is a drug with a ``tkigraph:bindingMode`` (how it binds its kinase): chemotherapy
    (platinum-etoposide) and antibodies given with a kinase inhibitor (cetuximab with encorafenib) have none,
    so they never bar a combination.
    """
    if context.driver is None:
        return []
    ours = context.variant_genes | context.driver
    found = []
    for part in _kinase_inhibitors(kb, drug):
        if part == drug:
            continue
        targets = _targets(kb, part, resolver)
        if not targets & ours and not any(_downstream(kb, t, ours) for t in targets):
            found.append(part)
    return found


def _downstream(kb: KnowledgeBase, kinase: Node, drivers: Iterable[Node]) -> bool:
    """Whether ``kinase`` signals only inside the drivers' pathways (every ``tkigraph:memberOf`` of it is one
    of a driver's): MEK (RAS-MAPK only) below BRAF, so BRAF + MEK inhibition is one blockade of the driver;
    a receptor with pathways of its own (EGFR, MET) is not below ALK."""
    g, T = kb.graph, TKG
    pathways = set(g.objects(kinase, T.memberOf))
    return bool(pathways) and any(pathways <= set(g.objects(d, T.memberOf)) for d in drivers)


def _counts_against(item: Evidence, scope: set[str], own: list[Evidence]) -> bool:
    """Whether a resistance finding bars a drug: one without a disease always does; with a disease asked, one in
    that disease; with none asked, one in a disease where the drug's sensitivity evidence also is. Dabrafenib's
    failure in BRAF V600E colorectal cancer does not hide it from BRAF V600E melanoma (it is flagged instead)."""
    if item.disease is None:
        return True
    if scope:
        return item.disease.id in scope
    works = {e.disease.id for e in own if e.effect == Effect.SENSITIVE and e.disease is not None}
    return not works or item.disease.id in works


def _best(items: list[Evidence], scope: set[str]) -> Evidence:
    return min(items, key=lambda e: (not e.disease or e.disease.id not in scope, e.level_rank, -e.year,
                                     e.ic50_fold_change if e.ic50_fold_change is not None else 1e9, e.finding))


def treated_variants(kb: KnowledgeBase, drug: Node, genes: Iterable[Node], diseases: set[str] | None = None) -> list[Node]:
    """The variants of ``genes`` that ``drug`` acts on at clinical or label level (mobocertinib: EGFR exon 20
    insertion), in ``diseases`` (CURIEs) when given: the tumour's driver variant is among them when the drug was
    given for it (avapritinib's KIT D816V is a mastocytosis driver, not a GIST one)."""
    g, T = kb.graph, TKG
    wanted, strong = set(genes), {str(T.GuidelineOrLabel), str(T.Clinical)}
    out = set()
    for finding in kb.findings_of(drug=drug):  # the cheap tests first: most of a drug's findings are resistance
        if (finding, T.effect, T.Sensitive) not in g or str(g.value(finding, T.evidenceLevel)) not in strong:
            continue
        variant = g.value(finding, T.variant)
        if (variant is None or (variant, T.hasComponent, None) in g or (finding, T.negated, True) in g
                or not set(g.objects(variant, T.variantOf)) & wanted):
            continue
        disease = g.value(finding, T.disease)
        if diseases and disease is not None and kb.entity(disease).id not in diseases:
            continue
        out.add(variant)
    return sorted(out, key=str)


def _misses(kb: KnowledgeBase, drug: Node, treated: list[Node], scope: set[str]) -> tuple[str, ...]:
    """The treated variants, when ``drug`` fails against every one of them (else none)."""
    from .verdict import judge

    for variant in treated:  # stops at the first the drug does not fail against: usually the first
        if judge(kb, variant, drug, scope or None).verdict not in (Verdict.RESISTANT, Verdict.REDUCED):
            return ()
    return tuple(sorted(kb.label(v) for v in treated))


class _Treated:
    """The asked drug's treated variants in the driver's genes, read once and only when an alternative needs them."""

    def __init__(self, kb: KnowledgeBase, asked: Node | None, genes: Iterable[Node], diseases: set[str] | None) -> None:
        self.kb, self.asked, self.genes, self.diseases = kb, asked, genes, diseases
        self.name = kb.label(asked) if asked is not None else None

    @cached_property
    def variants(self) -> list[Node]:
        return treated_variants(self.kb, self.asked, self.genes, self.diseases) if self.asked is not None else []


def _one(kb: KnowledgeBase, drug: Node, result: Judgement, scope: set[str], within: set[str] | None,
         context: Context, resistance_setting: bool, resolver: Resolver, treated: _Treated,
         widened: bool = False) -> Alternative | None:
    evidence = [e for e in (result.evidence if not result.inferred else
                            [x for _, j in result.parts for x in j.evidence]) if not e.negated]
    own = [e for e in evidence if e.drug.id == kb.entity(drug).id]
    against = [e for e in own if e.effect != Effect.SENSITIVE]
    if any(_counts_against(e, scope, own) for e in against):
        return None  # resistance evidence where it matters: never offered
    sensitive = result.deciding or [e for e in evidence if e.effect == Effect.SENSITIVE]
    if not sensitive:
        return None
    if not widened and within is not None and not any(e.disease is None or e.disease.id in within for e in sensitive):
        return None
    combination = any(True for _ in kb.graph.objects(drug, TKG.hasComponentDrug))
    targets = _targets(kb, drug, resolver)
    # only a kinase inhibitor can miss the driver: chemotherapy after small-cell transformation is not meant to hit it
    covers = context.driver is None or not _kinase_inhibitors(kb, drug) or bool(context.driver & targets)
    if combination and _off_driver_partners(kb, drug, context, resolver):
        return None  # a combination only where its evidence's driver is the patient's
    best = _best(sensitive, scope)
    first_line = resistance_setting and best.level_rank == 1 and bool(FIRST_LINE.search(best.statement))
    later_line = (not resistance_setting and best.level_rank == 1 and bool(LATER_LINE.search(best.statement))
                  and not FIRST_LINE.search(best.statement))
    setting, inhibitors = scope or within, _of_kinases(kb, drug)  # chemotherapy (of TOP2A, TYMS) is not judged
    approved = not setting or not inhibitors or any(kb.entity(d).id in setting for part in inhibitors
                                                    for d in kb.graph.objects(part, TKG.indicatedFor))
    guideline = any(ref.kind == "guideline" for e in sensitive for ref in e.refs)
    in_disease = bool(best.disease and best.disease.id in scope)
    other = best.disease.label if scope and best.disease is not None and not in_disease else None
    if widened and within is not None and best.disease is not None and best.disease.id not in within:
        other = best.disease.label
    return Alternative(kb.entity(drug), Verdict.SENSITIVE, best.level, best.level_rank,
                       f"{best.statement} ({best.cite()})", best.sources, in_disease, best.ic50_fold_change,
                       withdrawn(kb, drug), covers, first_line, combination, best.links,
                       max((r.date for r in best.refs if r.date), default=None), other,
                       tuple(sorted({e.disease.label for e in against if e.disease is not None})),
                       None if covers or context.driver is None else _names(kb, context.driver),
                       _misses(kb, drug, treated.variants, scope) if treated.variants else (), treated.name,
                       later_line, approved, guideline, widened and other is not None)


def _names(kb: KnowledgeBase, genes: Iterable[Node]) -> str:
    """The driver's kinases as a reader names them: the genes, not the fusions a gene's scope also holds."""
    g = kb.graph
    plain = [n for n in genes if not any(True for _ in g.objects(n, TKG.variantOf))] or list(genes)
    return ", ".join(sorted(kb.label(n) for n in plain))


def alternatives_for(kb: KnowledgeBase, judged: dict[Node, Judgement], asked: Node | None, scope: set[str],
                     within: set[str] | None, context: Context, *,
                     resistance_setting: bool = True, resolver: Resolver | None = None) -> list[Alternative]:
    """Drugs judged sensitive with no resistance evidence, best first (see the module docstring)."""
    resolver = resolver or Resolver(kb)
    unspecified = kb.instances(TKG.UnspecifiedCombination)
    treated = _Treated(kb, asked, context.driver or (), scope or within)
    candidates = [(drug, result) for drug, result in judged.items()
                  if drug != asked and result.verdict == Verdict.SENSITIVE and drug not in unspecified]

    def offered(widened: bool) -> list[Alternative]:
        found = (_one(kb, drug, result, scope, within, context, resistance_setting, resolver, treated, widened)
                 for drug, result in candidates)
        return [alternative for alternative in found if alternative is not None]

    # none in the asked pair's diseases: those of other diseases, flagged with their disease
    out = offered(False) or (offered(True) if within is not None else [])
    out.sort(key=lambda a: (a.withdrawn is not None, a.level_rank > Level.CLINICAL.rank, not a.in_disease,
                            not a.approved_here, not a.covers_driver or bool(a.misses),
                            a.first_line or a.later_line, a.level_rank, not a.guideline,
                            -(int(a.date[:4]) if a.date and a.date[:4].isdigit() else 0),
                            a.ic50_fold_change if a.ic50_fold_change is not None else 1e9, a.drug.label))
    return out
