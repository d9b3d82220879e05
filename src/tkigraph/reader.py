"""The one reader of the knowledge base: triple patterns over the Oxigraph store, with plain-string terms.

Every reader (:class:`tkigraph.model.KnowledgeBase`, the resolver, the explainer,
the renderers) asks its questions through :class:`Reader`, a handful of pattern
calls (``value``, ``objects``, ``subjects``, ``subject_objects``,
``predicate_objects``, ``subject_predicates``, ``triples``, ``in``, ``len``).
Two implementations answer them alike:

* :class:`StoreReader` asks the pyoxigraph store pattern by pattern (``explain``
  touches a few hundred triples: nothing is read twice, memory stays bounded);
* :class:`SnapshotReader` reads every triple once into dictionaries, for the
  commands that visit the whole graph (``render``, ``export``).

Terms come back as plain Python strings, so they compare with the IRIs of
:mod:`tkigraph.namespaces` (``TKG.Drug``) without any conversion:

* IRIs: ``str``;
* blank nodes: :class:`Blank` (a ``str`` subclass);
* literals: :class:`Lit` (a ``str`` of the lexical form, with ``datatype`` and
  ``language``), so ``str()``, ``int()`` and ``float()`` work on them.

In a pattern the object may also be a Python ``bool``, ``int`` or ``float``
(``(finding, TKG.negated, True) in reader``): the literal the store holds for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import Any, Protocol, TypeAlias

import pyoxigraph as ox

__all__ = ["Blank", "Lit", "Term", "Pattern", "Reader", "StoreReader", "RememberingReader", "SnapshotReader", "select",
           "memory_reader", "is_iri"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: a node or literal of the graph: an IRI (``str``), a :class:`Blank` or a :class:`Lit`
Term: TypeAlias = str
#: a Python value asked for as the literal the store holds for it
Value: TypeAlias = "str | bool | int | float"
#: (subject, predicate, object), None for "any"
Pattern: TypeAlias = "tuple[Term | None, Term | None, Value | None]"


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


class Reader(Protocol):
    """The pattern calls every reader of the knowledge base uses (see the module docstring)."""

    def __len__(self) -> int: ...

    def __contains__(self, pattern: Pattern) -> bool: ...

    def triples(self, pattern: Pattern) -> Iterator[tuple[Term, Term, Term]]: ...

    def value(self, subject: Term | None = None, predicate: Term | None = None,
              object: Value | None = None) -> Term | None: ...

    def objects(self, subject: Term | None = None, predicate: Term | None = None) -> Iterator[Term]: ...

    def subjects(self, predicate: Term | None = None, object: Value | None = None,
                 unique: bool = False) -> Iterator[Term]: ...

    def subject_objects(self, predicate: Term | None = None) -> Iterator[tuple[Term, Term]]: ...

    def predicate_objects(self, subject: Term | None = None) -> Iterator[tuple[Term, Term]]: ...

    def subject_predicates(self, object: Value | None = None) -> Iterator[tuple[Term, Term]]: ...


def select(store: ox.Store, query: str, **options: Any) -> ox.QuerySolutions:
    """The solutions of the SELECT ``query`` on ``store`` (``options`` as ``Store.query`` takes them)."""
    rows = store.query(query, **options)
    if not isinstance(rows, ox.QuerySolutions):
        raise TypeError("select() answers SELECT queries only")
    return rows


def _python(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> Term:
    if type(term) is ox.NamedNode:
        return term.value
    if type(term) is ox.Literal:
        datatype = term.datatype.value
        return Lit(term.value, None if datatype == _XSD_STRING else datatype, term.language)
    if type(term) is ox.BlankNode:
        return Blank(term.value)
    raise TypeError(f"no plain-string form for {term!r}")  # RDF-star triples: not in our graphs


@lru_cache(maxsize=64, typed=True)
def _literal(value: bool | int | float) -> Lit:
    """A Python value as the literal the store holds (True -> "true"^^xsd:boolean)."""
    found = _python(ox.Literal(value))
    assert isinstance(found, Lit)
    return found


def _same_kind(value: Value) -> Term:
    """A pattern's object as a term of the snapshot's kind (Python values as their literal)."""
    return _literal(value) if isinstance(value, (bool, int, float)) else value


class StoreReader:
    """The :class:`Reader` calls over the default graph of a pyoxigraph store, pattern by pattern."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._nodes: dict[str, ox.NamedNode] = {}

    def _term(self, value: Value | None) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
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
            node = self._nodes[str(value)] = ox.NamedNode(value)
        return node

    def _quads(self, s: Term | None, p: Term | None, o: Value | None) -> Iterator[ox.Quad]:
        try:
            subject, predicate = self._term(s), self._term(p)
            if isinstance(subject, ox.Literal) or isinstance(predicate, (ox.Literal, ox.BlankNode)):
                return iter(())
            return self.store.quads_for_pattern(subject, predicate, self._term(o), ox.DefaultGraph())
        except (TypeError, ValueError):  # a string that is no IRI: nothing matches
            return iter(())

    def triples(self, pattern: Pattern) -> Iterator[tuple[Term, Term, Term]]:
        s, p, o = pattern
        for quad in self._quads(s, p, o):
            yield _python(quad.subject), _python(quad.predicate), _python(quad.object)

    def __contains__(self, pattern: Pattern) -> bool:
        return next(iter(self._quads(*pattern)), None) is not None

    def __len__(self) -> int:  # the default graph only (the named graphs record provenance)
        rows = select(self.store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        count = next(iter(rows))["n"]
        return int(count.value) if isinstance(count, ox.Literal) else 0

    def value(self, subject: Term | None = None, predicate: Term | None = None,
              object: Value | None = None) -> Term | None:
        """One object of (subject, predicate), or one subject of (predicate, object); None if none."""
        for quad in self._quads(subject, predicate, object):
            return _python(quad.object if object is None else quad.subject)
        return None

    def objects(self, subject: Term | None = None, predicate: Term | None = None) -> Iterator[Term]:
        return (_python(q.object) for q in self._quads(subject, predicate, None))

    def subjects(self, predicate: Term | None = None, object: Value | None = None,
                 unique: bool = False) -> Iterator[Term]:
        found = (_python(q.subject) for q in self._quads(None, predicate, object))
        return iter(dict.fromkeys(found)) if unique else found

    def subject_objects(self, predicate: Term | None = None) -> Iterator[tuple[Term, Term]]:
        return ((_python(q.subject), _python(q.object)) for q in self._quads(None, predicate, None))

    def predicate_objects(self, subject: Term | None = None) -> Iterator[tuple[Term, Term]]:
        return ((_python(q.predicate), _python(q.object)) for q in self._quads(subject, None, None))

    def subject_predicates(self, object: Value | None = None) -> Iterator[tuple[Term, Term]]:
        return ((_python(q.subject), _python(q.predicate)) for q in self._quads(None, None, object))


#: a subject with more triples, or a (predicate, object) with more subjects, is not remembered (read call by call)
REMEMBER_AT_MOST = 1000


class RememberingReader(StoreReader):
    """A :class:`StoreReader` that remembers: the first pattern about a subject reads all its triples in one
    store call, and each (predicate, object) is asked of the store once; later patterns are answered from
    memory, in the store's order.

    The store never changes under a reader, so the answers are the store's. Patterns about a literal
    object other than a boolean go to the store each time (it matches literals by value:
    "1.0"^^xsd:decimal is 1), as do those about a blank subject. Memory grows with the neighbourhood
    read, not with the graph: a subject or a (predicate, object) with more than
    :data:`REMEMBER_AT_MOST` triples is read from the store each time.
    """

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        #: subject IRI -> predicate IRI -> its objects, in the store's order (None: too many triples)
        self._forward: dict[str, dict[str, list[_Fact]] | None] = {}
        #: (predicate IRI, object kind, object value) -> the quads (None: too many)
        self._backward: dict[tuple[str, int, str], list[ox.Quad] | None] = {}

    def _facts(self, subject: str) -> dict[str, list[_Fact]] | None:
        """The subject's triples by predicate, read once (None when there are too many to remember, or a quoted
        triple the plain-string terms cannot hold)."""
        if subject not in self._forward:
            quads = _at_most(super()._quads(subject, None, None))
            facts: dict[str, list[_Fact]] | None = None
            if quads is not None and not any(type(q.object) is ox.Triple for q in quads):  # RDF-star: not ours
                facts = {}
                for q in quads:
                    facts.setdefault(q.predicate.value, []).append((_node_key(q.object), _python(q.object), q))
            self._forward[subject] = facts
        return self._forward[subject]

    def _quads(self, s: Term | None, p: Term | None, o: Value | None) -> Iterator[ox.Quad]:
        kind = _NODE_KIND.get(type(o))
        if kind is None or (p is not None and type(p) is not str):  # another literal asked, or a predicate no IRI
            return super()._quads(s, p, o)
        wanted = (kind, ("true" if o else "false") if kind == _TRUTH else str(o))
        if type(s) is str:
            facts = self._facts(s)
            if facts is not None:
                found = facts.get(p, ()) if p is not None else [f for fs in facts.values() for f in fs]
                return (q for key, _, q in found if o is None or key == wanted)
        elif s is None and p is not None and o is not None:
            key = (p, *wanted)
            if key not in self._backward:
                self._backward[key] = _at_most(super()._quads(None, p, o))
            quads = self._backward[key]
            if quads is not None:
                return iter(quads)
        return super()._quads(s, p, o)

    def _known(self, subject: Term | None, predicate: Term | None) -> list[_Fact] | None:
        """The remembered objects of (subject, predicate) when both are IRIs, else None."""
        if type(subject) is not str or type(predicate) is not str:
            return None
        facts = self._facts(subject)
        return facts.get(predicate, []) if facts is not None else None

    def value(self, subject: Term | None = None, predicate: Term | None = None,
              object: Value | None = None) -> Term | None:
        found = self._known(subject, predicate) if object is None else None
        if found is None:
            return super().value(subject, predicate, object)
        return found[0][1] if found else None

    def objects(self, subject: Term | None = None, predicate: Term | None = None) -> Iterator[Term]:
        found = self._known(subject, predicate)
        return super().objects(subject, predicate) if found is None else iter([term for _, term, _ in found])


#: one remembered triple of a subject: its object as (kind, value) (see :func:`_node_key`), as a term, as a quad
_Fact: TypeAlias = "tuple[tuple[int, str], Term, ox.Quad]"

#: the kinds of a pattern's object the remembering reader matches itself: any (None), an IRI, a blank node, a
#: boolean (the store holds a valid xsd:boolean in its canonical form, "true" or "false": it is matched as text)
_NODE_KIND: dict[type, int] = {type(None): 0, str: 1, Blank: 2, bool: 3}
_TRUTH = 3
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _node_key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> tuple[int, str]:
    """A stored object as (kind, value), the kinds of :data:`_NODE_KIND` (4 for any other term: never asked)."""
    if type(term) is ox.NamedNode:
        return 1, term.value
    if type(term) is ox.BlankNode:
        return 2, term.value
    if type(term) is ox.Literal and term.datatype.value == _XSD_BOOLEAN:
        return _TRUTH, term.value
    return 4, ""


def _at_most(quads: Iterator[ox.Quad]) -> list[ox.Quad] | None:
    """The quads as a list (None when there are more than :data:`REMEMBER_AT_MOST`)."""
    found = list(islice(quads, REMEMBER_AT_MOST + 1))
    return found if len(found) <= REMEMBER_AT_MOST else None


class SnapshotReader:
    """The same calls as :class:`StoreReader`, over every triple read once into dictionaries.

    For commands that visit the whole graph (``render``): one pass over the
    triples (``triples`` is any iterable of pyoxigraph triples or quads, such as
    ``pyoxigraph.parse`` of the store's N-Triples snapshot), then every look-up
    is a dictionary access instead of a store call.
    """

    def __init__(self, triples: Iterable[ox.Triple | ox.Quad]) -> None:
        spo: dict[Term, dict[Term, list[Term]]] = {}
        pos: dict[Term, dict[Term, list[Term]]] = {}
        named = ox.NamedNode
        count = 0
        for triple in triples:
            s_term, o_term = triple.subject, triple.object
            p = triple.predicate.value
            s = s_term.value if type(s_term) is named else _python(s_term)
            o = o_term.value if type(o_term) is named else _python(o_term)
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

    def triples(self, pattern: Pattern) -> Iterator[tuple[Term, Term, Term]]:
        s, p, o_value = pattern
        o = None if o_value is None else _same_kind(o_value)
        if s is not None:
            for pred, objects in self._spo.get(s, {}).items():
                if p is None or pred == p:
                    yield from ((s, pred, obj) for obj in objects if o is None or obj == o)
        elif p is not None:
            by_object = self._pos.get(p, {})
            for obj, subjects in (by_object.items() if o is None else [(o, by_object.get(o, []))]):
                yield from ((subj, p, obj) for subj in subjects)
        else:
            for pred, by_object in self._pos.items():
                for obj, subjects in by_object.items():
                    if o is None or obj == o:
                        yield from ((subj, pred, obj) for subj in subjects)

    def __contains__(self, pattern: Pattern) -> bool:
        s, p, o = pattern
        if s is not None and p is not None:
            objects = self._spo.get(s, {}).get(p, ())
            return bool(objects) if o is None else _same_kind(o) in objects
        return next(self.triples(pattern), None) is not None

    def value(self, subject: Term | None = None, predicate: Term | None = None,
              object: Value | None = None) -> Term | None:
        if object is None and subject is not None and predicate is not None:
            found = self._spo.get(subject, {}).get(predicate)
            return found[0] if found else None
        if subject is None and predicate is not None and object is not None:
            found = self._pos.get(predicate, {}).get(_same_kind(object))
            return found[0] if found else None
        for s, _, o in self.triples((subject, predicate, object)):
            return o if object is None else s
        return None

    def objects(self, subject: Term | None = None, predicate: Term | None = None) -> Iterator[Term]:
        if subject is not None and predicate is not None:
            return iter(self._spo.get(subject, {}).get(predicate, ()))
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def subjects(self, predicate: Term | None = None, object: Value | None = None,
                 unique: bool = False) -> Iterator[Term]:
        if predicate is not None and object is not None:
            return iter(self._pos.get(predicate, {}).get(_same_kind(object), ()))
        if predicate is None and object is None:
            return iter(self._spo)
        found = (s for s, _, _ in self.triples((None, predicate, object)))
        return iter(dict.fromkeys(found)) if unique else found

    def subject_objects(self, predicate: Term | None = None) -> Iterator[tuple[Term, Term]]:
        return ((s, o) for s, _, o in self.triples((None, predicate, None)))

    def predicate_objects(self, subject: Term | None = None) -> Iterator[tuple[Term, Term]]:
        return ((p, o) for _, p, o in self.triples((subject, None, None)))

    def subject_predicates(self, object: Value | None = None) -> Iterator[tuple[Term, Term]]:
        return ((s, p) for s, p, _ in self.triples((None, None, object)))


def memory_reader(ntriples: bytes) -> SnapshotReader:
    """A reader over triples given as N-Triples bytes (the part of a remote graph ``explain`` fetched)."""
    return SnapshotReader(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))


def is_iri(term: object) -> bool:
    """Whether a term the reader gave is an IRI (not a blank node nor a literal)."""
    return type(term) is str
