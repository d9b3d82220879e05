"""A read-only, rdflib-like view of an Oxigraph store, with plain-string terms.

:class:`StoreView` answers the few graph calls the readers use (``value``,
``objects``, ``subjects``, ``subject_objects``, ``predicate_objects``,
``triples``, ``in``) straight from a pyoxigraph store, so ``explain`` never
imports rdflib nor holds the graph in Python objects. Terms come back as:

* IRIs: plain ``str``;
* blank nodes: :class:`Blank` (a ``str`` subclass);
* literals: :class:`Lit` (a ``str`` of the lexical form, with ``datatype`` and
  ``language``), so ``str()``, ``int()`` and ``float()`` work as on rdflib's.

The matching vocabulary is :data:`tkigraph.namespaces.STRINGS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from .namespaces import STRINGS

__all__ = ["Blank", "Lit", "StoreView", "select"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Blank(str):
    """A blank node's identifier."""

    __slots__ = ()


class Lit(str):
    """A literal: the lexical form, with its datatype IRI and language tag.

    It compares and hashes as its lexical form (as a ``str``); the readers never
    tell two literals apart by datatype alone.
    """

    __slots__ = ("datatype", "language")
    datatype: str | None
    language: str | None

    def __new__(cls, value: str, datatype: str | None = None, language: str | None = None) -> Lit:
        self = super().__new__(cls, value)
        self.datatype, self.language = datatype, language
        return self


def select(store: ox.Store, query: str, **options: Any) -> ox.QuerySolutions:
    """The solutions of the SELECT ``query`` on ``store`` (``options`` as ``Store.query`` takes them)."""
    rows = store.query(query, **options)
    if not isinstance(rows, ox.QuerySolutions):
        raise TypeError("select() answers SELECT queries only")
    return rows


def _python(term):
    if type(term) is ox.NamedNode:
        return term.value
    if type(term) is ox.Literal:
        datatype = term.datatype.value
        return Lit(term.value, None if datatype == _XSD_STRING else datatype, term.language)
    return Blank(term.value)


@lru_cache(maxsize=64, typed=True)
def _literal(value: bool | int | float) -> Lit:
    """A Python value as the literal the store holds (True -> "true"^^xsd:boolean)."""
    return _python(ox.Literal(value))


