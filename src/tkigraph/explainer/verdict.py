"""The one verdict rule of tkigraph: ``explain``, ``alternatives``, ``mechanisms`` and the matrix all call
:func:`judge` (see ``docs/explain.md``).

* **Evidence**: the findings about the variant itself (``exact``) and, beside them, those about
  every class it belongs to through ``tkigraph:parentVariant`` (``class``), except classes that name
  it in ``tkigraph:excludesMember``.
* **Hierarchy** (:func:`decide`): the best evidence level present decides (guideline or label >
  clinical > preclinical in vivo > in vitro); lower levels are shown, never counted against it.
  Class evidence counts with the variant's own unless the variant has clinical (or label)
  evidence of its own: that is an exception to the class's rule, which the class cannot
  overturn. A class's preclinical evidence of activity does not reach a member whose own evidence shows drugs of
  the asked drug's binding mode failing and activity only of drugs that bind otherwise (regorafenib, type II,
  and KIT D816V). Within the deciding level, evidence about the variant itself beats its class's;
  then the effect with the most recent source; then the one with more independent sources (a source counts once per
  disease: a basket trial's colorectal and lung cohorts are different patients); on a
  full tie the more cautious effect. With a disease, findings in that disease decide when there
  are any.
* **Compounds**: a curated compound's own findings win. Without them the compound is at least as
  resistant as its most resistant part. It is called sensitive only when every part but one is a
  driver (a variant with sensitivity findings and no resistance finding, as an exon 19 deletion)
  and that one part is sensitive: evidence on an acquired mutation is gathered on its driver.
  Two acquired mutations that are each sensitive are never called sensitive together.
* **Conflict** (:func:`sides`): when the evidence takes more than one position (an effect, or a
  source's "does not support" of it), each position is a side with the sources that hold it and
  its strongest evidence (best level, then most recent). The sides are shown beside the verdict;
  they never change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..model import Effect, Evidence, KnowledgeBase, Level, Node, Phase
from ..namespaces import TKG, iri_of
from .evidence import findings_for

__all__ = ["Verdict", "Phase", "MatchLevel", "Decision", "Judgement", "Side", "decide", "verdict_of", "judge",
           "most_resistant", "is_driver", "binding_mode_split", "sides", "CAUTION"]


class Verdict(StrEnum):
    """The answer for one (variant, drug) pair."""

    RESISTANT = "resistant"
    REDUCED = "reduced_sensitivity"
    SENSITIVE = "sensitive"
    NO_EVIDENCE = "no_evidence"

    @classmethod
    def of(cls, effect: Effect) -> Verdict | None:
        """The verdict a finding of ``effect`` supports (None for an unknown effect)."""
        return _VERDICT_OF.get(effect)


class MatchLevel(StrEnum):
    """Which evidence answered: the variant itself, its class, its codon, its parts, its gene ..."""

    EXACT = "exact"
    PARENT = "parent"  # only class findings
    CODON = "codon"
    COMPONENT = "component"
    GENE = "gene"  # a gene or gene family named alone: its recorded alterations
    NONE = "none"


#: effect -> how cautious it is (lower is more cautious; ties go to the cautious effect)
CAUTION = {Effect.RESISTANT: 0, Effect.REDUCED: 1, Effect.SENSITIVE: 2}
_VERDICT_OF = {Effect.RESISTANT: Verdict.RESISTANT, Effect.REDUCED: Verdict.REDUCED,
               Effect.SENSITIVE: Verdict.SENSITIVE}


@dataclass(frozen=True)
class Decision:
    """The outcome of :func:`decide` on a pool of evidence."""

    verdict: Verdict
    level: Level | None = None  # the level that decided
    conflicting: bool = False  # another effect is supported at some level
    overruled: tuple[Evidence, ...] = ()  # evidence of another effect (shown as the conflict)
    reason: str = ""


@dataclass
class Judgement:
    """The verdict for one (variant, drug) pair with everything behind it."""

    verdict: Verdict
    matched_at: MatchLevel
    evidence: list[Evidence] = field(default_factory=list)  # about the variant (exact) and its classes
    class_ids: frozenset[str] = frozenset()  # findings (CURIEs) that come from a class, not the variant
    decision: Decision = field(default_factory=lambda: Decision(Verdict.NO_EVIDENCE))
    inferred: bool = False
    parts: list[tuple[Node, Judgement]] = field(default_factory=list)  # a compound's parts, when they answered
    routes: list[list[Node]] = field(default_factory=list)
    note: str = ""  # compound and phase notes, in words
    decisive: tuple[Node, ...] = ()  # the parts of a compound whose verdict is the compound's

    @property
    def conflicting(self) -> bool:
        return self.decision.conflicting

    def from_class(self, item: Evidence) -> bool:
        return item.finding in self.class_ids

    @property
    def deciding(self) -> list[Evidence]:
        """The evidence that supports the verdict (for a compound answered by a part: that part's)."""
        pool = self.evidence if not self.inferred else [e for p, j in self.parts if p in self.decisive
                                                          for e in j.evidence]
        return [e for e in pool if not e.negated and _VERDICT_OF.get(e.effect) == self.verdict]


def _usable(evidence: list[Evidence], scope: set[str] | None) -> list[Evidence]:
    usable = [e for e in evidence if not e.negated and e.effect in CAUTION]
    if scope:
        local = [e for e in usable if e.disease and e.disease.id in scope]
        usable = local or usable
    return usable


def decide(evidence: list[Evidence], scope: set[str] | None = None,
           class_ids: frozenset[str] = frozenset()) -> Decision:
    """The verdict of a pool of evidence by the hierarchy (see the module docstring)."""
    usable = _usable(evidence, scope)
    if not usable:
        return Decision(Verdict.NO_EVIDENCE)
    own = [e for e in usable if e.finding not in class_ids]
    # clinical evidence about the variant itself is an exception to its class's rule, not outweighed by it
    pool = own if own and min(e.level_rank for e in own) <= Level.CLINICAL.rank else usable
    best = min(e.level_rank for e in pool)
    top = [e for e in pool if e.level_rank == best]
    if any(e.finding not in class_ids for e in top):  # the variant's own evidence beats its class at a level
        top = [e for e in top if e.finding not in class_ids]

    def strength(effect: Effect) -> tuple[int, int, int]:
        items = [e for e in top if e.effect == effect]
        # independent support: each source once per disease (a basket trial's cohorts are different patients)
        cohorts = {(s, e.disease.id if e.disease else None) for e in items for s in e.sources}
        return (-max(e.year for e in items), -len(cohorts), CAUTION[effect])

    effects = {Effect(e.effect) for e in top}
    winner = min(effects, key=strength)
    others = effects - {winner}
    reason = f"the {top[0].level} evidence decides"
    if others:
        reason += (f"; at that level {winner.words} is supported by more recent or more sources than "
                   + ", ".join(sorted(o.words for o in others)))
    overruled = tuple(e for e in usable if e.effect != winner)
    return Decision(_VERDICT_OF[winner], top[0].level, bool(overruled), overruled, reason)


@dataclass(frozen=True)
class Side:
    """One position in a conflict: an effect (or its denial), who holds it, and its strongest evidence."""

    effect: Effect
    negated: bool
    origins: tuple[str, ...]  # curated, civic, moalmanac ...
    findings: int
    claims: int  # distinct claims (a claim repeated by several sources counts once)
    strongest: Evidence

    @property
    def words(self) -> str:
        return ("does not support " if self.negated else "") + self.effect.words

    def to_dict(self) -> dict[str, object]:
        return {"effect": self.effect, "negated": self.negated, "position": self.words,
                "sources": list(self.origins), "findings": self.findings, "claims": self.claims,
                "strongest": self.strongest.to_dict()}


def sides(evidence: list[Evidence], scope: set[str] | None = None) -> list[Side]:
    """The positions the evidence takes, strongest first; empty when it takes only one (no conflict).

    With a disease ``scope``, only evidence in that disease counts when there is some (as in :func:`decide`).
    """
    pool = [e for e in evidence if e.effect in CAUTION]
    if scope:
        pool = [e for e in pool if e.disease and e.disease.id in scope] or pool
    groups: dict[tuple[Effect, bool], list[Evidence]] = {}
    for item in pool:
        groups.setdefault((Effect(item.effect), item.negated), []).append(item)
    if len(groups) < 2:
        return []
    found = []
    for (effect, negated), items in groups.items():
        best = min(items, key=lambda e: (e.level_rank, -e.year, e.finding))
        found.append(Side(effect, negated, tuple(sorted({e.origin for e in items})), len(items),
                          len({e.claim or e.finding for e in items}), best))
    return sorted(found, key=lambda s: (s.strongest.level_rank, -s.strongest.year, s.negated, CAUTION[s.effect]))


def verdict_of(evidence: list[Evidence], scope: set[str] | None = None) -> tuple[Verdict, bool]:
    """(verdict, conflicting) of a pool of evidence: :func:`decide` in short."""
    decision = decide(evidence, scope)
    return decision.verdict, decision.conflicting


def most_resistant(verdicts: list[Verdict]) -> Verdict:
    """The most resistant of several verdicts (no_evidence when none is resistant or reduced)."""
    for verdict in (Verdict.RESISTANT, Verdict.REDUCED):
        if verdict in verdicts:
            return verdict
    return Verdict.NO_EVIDENCE


def is_driver(kb: KnowledgeBase, variant: Node) -> bool:
    """A driver: the graph holds sensitivity findings about it and no (non-negated) finding that it resists a drug
    by itself (an on-target mutation). Resistance by another route does not unmake a driver: EGFR L858R in a
    tumour refractory to crizotinib (an ALK inhibitor) is still the driver osimertinib acts on."""
    found = [e for e in map(kb.evidence, kb.findings_of(variant)) if not e.negated]
    resists = any(e.effect in (Effect.RESISTANT, Effect.REDUCED) and e.mechanism is not None
                  and iri_of(e.mechanism.id) == TKG.OnTargetMutation for e in found)
    return any(e.effect == Effect.SENSITIVE for e in found) and not resists


def binding_mode_split(kb: KnowledgeBase, variant: Node, drug: Node) -> bool:
    """Whether the variant's own evidence shows drugs of ``drug``'s binding mode failing, and activity only of
    drugs that bind otherwise (KIT D816V: type II imatinib fails, type I avapritinib and midostaurin act)."""
    g, T = kb.graph, TKG
    modes = set(g.objects(drug, T.bindingMode))
    same_fails = same_acts = other_acts = False
    for item in map(kb.evidence, kb.findings_of(variant)):
        theirs = set(g.objects(iri_of(item.drug.id), T.bindingMode))
        if item.negated or item.effect not in CAUTION or not theirs or not modes:
            continue
        if item.effect == Effect.SENSITIVE:
            same_acts |= bool(theirs & modes)
            other_acts |= not theirs & modes
        else:
            same_fails |= bool(theirs & modes)
    return same_fails and other_acts and not same_acts


def _set_aside(kb: KnowledgeBase, variant: Node, drug: Node, classes: list[Evidence]) -> list[Evidence]:
    """Class evidence of activity from cell lines or animals that does not reach the variant: its own evidence
    puts it with the drugs of another binding mode (:func:`binding_mode_split`)."""
    weak = [e for e in classes if e.effect == Effect.SENSITIVE and e.level_rank > Level.CLINICAL.rank]
    return weak if weak and binding_mode_split(kb, variant, drug) else []


def _single(kb: KnowledgeBase, variant: Node, drug: Node, scope: set[str] | None) -> Judgement:
    exact, classes, route = findings_for(kb, variant, drug)
    evidence = exact + classes
    class_ids = frozenset(e.finding for e in classes)
    aside = _set_aside(kb, variant, drug, classes)
    decision = decide([e for e in evidence if e not in aside], scope, class_ids)
    if not evidence:
        return Judgement(Verdict.NO_EVIDENCE, MatchLevel.NONE, routes=[])
    level = MatchLevel.EXACT if exact else MatchLevel.PARENT
    note = ""
    if aside:
        classes_named = ", ".join(dict.fromkeys(e.variant.label for e in aside))
        note = (f"the preclinical activity of {kb.label(drug)} against {classes_named} is not carried to "
                f"{kb.label(variant)}: its own evidence shows drugs that bind as {kb.label(drug)} does failing, "
                "and activity only of drugs that bind otherwise")
    return Judgement(decision.verdict, level, evidence, class_ids, decision, routes=[route], note=note)


def compound_classes(kb: KnowledgeBase, parts: list[Node]) -> list[Node]:
    """The compound classes whose required components are all among ``parts`` (T315I + H396R: BCR-ABL1
    T315I-inclusive compound mutation)."""
    g, T = kb.graph, TKG
    found = {c for p in parts for c in g.subjects(T.requiredComponent, p)}
    return sorted((c for c in found if set(g.objects(c, T.requiredComponent)) <= set(parts)), key=str)


def _by_class(kb: KnowledgeBase, node: Node | None, parts: list[Node], drug: Node,
              scope: set[str] | None) -> Judgement | None:
    """A compound without findings of its own, answered by its compound class's findings about ``drug``."""
    for cls in compound_classes(kb, parts):
        found = _single(kb, cls, drug, scope)
        if found.evidence:
            note = (f"no finding on the compound itself: it holds {', '.join(kb.label(p) for p in parts)}, so the "
                    f"findings about its class, {kb.label(cls)}, answer")
            route = [*([node] if node is not None else []), *found.routes[0]]
            ids = frozenset(e.finding for e in found.evidence)  # every finding is the class's, none the compound's
            decision = decide(found.evidence, scope, ids)
            return Judgement(decision.verdict, MatchLevel.PARENT, found.evidence, ids, decision, routes=[route],
                             note=note)
    return None


def _compound(kb: KnowledgeBase, node: Node | None, parts: list[Node], drug: Node,
              scope: set[str] | None) -> Judgement:
    by_class = _by_class(kb, node, parts, drug, scope)
    if by_class is not None:
        return by_class
    judged = [(part, _single(kb, part, drug, scope)) for part in parts]
    verdicts = [j.verdict for _, j in judged]
    acquired = [(p, j) for p, j in judged if not is_driver(kb, p)]
    verdict = most_resistant(verdicts)
    decisive: tuple[Node, ...] = ()
    if verdict is not Verdict.NO_EVIDENCE:
        decisive = tuple(p for p, j in judged if j.verdict == verdict)
        worst = [kb.label(p) for p in decisive]
        note = ("no finding on the compound itself, so the verdict is inferred: it is at least as resistant as "
                f"its most resistant part ({', '.join(worst)})")
    elif len(acquired) == 1 and acquired[0][1].verdict == Verdict.SENSITIVE:
        verdict = Verdict.SENSITIVE
        decisive = (acquired[0][0],)
        others = [kb.label(p) for p, _ in judged if p != acquired[0][0]]
        note = ("no finding on the compound itself, so the verdict is inferred from "
                f"{kb.label(acquired[0][0])}, whose evidence "
                f"is gathered on a driver ({', '.join(others) or 'none'})")
    elif any(v == Verdict.SENSITIVE for v in verdicts):
        note = ("no finding on the compound itself; each part alone is sensitive or untested, but a compound is "
                "never called sensitive by inference: compound mutations resist what each part does not")
    else:
        note = "no finding on the compound itself or on its parts"
    routes = [[node, *r] if node is not None else r for _, j in judged for r in j.routes]
    evidence = [e for _, j in judged for e in j.evidence]
    class_ids = frozenset(i for _, j in judged for i in j.class_ids)
    found = bool(evidence)
    # parts that differ are the point of a compound, not a disagreement of sources
    return Judgement(verdict, MatchLevel.COMPONENT if found else MatchLevel.NONE, evidence, class_ids,
                     Decision(verdict, None, False, (), note), inferred=found, parts=judged, routes=routes, note=note,
                     decisive=decisive)


def judge(kb: KnowledgeBase, variant: Node | None, drug: Node, scope: set[str] | None = None, *,
          parts: list[Node] | None = None) -> Judgement:
    """The verdict for ``variant`` (or, with ``variant`` None, the compound of ``parts``) against ``drug``."""
    if variant is not None:
        own = _single(kb, variant, drug, scope)
        components = parts if parts is not None else sorted(kb.graph.objects(variant, TKG.hasComponent))
        if own.evidence or not components:
            return own
        return _compound(kb, variant, list(components), drug, scope)
    return _compound(kb, None, list(parts or ()), drug, scope)


def judge_group(kb: KnowledgeBase, members: list[Node], drug: Node, scope: set[str] | None,
                level: MatchLevel) -> Judgement:
    """Several variants asked at once (a codon, a gene family's fusions): their evidence pooled."""
    evidence: list[Evidence] = []
    class_ids: set[str] = set()
    routes: list[list[Node]] = []
    for member in members:
        one = judge(kb, member, drug, scope)
        evidence += [e for e in one.evidence if e not in evidence]
        class_ids |= one.class_ids
        routes += one.routes
    decision = decide(evidence, scope, frozenset(class_ids))
    return Judgement(decision.verdict, level if evidence else MatchLevel.NONE, evidence, frozenset(class_ids),
                     decision, routes=routes)
