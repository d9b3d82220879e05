"""The evidence rules shared by ``explain``, ``alternatives`` and the matrix.

* :func:`collect`: a variant's findings for a drug (in the order of their
  identifiers), from the variant itself or, failing that, from its nearest
  ancestor through ``tkg:parentVariant``.
* :func:`verdict_of`: the effect with the strongest non-negated evidence (best
  level, then number of independent sources; on a tie the more cautious effect),
  restricted to a disease scope when that scope has evidence.
* :func:`combine`: a compound's verdict from its components' verdicts.
"""

from __future__ import annotations

from ..model import Evidence, KnowledgeBase, Node
from ..namespaces import curie

__all__ = ["CAUTION", "ancestors", "collect", "disease_scope", "verdict_of", "combine"]

CAUTION = {"resistant": 0, "reduced_sensitivity": 1, "sensitive": 2}


def ancestors(kb: KnowledgeBase, variant: Node) -> list[Node]:
    """The variant's parents through tkg:parentVariant, nearest first."""
    seen: list[Node] = []
    frontier = [variant]
    while frontier:
        nxt = []
        for node in frontier:
            for parent in kb.graph.objects(node, kb.V.TKG.parentVariant):
                if parent not in seen and parent != variant:
                    seen.append(parent)
                    nxt.append(parent)
        frontier = nxt
    return seen


def collect(kb: KnowledgeBase, variant: Node, drug: Node) -> tuple[list[Evidence], str, list[Node]]:
    """Evidence for (variant, drug) through the hierarchy: (evidence, matched_at, route)."""
    direct = [kb.evidence(f) for f in sorted(kb.findings_of(variant, drug), key=str)]
    if direct:
        return direct, "exact", [variant]
    route = [variant]
    for parent in ancestors(kb, variant):
        route.append(parent)
        found = [kb.evidence(f) for f in sorted(kb.findings_of(parent, drug), key=str)]
        if found:
            return found, "parent", route
    return [], "none", [variant]


def disease_scope(kb: KnowledgeBase, disease: Node | None) -> set[str]:
    """A disease with its broader and narrower diseases, as CURIEs."""
    if disease is None:
        return set()
    g = kb.graph
    scope = {disease}
    for pred in (kb.V.SKOS.broader,):
        frontier = [disease]
        while frontier:
            node = frontier.pop()
            for other in [*g.objects(node, pred), *g.subjects(pred, node)]:
                if other not in scope:
                    scope.add(other)
                    frontier.append(other)
    return {curie(d) for d in scope}


def verdict_of(evidence: list[Evidence], scope: set[str] | None = None) -> tuple[str, bool]:
    """(verdict, conflicting) from the strongest non-negated evidence."""
    usable = [e for e in evidence if not e.negated]
    if scope:
        local = [e for e in usable if e.disease and e.disease.id in scope]
        usable = local or usable
    if not usable:
        return "no_evidence", False
    strength: dict[str, tuple[int, int, int]] = {}
    for effect in {e.effect for e in usable}:
        items = [e for e in usable if e.effect == effect]
        sources = {s for e in items for s in e.sources}
        strength[effect] = (min(e.level_rank for e in items), -len(sources), CAUTION.get(effect, 9))
    best = min(strength, key=strength.__getitem__)
    return best, len(strength) > 1


def combine(verdicts: list[str]) -> str:
    """The verdict of a compound from its components' verdicts."""
    for effect in ("resistant", "reduced_sensitivity"):
        if effect in verdicts:
            return effect
    if verdicts and all(v == "sensitive" for v in verdicts):
        return "sensitive"
    return "no_evidence"