class StoreView:
    """The rdflib-like calls of the readers, over the default graph of a pyoxigraph store."""

    vocabulary = STRINGS

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._nodes: dict[str, ox.NamedNode] = {}

    def _term(self, value):
        if value is None:
            return None
        if isinstance(value, Lit):
            if value.language:
                return ox.Literal(str(value), language=value.language)
            return ox.Literal(str(value), datatype=ox.NamedNode(value.datatype or _XSD_STRING))
        if isinstance(value, Blank):
            return ox.BlankNode(str(value))
        if isinstance(value, (bool, int, float)):
            return ox.Literal(value)
        node = self._nodes.get(value)
        if node is None:
            node = self._nodes[value] = ox.NamedNode(value)
        return node

    def _quads(self, s, p, o) -> Iterator:
        try:
            return self.store.quads_for_pattern(self._term(s), self._term(p), self._term(o), ox.DefaultGraph())
        except (TypeError, ValueError):  # a literal as subject, a string that is no IRI: nothing matches
            return iter(())

    def triples(self, pattern) -> Iterator[tuple]:
        s, p, o = pattern
        for quad in self._quads(s, p, o):
            yield _python(quad.subject), _python(quad.predicate), _python(quad.object)

    def __contains__(self, pattern) -> bool:
        return next(iter(self._quads(*pattern)), None) is not None

    def __len__(self) -> int:  # the default graph only (the named graphs record provenance)
        rows = select(self.store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(next(iter(rows))["n"].value)

    def value(self, subject=None, predicate=None, object=None):
        """One object of (subject, predicate), or one subject of (predicate, object); None if none."""
        for quad in self._quads(subject, predicate, object):
            return _python(quad.object if object is None else quad.subject)
        return None

    def objects(self, subject=None, predicate=None) -> Iterator:
        return (_python(q.object) for q in self._quads(subject, predicate, None))

    def subjects(self, predicate=None, object=None, unique: bool = False) -> Iterator:
        found = (_python(q.subject) for q in self._quads(None, predicate, object))
        return iter(dict.fromkeys(found)) if unique else found

    def subject_objects(self, predicate=None) -> Iterator[tuple]:
        return ((_python(q.subject), _python(q.object)) for q in self._quads(None, predicate, None))

    def predicate_objects(self, subject=None) -> Iterator[tuple]:
        return ((_python(q.predicate), _python(q.object)) for q in self._quads(subject, None, None))

    def subject_predicates(self, object=None) -> Iterator[tuple]:
        return ((_python(q.subject), _python(q.predicate)) for q in self._quads(None, None, object))


class SnapshotView:
    """The same calls as :class:`StoreView`, over every triple read once into dictionaries.

    For commands that visit the whole graph (``render``): one pass over the
    triples (``triples`` is any iterable of pyoxigraph triples or quads, such as
    ``pyoxigraph.parse`` of the store's N-Triples snapshot), then every look-up
    is a dictionary access instead of a store call.
    """

    vocabulary = STRINGS

    def __init__(self, triples) -> None:
        spo: dict = {}
        pos: dict = {}
        named = ox.NamedNode
        count = 0
        for triple in triples:
            s, p, o = triple.subject, triple.predicate.value, triple.object
            s = s.value if type(s) is named else _python(s)
            o = o.value if type(o) is named else _python(o)
            by_predicate = spo.get(s)
            if by_predicate is None:
                by_predicate = spo[s] = {}
            by_predicate.setdefault(p, []).append(o)
            by_object = pos.get(p)
            if by_object is None:
                by_object = pos[p] = {}
            by_object.setdefault(o, []).append(s)
            count += 1
        self._spo, self._pos, self._count = spo, pos, count

    def __len__(self) -> int:
        return self._count

    def triples(self, pattern) -> Iterator[tuple]:
        s, p, o = pattern
        if isinstance(o, (bool, int, float)):  # a Python value asked for as a literal: its lexical form
            o = _literal(o)
        if s is not None:
            for pred, objects in self._spo.get(s, {}).items():
                if p is None or pred == p:
                    yield from ((s, pred, obj) for obj in objects if o is None or obj == o)
        elif p is not None:
            for obj, subjects in (self._pos.get(p, {}).items() if o is None else
                                  [(o, self._pos.get(p, {}).get(o, []))]):
                yield from ((subj, p, obj) for subj in subjects)
        else:
            for pred, by_object in self._pos.items():
                for obj, subjects in by_object.items():
                    if o is None or obj == o:
                        yield from ((subj, pred, obj) for subj in subjects)

    def __contains__(self, pattern) -> bool:
        s, p, o = pattern
        if isinstance(o, (bool, int, float)):
            o = _literal(o)
        if s is not None and p is not None:
            objects = self._spo.get(s, {}).get(p, ())
            return bool(objects) if o is None else o in objects
        return next(self.triples(pattern), None) is not None

    def value(self, subject=None, predicate=None, object=None):
        if object is None and subject is not None and predicate is not None:
            found = self._spo.get(subject, {}).get(predicate)
            return found[0] if found else None
        if subject is None and predicate is not None and object is not None:
            found = self._pos.get(predicate, {}).get(object)
            return found[0] if found else None
        for s, _, o in self.triples((subject, predicate, object)):
            return o if object is None else s
        return None

    def objects(self, subject=None, predicate=None) -> Iterator:
        if subject is not None and predicate is not None:
            return iter(self._spo.get(subject, {}).get(predicate, ()))
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def subjects(self, predicate=None, object=None, unique: bool = False) -> Iterator:
        if predicate is not None and object is not None:
            return iter(self._pos.get(predicate, {}).get(object, ()))
        if predicate is None and object is None:
            return iter(self._spo)
        found = (s for s, _, _ in self.triples((None, predicate, object)))
        return iter(dict.fromkeys(found)) if unique else found

    def subject_objects(self, predicate=None) -> Iterator[tuple]:
        return ((s, o) for s, _, o in self.triples((None, predicate, None)))

    def predicate_objects(self, subject=None) -> Iterator[tuple]:
        return ((p, o) for _, p, o in self.triples((subject, None, None)))

    def subject_predicates(self, object=None) -> Iterator[tuple]:
        return ((s, p) for s, p, _ in self.triples((None, None, object)))
