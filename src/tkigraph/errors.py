"""The errors tkigraph raises on bad input: each says what, where, and what to do.

The CLI turns every :class:`TkigraphError` into a message and an exit code,
never a traceback.
"""

from __future__ import annotations

__all__ = ["TkigraphError", "InputFileError", "UnknownNameError", "AmbiguousNameError"]


class TkigraphError(Exception):
    """Base class: a problem with the user's input, reported without a traceback."""

    #: exit code the CLI uses for this error
    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class InputFileError(TkigraphError):
    """A file could not be read or parsed."""

    def __init__(self, path: str, reason: str, line: int | None = None, hint: str | None = None):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}", hint)
        self.path = str(path)
        self.line = line
        self.reason = reason


class UnknownNameError(TkigraphError):
    """A name did not resolve to any entity."""

    exit_code = 2

    def __init__(self, name: str, kind: str = "entity", suggestions: list[str] | None = None):
        self.name = name
        self.kind = kind
        self.suggestions = suggestions or []
        hint = ("did you mean: " + ", ".join(self.suggestions) + "?") if self.suggestions else _HINTS.get(
            kind, "try `tkigraph stats` to see what the graph holds, or a CURIE such as tkd:imatinib")
        super().__init__(f"unknown {kind}: {name!r}", hint)


#: what to type instead, by the kind of name that did not resolve
_HINTS = {
    "variant": ("write a gene and a change (\"EGFR L858R\", \"ALK R1192P\", \"BCR-ABL1 T315I\"), a class (\"exon 19 "
                "deletion\", \"MET amplification\"), a codon (D835) or a CURIE; `tkigraph stats` shows what the graph "
                "holds"),
    "drug": "write a drug name, brand or code name (imatinib, Gleevec, STI-571) or a CURIE such as tkd:imatinib",
}


class AmbiguousNameError(TkigraphError):
    """A name matched several entities."""

    exit_code = 2

    def __init__(self, name: str, kind: str, candidates: list[str], how: str = "name it in full"):
        self.name = name
        self.kind = kind
        self.candidates = candidates
        self.nodes: list[str] = []  # the candidate entities (IRIs), when the caller can use them
        super().__init__(
            f"ambiguous {kind}: {name!r} matches {len(candidates)}: " + ", ".join(candidates),
            f"{how}; did you mean one of: " + ", ".join(candidates) + "?",
        )
