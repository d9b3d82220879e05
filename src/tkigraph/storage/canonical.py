"""Canonical Turtle: one stable serialisation of a curated file, so diffs show only meaning.

The canonical form is rdflib's ``longturtle`` (subjects, predicates and objects
sorted, one predicate a line) with the project's prefixes, written by
:func:`~tkigraph.storage.turtle.canonical_turtle`. ``tkigraph fmt``
rewrites files into it atomically; ``tkigraph fmt --check`` lists files that
are not in it (the data tests run the same check).
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_atomic
from . import files as store
from .turtle import canonical_turtle

__all__ = ["canonical_text", "is_canonical", "format_file"]


def canonical_text(path: str | Path) -> str:
    """The canonical Turtle of the file at ``path`` (raises InputFileError if it does not parse)."""
    graph = store.new_graph()
    store.parse_into(graph, path)
    return canonical_turtle(graph)


def is_canonical(path: str | Path) -> bool:
    canonical = canonical_text(path)  # first: it applies the input policy before the file is read
    return Path(path).read_text(encoding="utf-8") == canonical


def format_file(path: str | Path) -> bool:
    """Rewrite ``path`` in canonical form; return True if it changed."""
    text = canonical_text(path)
    if Path(path).read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True
