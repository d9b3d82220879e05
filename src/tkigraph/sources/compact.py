"""An rdflib graph that keeps repeated values of a property compactly: what grows when an import merges.

A record that makes the same claim as an earlier one adds only its identifier and URL to that
finding (:mod:`tkigraph.sources.account`). In a file where most records are such copies, those
values are most of the graph, and rdflib's memory store costs about a kilobyte per triple.
:meth:`CompactGraph.add_compact` keeps such a triple as the text of its object, grouped under its
subject and predicate (tens of bytes); every reader of the graph (``triples``, ``len``, ``in``,
``value``, serialisation) still sees it as any other triple.

Only plain literals (no language, no datatype) and IRIs are kept compactly; any other object
is added to rdflib's store as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from typing import Any, Self

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

__all__ = ["CompactGraph"]

Triple = tuple[Node, Node, Node]
#: how an object kept compactly is made again from its text (the key of its group)
Make = Callable[[str], Node]


def _make(term: Node) -> Make | None:
    """How ``term`` is made again from its text, or None if it cannot be kept as text."""
    if type(term) is URIRef:
        return URIRef
    if type(term) is Literal and term.language is None and term.datatype is None:
        return Literal
    return None


class CompactGraph(Graph):
    """An rdflib graph plus triples kept as (subject, predicate, kind) -> the texts of their objects."""

    def __init__(self) -> None:
        super().__init__()
        self._compact: dict[tuple[Node, Node, Make], set[str]] = {}
        self._compact_count = 0

    def add_compact(self, triple: Triple) -> bool:
        """Add ``triple``, compactly if its object allows it; True if the graph did not hold it yet."""
        if triple in self:
            return False
        s, p, o = triple
        make = _make(o)
        if make is None:
            super().add(triple)
        else:
            self._compact.setdefault((s, p, make), set()).add(str(o))
            self._compact_count += 1
        return True

    def add(self, triple: Triple) -> Self:
        if self._compact and self._in_compact(triple):
            return self  # already held, compactly
        return super().add(triple)

    def remove(self, triple: tuple[Any, Any, Any]) -> Self:
        for s, p, o in list(self._compact_triples(triple)):
            make = _make(o)
            if make is not None:
                values = self._compact[(s, p, make)]
                values.discard(str(o))
                self._compact_count -= 1
                if not values:
                    del self._compact[(s, p, make)]
        return super().remove(triple)

    def triples(self, triple: Any) -> Generator[Any, None, None]:
        yield from super().triples(triple)
        if self._compact and isinstance(triple[1], Node | None):
            yield from self._compact_triples(triple)

    def __len__(self) -> int:
        return super().__len__() + self._compact_count

    def _in_compact(self, triple: Triple) -> bool:
        s, p, o = triple
        make = _make(o)
        return make is not None and str(o) in self._compact.get((s, p, make), ())

    def _compact_triples(self, pattern: tuple[Any, Any, Any]) -> Iterator[Triple]:
        s, p, o = pattern
        keys: list[tuple[Node, Node, Make]]
        if s is not None and p is not None:
            keys = [key for key in ((s, p, URIRef), (s, p, Literal)) if key in self._compact]
        else:
            keys = [key for key in self._compact if s in (None, key[0]) and p in (None, key[1])]
        for key in keys:
            if o is not None:
                if _make(o) is key[2] and str(o) in self._compact[key]:
                    yield key[0], key[1], o
                continue
            make = key[2]
            for text in self._compact[key]:
                yield key[0], key[1], make(text)
