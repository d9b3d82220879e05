"""The reasoning behind ``tkigraph explain``: findings, hierarchy, verdict, alternatives.

Rules (documented in the README):

* Findings match the variant itself first, then its ancestors through
  ``tkg:parentVariant`` (an exon 19 deletion inherits "exon 19 deletion"; a
  specific fusion, the kinase's fusions) and, for a codon-level query, every
  variant at that codon. ``matched_at`` says which level answered.
* A compound variant uses its own findings first; otherwise its components are
  combined (any resistant component makes the compound resistant, then any
  reduced-sensitivity one; all sensitive makes it sensitive) and the verdict is
  marked ``inferred``.
* The verdict follows the strongest evidence: the best evidence level, then the
  number of independent sources; on a tie the more cautious effect wins.
  Disagreement is reported, never hidden. Negated findings are shown but not
  counted. With a disease, findings in that disease (or its subtypes and
  parents) decide when there are any.
* No finding: verdict ``no_evidence``; nothing is guessed.
* Alternatives are drugs whose verdict is sensitive and that have no
  resistance or reduced-sensitivity evidence against the variant (never a
  group of drugs whose source did not say they were combined).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Entity, Evidence, KnowledgeBase, Node
from ..namespaces import curie, expand_iri
from ..resolve import Resolver, VariantMatch
from .evidence import ancestors, collect, combine, disease_scope, verdict_of

__all__ = ["Explanation", "Alternative", "explain", "alternatives"]

SHORT = {"resistant": "R", "reduced_sensitivity": "r", "sensitive": "S", "no_evidence": "?"}
#: effect -> local name of the direct predicate derived from it (see tkigraph.store.derive)
_PREDICATE_OF = {"resistant": "confersResistanceTo", "reduced_sensitivity": "reducesSensitivityTo",
                 "sensitive": "retainsSensitivityTo"}


@dataclass(frozen=True)
class Alternative:
    """A drug with sensitivity evidence against the variant."""

    drug: Entity
    verdict: str
    level: str
    level_rank: int
    reason: str
    sources: tuple[str, ...]
    in_disease: bool
    ic50_fold_change: float | None = None

    def to_dict(self) -> dict:
        return {"drug": self.drug.label, "drug_id": self.drug.id, "verdict": self.verdict,
                "level": self.level, "reason": self.reason, "sources": list(self.sources),
                "in_disease": self.in_disease, "ic50_fold_change": self.ic50_fold_change}


@dataclass
class Explanation:
    """The typed answer of :func:`explain`."""

    query: dict
    drug: Entity
    variant: Entity
    gene: Entity | None
    components: list[Entity]
    phase: str | None
    verdict: str
    conflicting: bool
    matched_at: str
    inferred: bool
    mechanisms: list[Entity]
    structural_region: str | None
    structural_note: str | None
    evidence: list[Evidence]
    cross_resistance: list[tuple[Entity, str]]
    alternatives: list[Alternative]
    paths: list[list[dict]]
    disease: Entity | None = None
    drug_facts: dict = field(default_factory=dict)
    variant_facts: dict = field(default_factory=dict)

    @property
    def summary(self) -> str:
        from .render import summary

        return summary(self)

    def to_dict(self) -> dict:
        from .render import to_dict

        return to_dict(self)


# -- the answer -------------------------------------------------------------------
def _node_dict(kb: KnowledgeBase, node) -> dict:
    return kb.entity(node).to_dict()


def _targets(kb: KnowledgeBase, match: VariantMatch, resolver: Resolver) -> set[Node]:
    genes: set[Node] = set()
    nodes = [match.node] if match.node is not None else [*match.components, *match.members]
    for node in nodes:
        for gene in kb.graph.objects(node, kb.V.TKG.variantOf):
            genes |= resolver.gene_scope(gene)
    return genes


class _Reasoner:
    def __init__(self, kb: KnowledgeBase, resolver: Resolver, scope: set[str]):
        self.kb, self.resolver, self.scope = kb, resolver, scope

    def for_node(self, variant: Node, drug: Node) -> tuple[list[Evidence], str, list[Node]]:
        return collect(self.kb, variant, drug)

    def _result(self, evidence: list[Evidence], matched_at: str, routes: list, inferred: bool) -> dict:
        verdict, conflict = verdict_of(evidence, self.scope)
        return dict(evidence=evidence, verdict=verdict, conflicting=conflict, inferred=inferred and bool(evidence),
                    matched_at=matched_at if evidence else "none", routes=routes)

    def judge(self, match: VariantMatch, drug: Node) -> dict:
        """Evidence, verdict and routes for one drug against the matched variant."""
        g = self.kb.graph
        node = match.node
        if node is not None:
            ev, level, route = self.for_node(node, drug)
            parts = list(g.objects(node, self.kb.V.TKG.hasComponent))
            if ev or not parts:
                level = match.matched_at if level == "exact" else level  # a codon query answered by its class
                return self._result(ev, level, [route] if ev else [], inferred=False)
        elif match.members:  # codon-level query: every variant at the codon
            evidence, routes = [], []
            for member in match.members:
                ev, _level, route = self.for_node(member, drug)
                evidence += ev
                routes += [route] if ev else []
            return self._result(evidence, "codon", routes, inferred=False)
        else:
            parts = list(match.components)
        evidence, verdicts, routes = [], [], []
        for part in parts:  # a compound without findings of its own: combine the components
            ev, _level, route = self.for_node(part, drug)
            evidence += ev
            verdicts.append(verdict_of(ev, self.scope)[0])
            if ev:
                routes.append([node, *route] if node is not None else route)
        result = self._result(evidence, "component", routes, inferred=True)
        result["verdict"] = combine(verdicts)
        result["conflicting"] = len({v for v in verdicts if v != "no_evidence"}) > 1
        return result


def _class_drugs(kb: KnowledgeBase, match: VariantMatch, resolver: Resolver) -> set[Node]:
    g, T = kb.graph, kb.V.TKG
    drugs = {d for gene in _targets(kb, match, resolver) for d in g.subjects(T.inhibits, gene)}
    nodes = [match.node] if match.node is not None else []
    nodes += [*match.components, *match.members]
    for node in list(nodes):
        nodes += ancestors(kb, node)
        nodes += list(g.objects(node, T.hasComponent))
    for node in nodes:
        drugs |= {d for f in kb.findings_of(node) for d in g.objects(f, T.drug)}
    return drugs


def _sort_drugs(kb: KnowledgeBase, drugs) -> list[Node]:
    def key(d):
        gen = kb.graph.value(d, kb.V.TKG.generation)
        return (int(gen) if gen is not None else 9, kb.label(d).lower())
    return sorted(drugs, key=key)


def _implied_scope(kb: KnowledgeBase, evidence: list[Evidence]) -> set[str] | None:
    """The diseases of the asked pair's evidence (with sub- and super-types), if any."""
    scope: set[str] = set()
    for item in evidence:
        if item.disease is not None:
            scope |= disease_scope(kb, kb.V.iri(expand_iri(item.disease.id)))
    return scope or None


