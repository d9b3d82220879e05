"""Keep hostile source text out of the graph: check each field, IRI and literal an importer writes.

An importer never writes a file the loader refuses. Three layers, all reusing the
loader's own checks (:mod:`tkigraph.hostile`, the rdflib and Oxigraph parsers):

* :func:`check_fields`: every field of a row is tested with :func:`tkigraph.hostile.check_text`
  (control and bidirectional characters, an XML/DOCTYPE opening) and a length limit,
  before anything of the row is written; a failure rejects the row with its reason;
* :class:`GuardedGraph`: the importer's output graph tests every IRI (Oxigraph's IRI parser,
  the one the store uses) and literal it is given, and keeps a journal of the row being
  imported, so a row that fails half-way is rolled back whole;
* :func:`~tkigraph.sources.storage.loader_accepts`: the serialised Turtle is read by the loader's own parsers and
  checks (keeping none of its triples) before it is installed; a refusal stops the import with nothing written.

IRIs built from source text are made safe first: identifiers are checked against their
syntax (a DOID is digits) and URLs are percent-encoded (:func:`safe_url`).
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Self

from rdflib import Literal, URIRef
from rdflib.term import Node

from ..errors import InputFileError
from ..hostile import FORBIDDEN, check_text
from ..namespaces import PREFIXES
from .compact import CompactGraph
from .storage import loader_accepts

Triple = tuple[Node, Node, Node]

__all__ = [
    "MAX_FIELD_CHARS",
    "GuardedGraph",
    "UnsafeTerm",
    "check_fields",
    "check_symbol",
    "guarded_graph",
    "loader_accepts",
    "quoted",
    "safe_url",
]

#: the longest field an importer accepts (the longest CIViC statement of 2021 has about 4,000 characters)
MAX_FIELD_CHARS = 20_000
#: characters kept as they are when a URL from a source is percent-encoded (RFC 3986 reserved and unreserved)
_URL_SAFE = "/:?#@!$&'()*+,;=%~-._"
_SYMBOL = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,30}")


class UnsafeTerm(ValueError):
    """An IRI or literal the loader would refuse; the row that produced it is rejected."""


def check_fields(row: dict[str, str]) -> str | None:
    """The reason the row's text is unsafe (which column, which character), or None if it is clean."""
    for name, value in row.items():
        if len(value) > MAX_FIELD_CHARS:
            return f"column {name!r} is {len(value)} characters long (more than {MAX_FIELD_CHARS})"
        try:
            check_text(Path(name), value)
        except InputFileError as exc:
            return f"column {name!r}: {exc.reason}"
    return None


def check_iri(iri: str) -> None:
    """Raise UnsafeTerm unless ``iri`` is an IRI the Turtle loaders accept."""
    import pyoxigraph

    found = FORBIDDEN.search(iri)
    if found:
        raise UnsafeTerm(f"IRI with control or bidirectional character U+{ord(found.group()):04X}")
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError as exc:
        raise UnsafeTerm(f"invalid IRI {quoted(iri)}: {exc}") from None


def check_literal(text: str) -> None:
    """Raise UnsafeTerm if the loader would refuse a literal with this text."""
    found = FORBIDDEN.search(text)
    if found:
        raise UnsafeTerm(f"control or bidirectional character U+{ord(found.group()):04X} in {quoted(text)}")
    if len(text) > MAX_FIELD_CHARS:
        raise UnsafeTerm(f"a literal of {len(text)} characters (more than {MAX_FIELD_CHARS})")


def safe_url(text: str) -> str:
    """An http(s) URL from a source, percent-encoded where needed; UnsafeTerm if it is not one.

    >>> safe_url("https://civicdb.org/links/evidence_items/1 >x")
    'https://civicdb.org/links/evidence_items/1%20%3Ex'
    """
    url = text.strip()
    if not re.match(r"(?i)https?://[^/\s]", url):
        raise UnsafeTerm(f"URL {quoted(url)} is not an http(s) URL")
    url = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", url)  # a lone % becomes %25
    url = urllib.parse.quote(url, safe=_URL_SAFE)
    check_iri(url)
    return url


def check_symbol(text: str) -> str:
    """``text`` if it reads as a gene symbol (HGNC style: letters, digits, hyphens), else UnsafeTerm."""
    if not _SYMBOL.fullmatch(text):
        raise UnsafeTerm(f"gene {quoted(text)} is not a gene symbol")
    return text


def quoted(text: str, limit: int = 60) -> str:
    r"""A value quoted for a message: escaped (never a raw control character) and cut short.

    >>> print(quoted("tab\there"))
    'tab\there'
    """
    return ascii(text if len(text) <= limit else text[:limit] + "...")


class GuardedGraph(CompactGraph):
    """An rdflib graph that refuses terms the loader would refuse and can undo the current row.

    ``begin_row()`` starts a journal of the triples added; ``rollback_row()`` removes them,
    ``commit_row()`` keeps them. Outside a row, additions are checked but not journalled. (The
    names leave rdflib's own ``commit``/``rollback``, which act on the store, as they are.)
    ``add_compact`` adds a triple as ``add`` does, kept compactly (:mod:`tkigraph.sources.compact`).
    """

    def __init__(self) -> None:
        super().__init__()
        self._journal: list[Triple] | None = None

    def add(self, triple: Triple) -> Self:
        _check_terms(triple)
        if self._journal is not None and triple not in self:
            self._journal.append(triple)
        return super().add(triple)

    def add_compact(self, triple: Triple) -> bool:
        _check_terms(triple)
        added = super().add_compact(triple)
        if added and self._journal is not None:
            self._journal.append(triple)
        return added

    def begin_row(self) -> None:
        self._journal = []

    def commit_row(self) -> None:
        self._journal = None

    def rollback_row(self) -> bool:
        """Remove the triples added since ``begin_row()``; True if there were any."""
        journal, self._journal = self._journal or [], None
        for triple in journal:
            self.remove(triple)
        return bool(journal)


def _check_terms(triple: Triple) -> None:
    for term in triple:
        if isinstance(term, URIRef):
            check_iri(str(term))
        elif isinstance(term, Literal):
            check_literal(str(term))


def guarded_graph() -> GuardedGraph:
    """An empty :class:`GuardedGraph` with the project's prefixes bound."""
    graph = GuardedGraph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph
