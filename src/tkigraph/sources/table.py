"""Read a tab-separated export line by line, so one bad line costs one row, never the file.

Every physical line after the header is a row: it is either returned as a dict
(column -> text) or as a :class:`Reject` with its line number and the reason.
Whole-file problems (empty file, no header, a header that is not UTF-8, no data
rows) raise :class:`~tkigraph.errors.InputFileError` before anything is written.

Quoting: fields are not quoted in CIViC exports; a field wrapped in double
quotes, with inner quotes doubled as in CSV, is unquoted, and a field that opens a quote it never
closes is rejected (a csv reader would silently swallow the following lines).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputFileError
from ..hostile import check_file

__all__ = ["Reject", "Table", "read_table"]

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Reject:
    """A row that could not be read or mapped: where, which evidence item (if known), and why."""

    line: int
    reason: str
    evidence_id: str = ""


@dataclass
class Table:
    """The header and the rows of a tab-separated file."""

    path: Path
    header: list[str]
    lines: list[tuple[int, bytes]]
    truncated: bool = False
    notes: tuple[str, ...] = ()

    def rows(self) -> Iterator[tuple[int, dict[str, str] | Reject]]:
        last = self.lines[-1][0] if self.lines else 0
        for number, raw in self.lines:
            yield number, self._row(number, raw, at_end=self.truncated and number == last)

    def _row(self, number: int, raw: bytes, at_end: bool) -> dict[str, str] | Reject:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Reject(number, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                                  "save the file as UTF-8")
        fields = text.split("\t")
        if len(fields) != len(self.header):
            why = "too few" if len(fields) < len(self.header) else "too many"
            tail = "; the file ends mid-row (truncated download?)" if at_end else ""
            return Reject(number, f"{why} columns: {len(fields)} where the header has {len(self.header)}{tail}")
        row: dict[str, str] = {}
        for name, value in zip(self.header, fields):
            unquoted = _unquote(value)
            if unquoted is None:
                return Reject(number, f"unpaired double quote in column {name!r}")
            row[name] = unquoted.strip()
        return row


def _unquote(value: str) -> str | None:
    """Unquote a field wrapped in double quotes (doubled inner quotes); None if a quote is left open."""
    if not value.startswith('"'):
        return value
    if len(value) < 2 or not value.endswith('"'):
        return None
    inner = value[1:-1]
    if inner.replace('""', "").count('"'):
        return None
    return inner.replace('""', '"')


def read_table(path: str | Path) -> Table:
    """Split ``path`` into header and data lines (blank lines are not rows)."""
    path = Path(path)
    check_file(path)  # the loader's policy: a regular file (a FIFO is refused unopened) within the size limit
    data = path.read_bytes()
    notes = []
    if data.startswith(BOM):
        data = data[len(BOM):]
        notes.append("a UTF-8 byte-order mark at the start of the file was ignored")
    if not data.strip():
        raise InputFileError(str(path), "the file is empty", hint="download the export again")
    truncated = not data.endswith(b"\n")
    physical = data.split(b"\n")
    if not truncated:
        physical = physical[:-1]
    physical = [line[:-1] if line.endswith(b"\r") else line for line in physical]
    try:
        header = physical[0].decode("utf-8").split("\t")
    except UnicodeDecodeError:
        raise InputFileError(str(path), "the header line is not UTF-8 text", line=1,
                             hint="save the file as UTF-8") from None
    header = [h.strip().strip('"').lower() for h in header]
    lines = [(i + 2, raw) for i, raw in enumerate(physical[1:]) if raw.strip()]
    return Table(path, header, lines, truncated, tuple(notes))
