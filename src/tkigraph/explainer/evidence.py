"""The evidence rules shared by ``explain``, ``alternatives``, ``mechanisms`` and the matrix.

* :func:`ancestors`: the classes a variant belongs to through ``tkigraph:parentVariant``, nearest
  first, except a class that names the variant (or a class on the way) in ``tkigraph:excludesMember``.
* :func:`findings_for`: a variant's own evidence for a drug and, beside it, its classes'.
* :func:`disease_scope`: a disease with its broader and narrower diseases.

The verdict itself is :func:`tkigraph.explainer.verdict.judge`, the one rule.
"""

from __future__ import annotations

from ..model import Evidence, KnowledgeBase, Node
from ..namespaces import SKOS, TKG, curie

__all__ = ["ancestors", "excluded_from", "findings_for", "collect", "disease_scope"]


def excluded_from(kb: KnowledgeBase, variant: Node) -> list[Node]:
    """The classes that name ``variant`` as an excluded member."""
    return sorted(kb.graph.subjects(TKG.excludesMember, variant), key=str)


def ancestors(kb: KnowledgeBase, variant: Node) -> list[Node]:
    """The variant's classes through tkigraph:parentVariant, nearest first, without the classes that exclude it."""
    g, T = kb.graph, TKG
    seen: list[Node] = []
    frontier = [variant]
    while frontier:
        nxt = []
        for node in frontier:
            for parent in sorted(g.objects(node, T.parentVariant), key=str):
                if parent in seen or parent == variant:
                    continue
                if (parent, T.excludesMember, variant) in g or (parent, T.excludesMember, node) in g:
                    continue
                seen.append(parent)
                nxt.append(parent)
        frontier = nxt
    return seen


def _evidence(kb: KnowledgeBase, variant: Node, drug: Node) -> list[Evidence]:
    return [kb.evidence(f) for f in sorted(kb.findings_of(variant, drug), key=str)]


def findings_for(kb: KnowledgeBase, variant: Node, drug: Node) -> tuple[list[Evidence], list[Evidence], list[Node]]:
    """(the variant's own evidence, its classes' evidence, the route to the nearest class that answered)."""
    exact = _evidence(kb, variant, drug)
    classes: list[Evidence] = []
    route = [variant]
    for parent in ancestors(kb, variant):
        found = _evidence(kb, parent, drug)
        if found and not classes and not exact:
            route = [variant, *_path(kb, variant, parent)]
        classes += found
    return exact, classes, route


def _path(kb: KnowledgeBase, start: Node, goal: Node) -> list[Node]:
    """The parentVariant steps from ``start`` to its ancestor ``goal`` (without ``start``)."""
    T = TKG
    paths: dict[Node, list[Node]] = {start: []}
    frontier = [start]
    while frontier:
        node = frontier.pop(0)
        for parent in sorted(kb.graph.objects(node, T.parentVariant), key=str):
            if parent not in paths:
                paths[parent] = [*paths[node], parent]
                if parent == goal:
                    return paths[parent]
                frontier.append(parent)
    return [goal]


def collect(kb: KnowledgeBase, variant: Node, drug: Node) -> tuple[list[Evidence], str, list[Node]]:
    """Evidence for (variant, drug): its own, else its nearest class's: (evidence, matched_at, route)."""
    exact, classes, route = findings_for(kb, variant, drug)
    if exact:
        return exact, "exact", [variant]
    return (classes, "parent", route) if classes else ([], "none", [variant])


def disease_scope(kb: KnowledgeBase, disease: Node | None) -> set[str]:
    """A disease with its broader and narrower diseases, as CURIEs."""
    if disease is None:
        return set()
    g = kb.graph
    scope = {disease}
    for pred in (SKOS.broader,):
        frontier = [disease]
        while frontier:
            node = frontier.pop()
            for other in [*g.objects(node, pred), *g.subjects(pred, node)]:
                if other not in scope:
                    scope.add(other)
                    frontier.append(other)
    return {curie(d) for d in scope}
