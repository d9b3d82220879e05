"""The record identifiers an import has read, in about eight bytes each (a file can hold millions).

An importer refuses a record whose identifier it has read before, so it remembers every one.
A Python set of strings costs about 90 bytes an identifier; :class:`SeenIds` keeps numbers
in a sorted array of 64-bit integers, with a small set of the most recent ones that is merged
into the array as it fills (a search of each, so a look-up stays logarithmic).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from heapq import merge

__all__ = ["SeenIds"]

#: identifiers held in the set of recent ones before they are merged into the sorted array
RECENT = 1 << 16


class SeenIds:
    """A set of identifiers (text) that can only grow: ``in`` and ``add``.

    >>> seen = SeenIds()
    >>> seen.add("1002"); seen.add("01002")
    >>> "1002" in seen, "01002" in seen, "2" in seen
    (True, True, False)
    """

    def __init__(self) -> None:
        self._sorted = array("q")
        self._recent: set[int] = set()
        self._text: set[str] = set()  # identifiers that are not a number's own text (leading zeros ...)

    def add(self, ident: str) -> None:
        number = _number(ident)
        if number is None:
            self._text.add(ident)
            return
        self._recent.add(number)
        if len(self._recent) >= RECENT:
            self._sorted = array("q", merge(self._sorted, sorted(self._recent)))
            self._recent.clear()

    def __contains__(self, ident: object) -> bool:
        if not isinstance(ident, str):
            return False
        number = _number(ident)
        if number is None:
            return ident in self._text
        if number in self._recent:
            return True
        at = bisect_left(self._sorted, number)
        return at < len(self._sorted) and self._sorted[at] == number


def _number(ident: str) -> int | None:
    """``ident`` as a 64-bit number if it is one's own text (ASCII digits, no leading zero), else None."""
    if ident.isascii() and ident.isdigit() and len(ident) <= 18 and str(int(ident)) == ident:
        return int(ident)
    return None
