"""The cross-resistance matrix of one target: its variants (rows) by the drugs of its class (columns).

Each cell holds the verdict ``tkigraph explain`` gives for that (variant, drug)
pair: :func:`~tkigraph.explainer.verdict.judge`, the one verdict rule.
:func:`compute` finds; :func:`matrix_page` and :func:`figure` render.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..explainer.style import VERDICT_STYLE
from ..explainer.verdict import Verdict, judge
from ..model import Entity, Evidence, KnowledgeBase, Node
from ..namespaces import RDF, TKG, curie
from .network import evidence_json
from .page import page, write_atomic_bytes

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["VERDICT_COLOURS", "OTHER_REGION", "COMPOUND_REGION", "Cell", "Matrix", "compute", "cell_verdict",
           "matrix_page", "figure", "write"]

#: verdict -> (cell colour, legend label), read from :data:`~tkigraph.explainer.style.VERDICT_STYLE`
VERDICT_COLOURS: dict[Verdict, tuple[str, str]] = {v: (s.colour, s.label) for v, s in VERDICT_STYLE.items()}

#: the row group of variants without a structural region, and of compound variants
OTHER_REGION, COMPOUND_REGION = "other alteration", "compound mutation"


@dataclass(frozen=True)
class Cell:
    """One (variant, drug) verdict with the evidence behind it."""

    verdict: Verdict
    conflicting: bool
    inferred: bool
    matched_at: str
    fold: str  # IC50 fold change label ('' when unknown)
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "conflicting": self.conflicting, "inferred": self.inferred,
                "matched_at": self.matched_at, "fold": self.fold, "evidence": [evidence_json(e) for e in self.evidence]}


@dataclass
class Matrix:
    """Rows, columns and cells (keyed by (variant CURIE, drug CURIE); absent means no evidence)."""

    target: Entity
    variants: list[Entity]
    drugs: list[Entity]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    disease: Entity | None = None
    regions: dict[str, str] = field(default_factory=dict)  # variant CURIE -> structural region (rows are ordered by it)

    def region(self, variant: str) -> str:
        return self.regions.get(variant, OTHER_REGION)

    def figure(self) -> Figure:
        """The matrix as a matplotlib Figure: see :func:`figure`."""
        return figure(self)

    def cell(self, variant: str, drug: str) -> Cell:
        return self.cells.get((variant, drug)) or Cell(Verdict.NO_EVIDENCE, False, False, "none", "")

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target.to_dict(), "disease": self.disease.to_dict() if self.disease else None,
                "variants": [v.to_dict() for v in self.variants], "drugs": [d.to_dict() for d in self.drugs],
                "verdicts": {v: {"colour": s.colour, "label": s.label} for v, s in VERDICT_STYLE.items()},
                "regions": {v.id: self.region(v.id) for v in self.variants},
                "cells": {f"{v}|{d}": c.to_dict() for (v, d), c in sorted(self.cells.items())}}


def _fold_label(evidence: Iterable[Evidence], verdict: Verdict) -> str:
    folds = sorted({e.ic50_fold_change for e in evidence
                    if not e.negated and Verdict.of(e.effect) == verdict and e.ic50_fold_change is not None})
    if not folds:
        return ""
    low, high = folds[0], folds[-1]
    return f"{low:.3g}×" if low == high else f"{low:.3g}–{high:.3g}×"


def cell_verdict(kb: KnowledgeBase, variant: Node, drug: Node, scope: set[str] | None = None) -> Cell:
    """The verdict ``tkigraph explain`` gives for (variant, drug), as a matrix cell (the one rule:
    :func:`tkigraph.explainer.verdict.judge`)."""
    result = judge(kb, variant, drug, scope)
    return Cell(result.verdict, result.conflicting, result.inferred, result.matched_at,
                _fold_label(result.evidence, result.verdict), tuple(result.evidence))


def _variant_key(kb: KnowledgeBase, node: Node) -> tuple[bool, int, str]:
    codon = kb.graph.value(node, TKG.codon)
    label = kb.label(node)
    number = int(codon) if codon is not None else int(m.group()) if (m := re.search(r"\d+", label)) else 0
    return (kb.graph.value(node, TKG.hasComponent) is not None, number, label.lower())


def _region_of(kb: KnowledgeBase, node: Node) -> str:
    g, T = kb.graph, TKG
    if g.value(node, T.hasComponent) is not None:
        return COMPOUND_REGION
    regions = sorted(kb.label(r) for r in g.objects(node, T.region))
    return regions[0] if regions else OTHER_REGION


def _by_region(kb: KnowledgeBase, rows: list[Node]) -> tuple[list[Node], dict[str, str]]:
    """Rows grouped by structural region (regions in the order of their median codon), then by codon."""
    region = {curie(v): _region_of(kb, v) for v in rows}
    codons: dict[str, list[int]] = {}
    for v in rows:
        codons.setdefault(region[curie(v)], []).append(_variant_key(kb, v)[1])

    def place(name: str) -> tuple[bool, bool, int, str]:
        numbers = sorted(codons[name])
        return (name in (OTHER_REGION, COMPOUND_REGION), name == COMPOUND_REGION, numbers[len(numbers) // 2], name)

    order = {name: n for n, name in enumerate(sorted(codons, key=place))}
    return sorted(rows, key=lambda v: (order[region[curie(v)]], _variant_key(kb, v))), region


def _drug_key(kb: KnowledgeBase, node: Node) -> tuple[int, str]:
    gen = kb.graph.value(node, TKG.generation)
    return (int(gen) if gen is not None else 9, kb.label(node).lower())


def _drugs_reached(kb: KnowledgeBase, variant: Node, tested: dict[Node, set[Node]]) -> set[Node]:
    """Every drug with a finding on the variant, its classes (tkigraph:parentVariant) or its components
    (and theirs): a superset of the drugs whose cell :func:`cell_verdict` can fill (the rule reads no other
    findings). ``tested`` memoises each node's drugs."""
    g, T = kb.graph, TKG
    seen, frontier, drugs = {variant}, [variant], set[Node]()
    while frontier:
        node = frontier.pop()
        if node not in tested:
            tested[node] = {d for f in g.subjects(T.variant, node) for d in g.objects(f, T.drug)}
        drugs |= tested[node]
        for nxt in (*g.objects(node, T.parentVariant), *g.objects(node, T.hasComponent)):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return drugs


