"""Plain geometry for pictures laid out before the page opens: text boxes, overlaps, crossings.

Boxes are ``(x, y, width, height)`` tuples with ``(x, y)`` the top-left corner, in
page pixels (SVG user units). The same functions lay pages out and test them, in
Python on the computed positions and on the boxes a browser measured.

>>> overlaps((0, 0, 10, 10), (5, 5, 10, 10)), overlaps((0, 0, 10, 10), (10, 0, 5, 5))
(True, False)
>>> segment_hits_box((0, 5), (20, 5), (8, 0, 4, 10)), segment_hits_box((0, 20), (20, 20), (8, 0, 4, 10))
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

__all__ = ["Box", "contains", "crossings", "overlapping_pairs", "overlaps", "segment_hits_box", "text_width"]

Box = tuple[float, float, float, float]

_NARROW = set("iljtf.,:;'|!()[]{} ")
_WIDE = set("mwMW@%")


@lru_cache(maxsize=4096)  # a map is laid out several times over (drugmap.layout): each label measured once
def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of the width of ``text`` in a sans-serif font of ``size`` px.

    Deliberately wider than common fonts (DejaVu Sans, Liberation Sans, Arial,
    Segoe UI) draw it, so a layout made with it still holds in the browser.
    """
    units = 0.0
    for ch in text:
        if ch in _NARROW:
            units += 0.36
        elif ch in _WIDE:
            units += 0.95
        elif ch.isupper():
            units += 0.74
        elif ch.isdigit():
            units += 0.64
        else:
            units += 0.62
    return units * size * (1.15 if bold else 1.0)


def overlaps(a: Box, b: Box, gap: float = 0.0) -> bool:
    """Whether two boxes share area (touching edges do not; ``gap`` widens both)."""
    return (a[0] < b[0] + b[2] + gap and b[0] < a[0] + a[2] + gap
            and a[1] < b[1] + b[3] + gap and b[1] < a[1] + a[3] + gap)


def contains(outer: Box, inner: Box, slack: float = 0.5) -> bool:
    """Whether ``inner`` lies inside ``outer`` (``slack`` px of rounding allowed)."""
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[0] + inner[2] <= outer[0] + outer[2] + slack
            and inner[1] + inner[3] <= outer[1] + outer[3] + slack)


def segment_hits_box(p: Sequence[float], q: Sequence[float], box: Box) -> bool:
    """Whether the segment ``p``-``q`` passes through the inside of ``box`` (Liang-Barsky clipping)."""
    x0, y0 = p
    dx, dy = q[0] - x0, q[1] - y0
    lo, hi = 0.0, 1.0
    for step, room in ((-dx, x0 - box[0]), (dx, box[0] + box[2] - x0),
                       (-dy, y0 - box[1]), (dy, box[1] + box[3] - y0)):
        if step == 0:
            if room <= 0:
                return False
            continue
        t = room / step
        if step < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo >= hi:
            return False
    return hi - lo > 1e-9


def overlapping_pairs(boxes: Sequence[Box], gap: float = 0.0) -> list[tuple[int, int]]:
    """Index pairs of boxes that overlap (sorted by x, so fast for page-sized sets)."""
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    pairs = []
    for n, i in enumerate(order):
        right = boxes[i][0] + boxes[i][2] + gap
        for j in order[n + 1:]:
            if boxes[j][0] >= right:
                break
            if overlaps(boxes[i], boxes[j], gap):
                pairs.append((min(i, j), max(i, j)))
    return pairs


def crossings(polylines: Iterable[Sequence[Sequence[float]]], boxes: Sequence[Box]) -> list[tuple[int, int]]:
    """(polyline index, box index) for every polyline that runs through a box."""
    hits = []
    for n, line in enumerate(polylines):
        for p, q in pairwise(line):
            hits += [(n, i) for i, box in enumerate(boxes) if segment_hits_box(p, q, box)]
    return sorted(set(hits))
