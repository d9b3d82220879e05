"""Read a tab-separated export line by line, so one bad line costs one row, never the file.

The file is read as a stream, one line at a time (memory stays flat in its size): :class:`Table`
holds where the rows start, not the rows. Every physical line after the header is a row: it is either returned as a dict
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
from typing import BinaryIO

from ..errors import InputFileError
from ..hostile import check_file

__all__ = ["Lines", "Reject", "Table", "read_table"]

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Reject:
    """A row that could not be read or mapped: where, which evidence item (if known), and why."""

    line: int
    reason: str
    evidence_id: str = ""


class Lines:
    """The data lines of a file as (line number, bytes without the line break), read from disk on each pass.

    Blank lines are not rows. ``len()`` counts them in one streamed pass (once); ``last`` is the number
    of the last one (0 if none).
    """

    def __init__(self, path: Path, start: int, first_number: int = 2) -> None:
        self.path, self.start, self.first_number = path, start, first_number
        self._count: tuple[int, int] | None = None

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        with self.path.open("rb") as handle:
            handle.seek(self.start)
            for number, raw in enumerate(handle, self.first_number):
                raw = raw[:-1] if raw.endswith(b"\n") else raw
                raw = raw[:-1] if raw.endswith(b"\r") else raw
                if raw.strip():
                    yield number, raw

    def _counted(self) -> tuple[int, int]:
        if self._count is None:
            count = last = 0
            for number, _ in self:
                count, last = count + 1, number
            self._count = (count, last)
        return self._count

    def __len__(self) -> int:
        return self._counted()[0]

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None

    @property
    def last(self) -> int:
        return self._counted()[1]


@dataclass
class Table:
    """The header of a tab-separated file, and its data lines (read from the file as they are asked)."""

    path: Path
    header: list[str]
    lines: Lines
    truncated: bool = False
    notes: tuple[str, ...] = ()

    def rows(self) -> Iterator[tuple[int, dict[str, str] | Reject]]:
        last = self.lines.last if self.truncated else 0
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
    """The header of ``path`` and its data lines (blank lines are not rows), read as a stream."""
    path = Path(path)
    check_file(path)  # the loader's policy: a regular file (a FIFO is refused unopened) within the size limit
    notes = []
    with path.open("rb") as handle:
        first = handle.readline()
        start = handle.tell()
        if first.startswith(BOM):
            first = first[len(BOM):]
            notes.append("a UTF-8 byte-order mark at the start of the file was ignored")
        if not first.strip() and not _anything_after(handle):
            raise InputFileError(str(path), "the file is empty", hint="download the export again")
        size = handle.seek(0, 2)
        handle.seek(max(size - 1, 0))
        truncated = handle.read(1) != b"\n"
    first = first[:-1] if first.endswith(b"\n") else first
    first = first[:-1] if first.endswith(b"\r") else first
    try:
        header = first.decode("utf-8").split("\t")
    except UnicodeDecodeError:
        raise InputFileError(str(path), "the header line is not UTF-8 text", line=1,
                             hint="save the file as UTF-8") from None
    header = [h.strip().strip('"').lower() for h in header]
    return Table(path, header, Lines(path, start), truncated, tuple(notes))


def _anything_after(handle: BinaryIO) -> bool:
    """Whether the rest of the file holds anything but white space (read in chunks)."""
    for block in iter(lambda: handle.read(1 << 20), b""):
        if block.strip():
            return True
    return False