def compute(kb: KnowledgeBase, target: str, *, disease: str | None = None) -> Matrix:
    """The matrix of ``target`` (a gene or fusion name: ABL1, BCR-ABL1, EGFR, ALK ...).

    Rows: variants of the target and of its fusions with at least one verdict.
    Columns: drugs that inhibit the target or its fusions, and drugs with
    findings on its variants.
    """
    from ..explainer.evidence import disease_scope
    from ..resolve import Resolver

    kb = kb.remembering()  # every cell reads the same variants, classes and findings again
    resolver = Resolver(kb)
    gene = resolver.gene(target)
    disease_node = resolver.disease(disease) if disease else None
    scope = disease_scope(kb, disease_node) or None
    g, T = kb.graph, TKG
    genes = resolver.gene_scope(gene)
    # the variants of the target's genes, asked by gene (not by listing every variant of the graph)
    variants = {v for t in genes for v in g.subjects(T.variantOf, t) if kb.is_a(v, T.Variant)} - {gene}
    drugs = {d for t in genes for d in g.subjects(T.inhibits, t)}
    drugs |= {d for v in variants for f in kb.findings_of(v) for d in g.objects(f, T.drug)}
    drugs = {d for d in drugs if (d, RDF.type, T.Drug) in g}
    cells = {}
    tested: dict[Node, set[Node]] = {}
    for v in variants:
        reached = _drugs_reached(kb, v, tested)
        for d in drugs & reached:  # a pair no finding can reach is no evidence: judged only where one may
            cell = cell_verdict(kb, v, d, scope)
            if cell.verdict != "no_evidence":
                cells[(curie(v), curie(d))] = cell
    answered = {key[0] for key in cells}
    rows, regions = _by_region(kb, [v for v in variants if curie(v) in answered])
    return Matrix(kb.entity(gene), [kb.entity(v) for v in rows],
                  [kb.entity(d) for d in sorted(drugs, key=lambda d: _drug_key(kb, d))], cells,
                  kb.entity(disease_node) if disease_node is not None else None, regions)


def _title(matrix: Matrix) -> str:
    where = f" in {matrix.disease.label}" if matrix.disease else ""
    return f"Cross-resistance of {matrix.target.label} variants{where}"


def matrix_page(matrix: Matrix) -> str:
    """The matrix as one self-contained HTML page (evidence one click away)."""
    return page("matrix", _title(matrix), matrix.to_dict())


def figure(matrix: Matrix) -> Figure:
    """The matrix as a matplotlib Figure (coloured cells, fold change labels, a legend)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    rows, cols = matrix.variants, matrix.drugs
    fig = Figure(figsize=(4.5 + 0.7 * len(cols), max(3.0, 2.0 + 0.28 * len(rows))))
    ax = fig.add_subplot()
    for i, v in enumerate(rows):
        for j, d in enumerate(cols):
            cell = matrix.cell(v.id, d.id)
            style = VERDICT_STYLE[cell.verdict]
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=style.colour, edgecolor="white"))
            text = cell.fold + ("*" if cell.conflicting else "")
            if text:
                ax.text(j + 0.5, i + 0.5, text, ha="center", va="center", fontsize=6, color=style.ink)
    ax.set_xlim(0, len(cols))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks([j + 0.5 for j in range(len(cols))], [d.label for d in cols], rotation=60, ha="right", fontsize=7)
    ticks, previous = [], None
    for i, v in enumerate(rows):
        region = matrix.region(v.id)
        if region != previous and i:
            ax.axhline(i, color="#444", linewidth=0.8)
        ticks.append(f"{region} \u2014 {v.label}" if region != previous else v.label)
        previous = region
    ax.set_yticks([i + 0.5 for i in range(len(rows))], ticks, fontsize=7)
    ax.tick_params(length=0)
    ax.set_title(_title(matrix), fontsize=10)
    handles = [Patch(facecolor=s.colour, edgecolor="#999", label=s.label) for s in VERDICT_STYLE.values()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7, frameon=False,
              title="verdict (label: IC50 fold change, * conflicting)", title_fontsize=7)
    fig.tight_layout()
    return fig


def write(matrix: Matrix, path: str | Path) -> Path:
    """Write the matrix to ``path`` atomically: .html, .png or .svg by the suffix."""
    import io

    from ..errors import TkigraphError

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        write_atomic_bytes(path, matrix_page(matrix).encode("utf-8"))
    elif suffix in (".png", ".svg"):
        buffer = io.BytesIO()
        figure(matrix).savefig(buffer, format=suffix[1:], dpi=150, bbox_inches="tight", metadata=_metadata(suffix))
        write_atomic_bytes(path, buffer.getvalue())
    else:
        raise TkigraphError(f"{path}: cannot write a matrix as {suffix or 'a file without a suffix'}",
                            hint="use .html, .png or .svg")
    return path


def _metadata(suffix: str) -> dict[str, str]:
    from ..version import __version__

    return {"Software": f"tkigraph {__version__}"} if suffix == ".png" else {"Creator": f"tkigraph {__version__}"}
