"""The importers' only ways into the storage layer: read the curated graph, check what the loader accepts.

Kept in one small module so a new storage layer is rewired here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..reader import Blank, Lit

if TYPE_CHECKING:
    from ..model import KnowledgeBase
    from ..reader import Reader, Term

__all__ = ["curated_kb", "loader_accepts", "CuratedTerms"]

#: a term of a pattern given to :class:`CuratedTerms`: an rdflib term, a plain-string IRI, or None for "any"
Given = Node | str | None


def curated_kb() -> KnowledgeBase:
    """The curated knowledge base the importers map onto (never an installed import), read from its store."""
    from ..storage.oxigraph import open_kb

    kb: KnowledgeBase = open_kb()
    return kb


def _to_reader(term: Node | str | None) -> Term | None:
    """An rdflib term as the reader's plain-string term (rdflib's own terms compare unequal to plain strings)."""
    if isinstance(term, Literal):
        return Lit(str(term), str(term.datatype) if term.datatype is not None else None, term.language)
    if isinstance(term, BNode):
        return Blank(str(term))
    return None if term is None else str(term)


def _to_rdflib(term: Term) -> Node:
    if isinstance(term, Lit):
        return Literal(str(term), lang=term.language, datatype=URIRef(term.datatype) if term.datatype else None)
    if isinstance(term, Blank):
        return BNode(str(term))
    return URIRef(term)


class CuratedTerms:
    """The curated graph's reader answering in rdflib terms, for the importers.

    The importers write rdflib graphs and compare what the curated graph holds with what
    they wrote; the store's reader gives plain strings, which rdflib's terms never equal.
    This is the one place the two meet: patterns go in as rdflib terms, answers come out as them.
    """

    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    def __contains__(self, pattern: tuple[Given, Given, Given]) -> bool:
        s, p, o = (_to_reader(t) for t in pattern)
        return (s, p, o) in self.reader

    def value(self, subject: Given = None, predicate: Given = None,
              object: Given = None) -> Node | None:
        found = self.reader.value(_to_reader(subject), _to_reader(predicate), _to_reader(object))
        return None if found is None else _to_rdflib(found)

    def objects(self, subject: Given = None, predicate: Given = None) -> Iterator[Node]:
        return map(_to_rdflib, self.reader.objects(_to_reader(subject), _to_reader(predicate)))

    def subjects(self, predicate: Given = None, object: Given = None) -> Iterator[Node]:
        return map(_to_rdflib, self.reader.subjects(_to_reader(predicate), _to_reader(object)))

    def subject_objects(self, predicate: Given = None) -> Iterator[tuple[Node, Node]]:
        return ((_to_rdflib(s), _to_rdflib(o)) for s, o in self.reader.subject_objects(_to_reader(predicate)))


def loader_accepts(path: Path) -> None:
    """Refuse (InputFileError) ``path`` if ``tkigraph`` would refuse to load it: rdflib's and Oxigraph's
    parsers and every check of the loader, without keeping the triples (memory stays flat in the file's size)."""
    from ..storage.files import check_parses
    from ..storage.oxigraph import check_loads

    check_parses(path)
    check_loads(path)