def _alternatives(kb: KnowledgeBase, judged: dict, asked: Node | None,
                  within: set[str] | None = None) -> list[Alternative]:
    """Drugs judged sensitive with no resistance evidence; ``within`` keeps only those
    with sensitivity evidence in those diseases (the context implied by the asked pair)."""
    out = []
    unspecified = kb.instances(kb.V.TKG.UnspecifiedCombination)
    for drug, result in judged.items():
        if drug == asked or result["verdict"] != "sensitive" or drug in unspecified:
            continue
        evidence = [e for e in result["evidence"] if not e.negated]
        if any(e.effect != "sensitive" for e in evidence):  # resistance evidence: never offered
            continue
        best = min((e for e in evidence if e.effect == "sensitive"),
                   key=lambda e: (not e.disease or e.disease.id not in result["scope"], e.level_rank,
                                  e.ic50_fold_change if e.ic50_fold_change is not None else 1e9, e.finding))
        in_disease = bool(best.disease and best.disease.id in result["scope"])
        if within is not None and not any(e.disease and e.disease.id in within
                                          for e in evidence if e.effect == "sensitive"):
            continue
        reason = f"{best.statement} ({'; '.join(best.citations)})"
        out.append(Alternative(kb.entity(drug), "sensitive", best.level, best.level_rank, reason,
                               best.sources, in_disease, best.ic50_fold_change))
    out.sort(key=lambda a: (not a.in_disease, a.level_rank,
                            a.ic50_fold_change if a.ic50_fold_change is not None else 1e9, a.drug.label))
    return out


def _paths(kb: KnowledgeBase, routes: list[list[Node]], drug: Node, verdict_effects: set[str]) -> list[list[dict]]:
    T = kb.V.TKG
    paths = []
    for route in routes:
        path: list[dict] = []
        for i, node in enumerate(route):
            if i:
                prev = route[i - 1]
                pred = T.hasComponent if (prev, T.hasComponent, node) in kb.graph else T.parentVariant
                path.append({"predicate": curie(pred)})
            path.append(_node_dict(kb, node))
        for effect in sorted(verdict_effects):
            pred = getattr(T, _PREDICATE_OF[effect]) if effect in _PREDICATE_OF else None
            if pred is not None and (route[-1], pred, drug) in kb.graph:
                paths.append([*path, {"predicate": curie(pred)}, _node_dict(kb, drug)])
    return paths


