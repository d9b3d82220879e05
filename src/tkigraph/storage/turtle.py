"""The canonical Turtle writer: rdflib's ``longturtle``, byte for byte, in less memory.

rdflib's serializer counts how often every object is referenced, so it keeps one entry per
distinct object of the graph (every identifier and URL of a large import, every label of a
large file) for the whole serialisation. The count is read only for subjects (to order them) and for blank nodes (to
nest them); :class:`_Writer` keeps only those, so the text it writes is the same.
"""

from __future__ import annotations

import io
from typing import Any

from rdflib import BNode, Graph
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer

__all__ = ["canonical_turtle"]


def canonical_turtle(graph: Graph) -> str:
    """``graph.serialize(format="longturtle")``, without holding a count per object."""
    stream = io.BytesIO()
    _Writer(graph).serialize(stream, encoding="utf-8")  # type: ignore[no-untyped-call]
    return stream.getvalue().decode("utf-8")


class _Writer(LongTurtleSerializer):
    def preprocess(self) -> None:
        self._counted = set(self.store.subjects(unique=True))
        super().preprocess()

    def preprocessTriple(self, triple: Any) -> None:
        super().preprocessTriple(triple)
        target = triple[2]
        if not isinstance(target, BNode) and target not in self._counted:
            del self._references[target]  # never read: only subjects and blank nodes are
