"""The cross-resistance matrix as text: a terminal table (coloured or plain), JSON, CSV and Markdown.

Every format is a renderer of one :class:`~tkigraph.render.matrix.Matrix`; rows keep its
order (by structural region, then codon) and show the region. In the table and in
Markdown a cell is one letter: **R** resistant, **r** reduced sensitivity,
**S** sensitive, ``.`` no evidence; ``*`` marks conflicting evidence.

>>> LETTERS["resistant"], LETTERS["no_evidence"]
('R', '.')
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..explainer.style import VERDICT_STYLE
from ..explainer.verdict import Verdict
from .jsontext import dumps
from .matrix import Matrix

__all__ = ["FORMATS", "LETTERS", "render_text", "to_csv", "to_dict", "to_json", "to_markdown", "to_table"]

#: verdict -> the letter a text cell shows (from :data:`~tkigraph.explainer.style.VERDICT_STYLE`)
LETTERS: dict[Verdict, str] = {v: s.letter for v, s in VERDICT_STYLE.items()}
_RESET = "\x1b[0m"
#: the key below a table: each letter with its verdict
_KEY = " · ".join(f"{s.letter} {s.label}" for s in VERDICT_STYLE.values())


def _letter(matrix: Matrix, variant: str, drug: str) -> str:
    cell = matrix.cell(variant, drug)
    return LETTERS[cell.verdict] + ("*" if cell.conflicting else "")


def _abbreviations(matrix: Matrix, width: int = 5) -> list[str]:
    """Short, distinct column names: the first ``width`` letters of each drug (longer when two collide)."""
    labels = [d.label for d in matrix.drugs]
    size = width
    while size < max(map(len, labels), default=0):
        short = [label[:size] for label in labels]
        if len(set(short)) == len(short):
            return short
        size += 1
    return labels


def to_table(matrix: Matrix, colour: bool = False) -> str:
    """A fixed-width table for a terminal; ``colour`` adds ANSI colours (plain letters otherwise)."""
    names = _abbreviations(matrix)
    cw = max([3, *map(len, names)]) + 1
    region_w = max([len("region"), *(len(matrix.region(v.id)) for v in matrix.variants)])
    label_w = max([len("variant"), *(len(v.label) for v in matrix.variants)])
    where = f" in {matrix.disease.label}" if matrix.disease else ""
    lines = [f"Cross-resistance of {matrix.target.label} variants{where}", "",
             f"{'region':<{region_w}}  {'variant':<{label_w}} " + "".join(n.center(cw) for n in names)]
    previous = None
    for v in matrix.variants:
        region = matrix.region(v.id)
        shown = region if region != previous else ""
        previous = region
        cells = []
        for d in matrix.drugs:
            text = _letter(matrix, v.id, d.id).center(cw)
            verdict = matrix.cell(v.id, d.id).verdict
            cells.append(f"{VERDICT_STYLE[verdict].ansi}{text}{_RESET}" if colour else text)
        lines.append(f"{shown:<{region_w}}  {v.label:<{label_w}} " + "".join(cells))
    lines += ["", f"{_KEY} · * conflicting evidence",
              "drugs: " + ", ".join(f"{n}={d.label}" for n, d in zip(names, matrix.drugs, strict=True) if n != d.label)]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def to_dict(matrix: Matrix) -> dict[str, Any]:
    """Every cell of the matrix (no-evidence cells too), rows in order, with regions: the JSON format."""
    return _document(matrix, None)


def _document(matrix: Matrix, empty: dict[str, Any] | None) -> dict[str, Any]:
    """:func:`to_dict`, each cell without evidence ``empty`` (None: a new dictionary for each)."""
    from ..version import __version__

    def cell(variant: str, drug: str) -> dict[str, Any]:
        return _cell_dict(matrix, variant, drug) if empty is None or (variant, drug) in matrix.cells else empty

    return {
        "tkigraph": __version__, "target": matrix.target.to_dict(),
        "disease": matrix.disease.to_dict() if matrix.disease else None,
        "drugs": [d.to_dict() for d in matrix.drugs],
        "verdicts": {v: s.label for v, s in VERDICT_STYLE.items()},
        "rows": [{"variant": v.to_dict(), "region": matrix.region(v.id),
                  "cells": {d.id: cell(v.id, d.id) for d in matrix.drugs}} for v in matrix.variants],
    }


def _cell_dict(matrix: Matrix, variant: str, drug: str) -> dict[str, Any]:
    cell = matrix.cell(variant, drug)
    return {"verdict": str(cell.verdict), "conflicting": cell.conflicting, "inferred": cell.inferred,
            "matched_at": str(cell.matched_at), "ic50_fold_change": cell.fold or None,
            "findings": [e.finding for e in cell.evidence]}


def to_json(matrix: Matrix) -> str:
    """The JSON of :func:`to_dict`, indented (the cells without evidence, most of a large matrix, share one
    dictionary, which :func:`~tkigraph.render.jsontext.dumps` writes once)."""
    return dumps(_document(matrix, _cell_dict(matrix, "", "")), indent=2) + "\n"


def to_csv(matrix: Matrix) -> str:
    """One row per variant: region, variant, its CURIE, then the verdict against each drug."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["region", "variant", "variant_id", *(d.label for d in matrix.drugs)])
    for v in matrix.variants:
        writer.writerow([matrix.region(v.id), v.label, v.id,
                         *(str(matrix.cell(v.id, d.id).verdict) for d in matrix.drugs)])
    return out.getvalue()


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def to_markdown(matrix: Matrix) -> str:
    """A GitHub-flavoured Markdown table (letters as in the terminal table, with the key below)."""
    where = f" in {_md(matrix.disease.label)}" if matrix.disease else ""
    lines = [f"**Cross-resistance of {_md(matrix.target.label)} variants{where}**", "",
             "| region | variant | " + " | ".join(_md(d.label) for d in matrix.drugs) + " |",
             "|---|---|" + "---|" * len(matrix.drugs)]
    for v in matrix.variants:
        lines.append(f"| {_md(matrix.region(v.id))} | {_md(v.label)} | "
                     + " | ".join(_letter(matrix, v.id, d.id).replace("*", "\\*") for d in matrix.drugs) + " |")
    lines += ["", f"{_KEY} · \\* conflicting evidence"]
    return "\n".join(lines) + "\n"


#: format name -> renderer (the ``--format`` choices of ``tkigraph matrix``)
FORMATS = {"table": to_table, "json": to_json, "csv": to_csv, "markdown": to_markdown}


def render_text(matrix: Matrix, fmt: str, colour: bool = False) -> str:
    if fmt == "table":
        return to_table(matrix, colour=colour)
    return FORMATS[fmt](matrix)
