"""How each verdict looks: one table that every renderer reads (explain's text and Markdown, the matrix
as text, page and figure, the drug map).

>>> VERDICT_STYLE[Verdict.RESISTANT].letter, VERDICT_STYLE[Verdict.NO_EVIDENCE].label
('R', 'no evidence')
"""

from __future__ import annotations

from dataclasses import dataclass

from .verdict import Verdict

__all__ = ["VerdictStyle", "VERDICT_STYLE"]


@dataclass(frozen=True)
class VerdictStyle:
    """The words, letters and colours of one verdict."""

    #: explain's heading ("REDUCED SENSITIVITY")
    words: str
    #: legends and page labels ("reduced sensitivity")
    label: str
    #: a matrix cell as text and Markdown ("." for no evidence, so that an empty matrix reads clean)
    letter: str
    #: a drug of explain's cross-resistance row ("?" for no evidence)
    row_letter: str
    #: fill of a matrix cell and colour of a drug map's marker and border
    colour: str
    #: light fill of a drug map's chip
    tint: str
    #: text on ``colour`` in the matrix figure
    ink: str
    #: click's colour name for explain's heading in a terminal
    terminal: str
    #: ANSI escape (background and foreground) of a coloured terminal matrix cell
    ansi: str
    #: order of a drug map's chips within a gene, most resistant first
    severity: int


#: verdict -> how it looks, in the order legends list them
VERDICT_STYLE: dict[Verdict, VerdictStyle] = {
    Verdict.RESISTANT: VerdictStyle("RESISTANT", "resistant", "R", "R", "#d62728", "#fbe1e1", "white", "red",
                                    "\x1b[97;41m", 0),
    Verdict.REDUCED: VerdictStyle("REDUCED SENSITIVITY", "reduced sensitivity", "r", "r", "#ff9f40", "#ffeedd", "black",
                                  "yellow", "\x1b[30;43m", 1),
    Verdict.SENSITIVE: VerdictStyle("SENSITIVE", "sensitive", "S", "S", "#2ca02c", "#e2f3e2", "white", "green",
                                    "\x1b[97;42m", 3),
    Verdict.NO_EVIDENCE: VerdictStyle("NO EVIDENCE", "no evidence", ".", "?", "#f2f2f2", "#f4f4f4", "black", "blue",
                                      "\x1b[90m", 2),
}
