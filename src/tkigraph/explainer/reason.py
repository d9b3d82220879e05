"""The reasoning behind ``tkigraph explain``: find the evidence, judge it, gather the context.

The verdict is :func:`tkigraph.explainer.verdict.judge` (the one rule, documented in
``docs/explain.md``); this module decides *what* is judged (the variant, its codon, its
parts, a gene's alterations), and collects what a reader needs beside the verdict: the
class evidence, the conflict, the clinical meaning of a trans compound, the nearest
evidence when there is none, the cross-resistance row and the alternatives.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..errors import TkigraphError
from ..model import DERIVED_PREDICATE, PHASE_OF, Effect, Entity, Evidence, KnowledgeBase, Node, Phase
from ..namespaces import DCTERMS, TKG, curie, iri_of
from ..resolve import Resolver, VariantMatch
from .alternatives import Alternative, alternatives_for, candidate_drugs, driver_genes, sort_drugs, withdrawn
from .evidence import ancestors, disease_scope, excluded_from
from .nearest import Nearby, nearest, site
from .verdict import Judgement, MatchLevel, Side, Verdict, judge, judge_group, sides

__all__ = ["Explanation", "Alternative", "explain", "alternatives", "judge_match", "DrugFacts", "VariantFacts"]

#: effect -> local name of the direct predicate derived from it (see tkigraph.storage.files.derive)


@dataclass(frozen=True)
class DrugFacts:
    """What the graph says about the asked drug, shown when it holds no evidence for the pair."""

    targets: list[str] = field(default_factory=list)
    indications: list[str] = field(default_factory=list)
    binding_modes: list[str] = field(default_factory=list)
    generation: int | None = None
    #: the labels the drug's approval cites on the drug itself (an approval that names no variant)
    approved_by: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class VariantFacts:
    """How the variant was matched, and where it lies (for a variant the graph lacks, from its codon)."""

    match: str = "exact"
    absent: bool = False
    codon: int | None = None
    exon: int | None = None
    region: str | None = None
    classes: list[str] = field(default_factory=list)


@dataclass
class Explanation:
    """The typed answer of :func:`explain`."""

    query: dict[str, Any]
    drug: Entity
    variant: Entity
    gene: Entity | None
    components: list[Entity]
    phase: Phase | None
    verdict: Verdict
    conflicting: bool
    matched_at: MatchLevel
    inferred: bool
    mechanisms: list[Entity]
    structural_region: str | None
    structural_note: str | None
    evidence: list[Evidence]
    cross_resistance: list[tuple[Entity, Verdict]]
    alternatives: list[Alternative]
    paths: list[list[dict[str, Any]]]
    disease: Entity | None = None
    drug_facts: DrugFacts = field(default_factory=DrugFacts)
    variant_facts: VariantFacts = field(default_factory=VariantFacts)
    class_findings: frozenset[str] = frozenset()  # evidence (finding CURIEs) that is about a class
    conflict: list[Evidence] = field(default_factory=list)  # evidence the verdict overrules
    sides: list[Side] = field(default_factory=list)  # the positions of a conflict, each with its strongest evidence
    decided_by: str = ""  # the rule that decided, in words
    notes: list[str] = field(default_factory=list)  # compound, phase and class notes
    clinical_meaning: list[Evidence] = field(default_factory=list)  # what works against a trans compound
    nearest: list[Nearby] = field(default_factory=list)  # evidence NOT about this variant, when it has none
    excluded_from: list[Entity] = field(default_factory=list)  # classes whose findings exclude the variant

    def from_class(self, item: Evidence) -> bool:
        return item.finding in self.class_findings

    @property
    def summary(self) -> str:
        from .render import summary

        return summary(self)

    def to_dict(self) -> dict[str, Any]:
        from .render import to_dict

        return to_dict(self)

    def to_markdown(self) -> str:
        from .render import to_markdown

        return to_markdown(self)

    def to_text(self) -> str:
        from .render import to_text

        return to_text(self)


# -- what is judged ----------------------------------------------------------------
def judge_match(kb: KnowledgeBase, match: VariantMatch, drug: Node, scope: set[str] | None) -> Judgement:
    """The verdict for a resolved variant expression against ``drug``."""
    if match.absent:
        return Judgement(Verdict.NO_EVIDENCE, MatchLevel.NONE)
    if match.matched_at == "codon" and match.members:
        nodes = ([match.node] if match.node is not None else []) + list(match.members)
        return judge_group(kb, nodes, drug, scope, MatchLevel.CODON)
    if match.matched_at == "gene":
        return judge_group(kb, list(match.members), drug, scope, MatchLevel.GENE)
    if match.node is None:
        return judge(kb, None, drug, scope, parts=list(match.components))
    result = judge(kb, match.node, drug, scope)
    if match.matched_at == "codon" and result.matched_at == MatchLevel.EXACT:
        result.matched_at = MatchLevel.CODON  # a substitution answered by its codon class
    return result


def _nodes(match: VariantMatch) -> list[Node]:
    return ([match.node] if match.node is not None else []) + [*match.components, *match.members]


def _phase(kb: KnowledgeBase, node: Node | None) -> Phase | None:
    if node is None:
        return None
    return PHASE_OF.get(kb.graph.value(node, TKG.phase) or "")


def _notes(kb: KnowledgeBase, match: VariantMatch, result: Judgement) -> list[str]:
    notes = []
    curated = _phase(kb, match.node)
    asked = match.query.phase
    if asked and curated == Phase.UNKNOWN and match.node is not None:  # a phase is only read from a node
        notes.append(f"You asked for the compound in {asked}; the curated compound {kb.label(match.node)} "
                     "has no stated phase, and its findings answer.")
    if match.node is not None and asked is None and curated in (Phase.CIS, Phase.TRANS) and match.components:
        notes.append(f"No phase was given; the {curated.value} compound answers (ask 'in cis' or 'in trans').")
    if result.note:
        notes.append(result.note[0].upper() + result.note[1:] + ".")
    recorded = kb.graph.value(match.node, TKG.proteinChange) if match.node is not None else None
    if (match.node is not None and recorded is not None and match.query.changes
            and match.query.changes[0].upper() != str(recorded).upper()):
        notes.append(f"You asked for {match.query.text}, a synonym the graph records (another residue numbering "
                     f"or name) for {kb.label(match.node)}: its findings answer.")
    if match.matched_at == "gene" and match.label:
        notes.append(f"No single variant was named: the answer pools the findings about {match.label}.")
    if match.matched_at == "codon" and match.members and match.query.kind == "class":
        notes.append(f"{match.query.changes[0]} holds no finding of its own about the drug: the answer pools "
                     "the findings about every change at its codon.")
    elif match.matched_at == "codon" and match.members:
        notes.append("A codon was named: the answer pools the findings about every change at it.")
    return notes


def _codon_class_fallback(kb: KnowledgeBase, resolver: Resolver, match: VariantMatch, result: Judgement,
                          drug: Node, scope: set[str] | None) -> tuple[VariantMatch, Judgement]:
    """A codon class without a finding about the drug (``BTK C481X`` and pirtobrutinib) answers as its codon
    (``C481``): the findings about every change at it, pooled and said so."""
    query = match.query
    if result.verdict != Verdict.NO_EVIDENCE or query.kind != "class" or match.node is None:
        return match, result
    gene = kb.graph.value(match.node, TKG.variantOf)
    try:
        codon = resolver.variant(query.changes[0][:-1], kb.label(gene) if gene is not None else None)
    except TkigraphError:
        return match, result
    pooled = judge_match(kb, codon, drug, scope) if codon.matched_at == "codon" and codon.members else result
    if pooled.verdict == Verdict.NO_EVIDENCE:
        return match, result
    return replace(codon, query=query), pooled  # the query stays the class asked for (said in the notes)


def _approval_note(kb: KnowledgeBase, drug: Node, evidence: list[Evidence]) -> list[str]:
    """A withdrawn approval said beside the verdict: its label evidence describes an approval no longer current."""
    date = withdrawn(kb, drug)
    if date is None or not any(r.kind == "label" for e in evidence for r in e.refs):
        return []
    return [f"The approval of {kb.label(drug)} was withdrawn ({date}): its label evidence describes an approval "
            "that is no longer current."]


def _clinical_meaning(kb: KnowledgeBase, match: VariantMatch, drug: Node) -> list[Evidence]:
    """For a trans compound: what its own findings say works (a combination of two generations)."""
    node = match.node
    if node is None or _phase(kb, node) != Phase.TRANS:
        return []
    found = [kb.evidence(f) for f in sorted(kb.findings_of(node), key=str)]
    return [e for e in found if e.effect == Effect.SENSITIVE and not e.negated and e.drug.id != curie(drug)]


def _paths(kb: KnowledgeBase, routes: list[list[Node]], drug: Node, effects: set[Effect]) -> list[list[dict[str, Any]]]:
    T = TKG
    paths = []
    for route in routes:
        path: list[dict[str, Any]] = []
        for i, node in enumerate(route):
            if i:
                prev = route[i - 1]
                pred = T.hasComponent if (prev, T.hasComponent, node) in kb.graph else T.parentVariant
                path.append({"predicate": curie(pred)})
            path.append(kb.entity(node).to_dict())
        for effect in sorted(effects):
            derived = DERIVED_PREDICATE.get(effect)
            if derived is not None and (route[-1], derived, drug) in kb.graph:
                paths.append([*path, {"predicate": curie(derived)}, kb.entity(drug).to_dict()])
    return paths


def _structure(kb: KnowledgeBase, match: VariantMatch) -> tuple[str | None, str | None]:
    g, T = kb.graph, TKG
    nodes = _nodes(match)
    nodes += [c for n in list(nodes) for c in g.objects(n, T.hasComponent)]
    regions, notes = [], []
    for node in nodes:
        region = g.value(node, T.region)
        note = g.value(node, T.structuralNote)
        if region is not None and kb.label(region) not in regions:
            regions.append(kb.label(region))
        if note is not None and str(note) not in notes:
            notes.append(str(note))
    return ("; ".join(regions) or None), (" ".join(notes) or None)


def _variant_entity(kb: KnowledgeBase, match: VariantMatch) -> Entity:
    if match.matched_at == "codon" and match.members:
        first = match.node if match.node is not None else match.members[0]
        gene = kb.graph.value(first, TKG.variantOf)
        codon = kb.graph.value(first, TKG.codon)
        changes = [str(kb.graph.value(n, TKG.proteinChange)) for n in _nodes(match)]
        asked = match.query.changes[0] if match.query.changes else codon
        name = f"{kb.label(gene) if gene is not None else ''} {asked}"
        return Entity("", f"{name.strip()} (any change: {', '.join(changes)})", "variant")
    if match.node is not None:
        return kb.entity(match.node)
    if match.label:
        return Entity("", match.label, "variant")
    if match.components:
        labels = [kb.label(c) for c in match.components]
        phase = f" ({match.phase})" if match.phase else ""
        return Entity("", " + ".join(labels) + phase, "variant")
    return Entity("", match.query.text, "variant")


def _gene_entity(kb: KnowledgeBase, match: VariantMatch) -> Entity | None:
    if match.gene is not None:
        return kb.entity(match.gene)
    for node in _nodes(match):
        gene = kb.graph.value(node, TKG.variantOf)
        if gene is not None:
            return kb.entity(gene)
    return None


def _mechanisms(result: Judgement) -> list[Entity]:
    found: list[Entity] = []
    for e in result.deciding:
        target_dependence = e.mechanism is not None and e.mechanism.id == "tkigraph:TargetDependence"
        if e.mechanism and e.mechanism not in found and (result.verdict == Verdict.SENSITIVE or not target_dependence):
            found.append(e.mechanism)
    return found


def _order(result: Judgement, scope: set[str]) -> list[Evidence]:
    """Deciding evidence first (own before class), then the rest by level and recency."""
    return sorted(result.evidence, key=lambda e: (
        not (e.disease and e.disease.id in scope), Verdict.of(e.effect) != result.verdict, result.from_class(e),
        e.level_rank, -e.year, e.finding))


def _drug_facts(kb: KnowledgeBase, drug: Node) -> DrugFacts:
    g, T = kb.graph, TKG
    gen = g.value(drug, T.generation)
    return DrugFacts(sorted(kb.label(t) for t in g.objects(drug, T.inhibits)),
                     sorted(kb.label(d) for d in g.objects(drug, T.indicatedFor)),
                     sorted(kb.label(b) for b in g.objects(drug, T.bindingMode)),
                     int(gen) if gen is not None else None,
                     sorted(kb.citation(label) for label in g.objects(drug, DCTERMS.source)))


def explain(kb: KnowledgeBase, drug_name: str, variant_text: str, *, gene: str | None = None,
            disease: str | None = None, resolver: Resolver | None = None) -> Explanation:
    """Explain why ``drug_name`` fails (or works) against ``variant_text``."""
    resolver = resolver or Resolver(kb)
    drug = resolver.drug(drug_name)
    variant_text, disease = _split_disease(resolver, variant_text, disease)
    match = resolver.variant(variant_text, gene, prefer=lambda v: any(kb.findings_of(v, drug)))
    disease_node = resolver.disease(disease) if disease else None
    scope = disease_scope(kb, disease_node)
    result = judge_match(kb, match, drug, scope)
    match, result = _codon_class_fallback(kb, resolver, match, result, drug, scope)
    evidence = _order(result, scope)
    judged = {other: judge_match(kb, match, other, scope) for other in candidate_drugs(kb, match, resolver) | {drug}}
    within = None if disease_node is not None else _implied_scope(kb, evidence)
    region, note = _structure(kb, match)
    gene_entity = _gene_entity(kb, match)
    variant_entity = _variant_entity(kb, match)
    undecided = result.verdict == Verdict.NO_EVIDENCE and (not result.evidence or result.inferred)
    near = nearest(kb, match, drug, scope, resolver) if undecided else []  # evidence set aside is shown instead
    facts = _variant_facts(kb, match, resolver)
    if match.absent:
        region = region or facts.region
    return Explanation(
        query={"drug": drug_name, "variant": variant_text, "gene": gene, "disease": disease},
        drug=kb.entity(drug), variant=variant_entity, gene=gene_entity,
        components=[kb.entity(c) for c in _components(kb, match)],
        phase=match.phase or _phase(kb, match.node),
        verdict=result.verdict, conflicting=result.conflicting, matched_at=result.matched_at,
        inferred=result.inferred, mechanisms=_mechanisms(result), structural_region=region, structural_note=note,
        evidence=evidence, cross_resistance=[(kb.entity(d), judged[d].verdict) for d in sort_drugs(kb, judged)],
        alternatives=alternatives_for(kb, judged, drug, scope, within, driver_genes(kb, match, drug, resolver),
                                      resistance_setting=_resistance_setting(kb, match, result), resolver=resolver),
        paths=_paths(kb, result.routes, drug, {e.effect for e in evidence}),
        disease=kb.entity(disease_node) if disease_node is not None else None,
        drug_facts=_drug_facts(kb, drug), variant_facts=facts,
        class_findings=result.class_ids, conflict=list(result.decision.overruled),
        sides=sides(result.evidence, scope) if not result.inferred else [],
        decided_by=result.decision.reason, notes=_notes(kb, match, result) + _approval_note(kb, drug, evidence),
        clinical_meaning=_clinical_meaning(kb, match, drug), nearest=near,
        excluded_from=[kb.entity(c) for n in _nodes(match) for c in excluded_from(kb, n)],
    )


def _split_disease(resolver: Resolver, text: str, disease: str | None) -> tuple[str, str | None]:
    """'T315I in CML' -> ('T315I', 'CML') when the words after the last ' in ' name a disease."""
    import re

    found = re.match(r"^(.+?)\s+in\s+(?!cis\b|trans\b)(.+)$", text.strip(), re.IGNORECASE)
    if disease is None and found and resolver.candidates(found.group(2), "disease"):
        return found.group(1), found.group(2)
    return text, disease


def _resistance_setting(kb: KnowledgeBase, match: VariantMatch, result: Judgement) -> bool:
    """Whether the question is about resistance (an acquired variant or a failing drug), not first line."""
    from .verdict import is_driver

    if result.verdict in (Verdict.RESISTANT, Verdict.REDUCED) or match.components:
        return True
    return any(not is_driver(kb, n) for n in _nodes(match))


def _variant_facts(kb: KnowledgeBase, match: VariantMatch, resolver: Resolver) -> VariantFacts:
    g, T = kb.graph, TKG
    classes = list(dict.fromkeys(kb.label(a) for n in _nodes(match) for a in ancestors(kb, n)))
    if match.absent:
        where = site(kb, match, resolver)
        return VariantFacts(match.matched_at, True, where["codon"], where["exon"], where["region"], classes)
    node = match.node if match.node is not None else next(iter(match.members), None)
    codon = g.value(node, T.codon) if node is not None else None
    exon = g.value(node, T.exon) if node is not None else None
    return VariantFacts(match.matched_at, False, int(codon) if codon is not None else None,
                        int(exon) if exon is not None else None, None, classes)


def _components(kb: KnowledgeBase, match: VariantMatch) -> list[Node]:
    if match.components:
        return list(match.components)
    return sorted(kb.graph.objects(match.node, TKG.hasComponent)) if match.node is not None else []


def _implied_scope(kb: KnowledgeBase, evidence: list[Evidence]) -> set[str] | None:
    """The diseases of the asked pair's evidence (with sub- and super-types), if any."""
    scope: set[str] = set()
    for item in evidence:
        if item.disease is not None:
            scope |= disease_scope(kb, iri_of(item.disease.id))
    return scope or None


def alternatives(kb: KnowledgeBase, variant_text: str, *, gene: str | None = None,
                 disease: str | None = None, resolver: Resolver | None = None) -> tuple[Entity, list[Alternative]]:
    """Drugs with sensitivity evidence against a variant, best first."""
    resolver = resolver or Resolver(kb)
    match = resolver.variant(variant_text, gene)
    scope = disease_scope(kb, resolver.disease(disease) if disease else None)
    judged = {d: judge_match(kb, match, d, scope) for d in candidate_drugs(kb, match, resolver)}
    return _variant_entity(kb, match), alternatives_for(
        kb, judged, None, scope, None, driver_genes(kb, match, None, resolver),
        resistance_setting=any(j.verdict != Verdict.SENSITIVE for j in judged.values()))
