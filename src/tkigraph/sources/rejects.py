"""The rejected rows of an import, in memory that does not grow with their number.

The first rows are kept (the summary shows them); the others go to an anonymous temporary
file as they come, one JSON line each, and are read back when the rejects report is written.
A file of a million hostile rows costs the import a few kilobytes of memory, and the report
still lists every one with its line number and reason.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from itertools import islice
from typing import IO

from .table import Reject

__all__ = ["Rejects"]

#: rejected rows kept in memory; the rest wait in the temporary file
KEPT = 100


class Rejects:
    """A list of :class:`~tkigraph.sources.table.Reject`, in file order, that can only grow.

    ``len()``, iteration and ``==`` (with a list, for tests) behave as a list's.
    """

    def __init__(self) -> None:
        self._kept: list[Reject] = []
        self._spool: IO[str] | None = None
        self._count = 0

    def append(self, reject: Reject) -> None:
        self._count += 1
        if len(self._kept) < KEPT:
            self._kept.append(reject)
            return
        if self._spool is None:
            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")
        self._spool.write(json.dumps([reject.line, reject.reason, reject.evidence_id]) + "\n")

    def first(self, n: int) -> list[Reject]:
        """The first ``n`` rejected rows."""
        return list(islice(self, n))

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Reject]:
        yield from self._kept
        if self._spool is None:
            return
        self._spool.seek(0)
        try:
            for line in self._spool:
                number, reason, ident = json.loads(line)
                yield Reject(number, reason, ident)
        finally:
            self._spool.seek(0, 2)  # appends go on at the end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rejects | list):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list

    def __repr__(self) -> str:
        return f"Rejects({self._count} rows)"

    def __del__(self) -> None:
        if self._spool is not None:
            self._spool.close()