def _structure(kb: KnowledgeBase, match: VariantMatch) -> tuple[str | None, str | None]:
    g, T = kb.graph, kb.V.TKG
    nodes = [match.node] if match.node is not None else []
    nodes += [*match.components, *match.members]
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
    if match.node is not None:
        return kb.entity(match.node)
    if match.components:
        labels = [kb.label(c) for c in match.components]
        phase = f" ({match.phase})" if match.phase else ""
        return Entity("", " + ".join(labels) + phase, "variant")
    return Entity("", match.query.text, "variant")


def _gene_entity(kb: KnowledgeBase, match: VariantMatch) -> Entity | None:
    nodes = [match.node] if match.node is not None else [*match.components, *match.members]
    for node in nodes:
        gene = kb.graph.value(node, kb.V.TKG.variantOf)
        if gene is not None:
            return kb.entity(gene)
    return None


def explain(kb: KnowledgeBase, drug_name: str, variant_text: str, *, gene: str | None = None,
            disease: str | None = None, resolver: Resolver | None = None) -> Explanation:
    """Explain why ``drug_name`` fails (or works) against ``variant_text``."""
    resolver = resolver or Resolver(kb)
    drug = resolver.drug(drug_name)
    match = resolver.variant(variant_text, gene, prefer=lambda v: any(kb.findings_of(v, drug)))
    disease_node = resolver.disease(disease) if disease else None
    scope = disease_scope(kb, disease_node)
    reasoner = _Reasoner(kb, resolver, scope)
    result = reasoner.judge(match, drug)
    evidence = sorted(result["evidence"], key=lambda e: (
        not (e.disease and e.disease.id in scope), e.effect != result["verdict"], e.level_rank, e.finding))
    judged = {}
    for other in _class_drugs(kb, match, resolver) | {drug}:
        judged[other] = {**reasoner.judge(match, other), "scope": scope}
    cross = [(kb.entity(d), judged[d]["verdict"]) for d in _sort_drugs(kb, judged)]
    mechanisms = []
    for e in evidence:
        if e.mechanism and e.effect == result["verdict"] and e.mechanism not in mechanisms:
            mechanisms.append(e.mechanism)
    region, note = _structure(kb, match)
    return Explanation(
        query={"drug": drug_name, "variant": variant_text, "gene": gene, "disease": disease},
        drug=kb.entity(drug), variant=_variant_entity(kb, match), gene=_gene_entity(kb, match),
        components=[kb.entity(c) for c in _components(kb, match)],
        phase=match.phase or _phase(kb, match.node),
        verdict=result["verdict"], conflicting=result["conflicting"],
        matched_at=result["matched_at"] if result["evidence"] else "none",
        inferred=result["inferred"], mechanisms=mechanisms, structural_region=region, structural_note=note,
        evidence=evidence, cross_resistance=cross,
        alternatives=_alternatives(kb, judged, drug, within=None if disease_node is not None else
                                   _implied_scope(kb, evidence)),
        paths=_paths(kb, result["routes"], drug, {e.effect for e in evidence}),
        disease=kb.entity(disease_node) if disease_node is not None else None,
        drug_facts=_drug_facts(kb, drug), variant_facts={"match": match.matched_at},
    )


def _components(kb: KnowledgeBase, match: VariantMatch) -> list[Node]:
    if match.components:
        return list(match.components)
    return sorted(kb.graph.objects(match.node, kb.V.TKG.hasComponent)) if match.node is not None else []


def _phase(kb: KnowledgeBase, node) -> str | None:
    if node is None:
        return None
    T = kb.V.TKG
    return {T.Cis: "cis", T.Trans: "trans", T.PhaseUnknown: "unknown"}.get(kb.graph.value(node, T.phase))


def _drug_facts(kb: KnowledgeBase, drug: Node) -> dict:
    g, T = kb.graph, kb.V.TKG
    gen = g.value(drug, T.generation)
    return {
        "targets": sorted(kb.label(t) for t in g.objects(drug, T.inhibits)),
        "indications": sorted(kb.label(d) for d in g.objects(drug, T.indicatedFor)),
        "binding_modes": sorted(kb.label(b) for b in g.objects(drug, T.bindingMode)),
        "generation": int(gen) if gen is not None else None,
    }


def alternatives(kb: KnowledgeBase, variant_text: str, *, gene: str | None = None,
                 disease: str | None = None, resolver: Resolver | None = None) -> tuple[Entity, list[Alternative]]:
    """Drugs with sensitivity evidence against a variant, best first."""
    resolver = resolver or Resolver(kb)
    match = resolver.variant(variant_text, gene)
    scope = disease_scope(kb, resolver.disease(disease) if disease else None)
    reasoner = _Reasoner(kb, resolver, scope)
    judged = {d: {**reasoner.judge(match, d), "scope": scope} for d in _class_drugs(kb, match, resolver)}
    return _variant_entity(kb, match), _alternatives(kb, judged, None)
