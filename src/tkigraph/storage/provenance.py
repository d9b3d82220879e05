"""Which file said what: the files loaded beside the curated graph, and the curated names they change.

Every file added to the store (an imported source, or a user's ``--data`` file)
is loaded twice: into the default graph, which every reader and query sees,
and into a named graph of its own (:func:`graph_of`: the file's ``file:`` IRI),
kept only to answer two questions:

* :func:`renamed`: which curated entities a file gives another name
  (``tkd:imatinib`` labelled "aspirin"), so the commands can say so;
* :func:`asserted`: what each file states about one entity (``tkigraph show``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..namespaces import PREFIXES, curie

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["Renamed", "graph_of", "renamed", "asserted"]

_RENAMED = """
SELECT ?graph ?entity ?new ?old WHERE {
  GRAPH ?graph { ?entity rdfs:label ?new }
  ?entity rdfs:label ?old .
  FILTER(?old != ?new)
  FILTER NOT EXISTS { GRAPH ?any { ?entity rdfs:label ?old } }
} ORDER BY ?graph ?entity ?new
"""
_ASSERTED = """
SELECT ?entity ?graph ?predicate ?object WHERE { GRAPH ?graph { ?entity ?predicate ?object } }
ORDER BY ?graph ?predicate ?object
"""


@dataclass(frozen=True)
class Renamed:
    """A file that gives a curated entity another label."""

    file: str
    entity: str
    curated: str
    new: str

    def __str__(self) -> str:
        return (f"note: {self.file} gives {self.entity} the name {self.new!r} "
                f"(curated name {self.curated!r}); answers may show either")


def graph_of(path: str | Path) -> str:
    """The IRI of the named graph holding one loaded file's triples."""
    return Path(path).resolve().as_uri()


def _file(graph: str) -> str:
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(graph).path) if graph.startswith("file:") else graph


def renamed(store: ox.Store) -> list[Renamed]:
    """The curated entities that a loaded file gives another ``rdfs:label``."""
    from ..reader import select

    rows = select(store, _RENAMED, prefixes={"rdfs": PREFIXES["rdfs"]})
    return [Renamed(_file(r["graph"].value), curie(r["entity"].value), r["old"].value, r["new"].value) for r in rows]


def asserted(store: ox.Store, entity: str) -> dict[str, list[tuple[str, str]]]:
    """file -> [(predicate CURIE, object)] that each loaded file states about ``entity`` (an IRI)."""
    import pyoxigraph as ox

    from ..reader import select

    found: dict[str, list[tuple[str, str]]] = {}
    for row in select(store, _ASSERTED, substitutions={ox.Variable("entity"): ox.NamedNode(entity)}):
        value = row["object"]
        shown = curie(value.value) if isinstance(value, ox.NamedNode) else value.value
        found.setdefault(_file(row["graph"].value), []).append((curie(row["predicate"].value), shown))
    return found
