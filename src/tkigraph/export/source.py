"""What an export reads: the cached Oxigraph store of the chosen sources, and its networkx projection.

Every writer takes one :class:`ExportSource`. RDF writers dump the store as it
is (:func:`tkigraph.storage.oxigraph.kb_store`: the same files, options and derived
triples as every other command, built once and reopened); graph writers use
:attr:`ExportSource.projection` (:func:`tkigraph.graph.project`), read from the
store's N-Triples snapshot, never from an rdflib re-parse of the Turtle.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..version import __version__

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ..graph import Projection

__all__ = ["ExportSource", "GENERATOR"]

#: the stamp exports carry where the format has room for one
GENERATOR = f"tkigraph {__version__}"


@dataclass(frozen=True)
class ExportSource:
    """The knowledge base an export writes: imported ``sources``, ``extra`` files, curated findings or not."""

    extra: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    curated_findings: bool = True

    @cached_property
    def _opened(self) -> tuple[ox.Store, Path]:
        from ..storage.oxigraph import kb_store

        return kb_store(self.extra, sources=self.sources, curated_findings=self.curated_findings)

    @property
    def store(self) -> ox.Store:
        """The read-only store: the graph in its default graph, each added file also in a named graph."""
        return self._opened[0]

    @property
    def location(self) -> Path:
        return self._opened[1]

    def default_graph(self, fmt: ox.RdfFormat) -> bytes:
        """The default graph (what every command reads) dumped by pyoxigraph in ``fmt``."""
        import pyoxigraph as ox

        from ..namespaces import PREFIXES

        return self.store.dump(format=fmt, from_graph=ox.DefaultGraph(), prefixes=PREFIXES) or b""

    @cached_property
    def projection(self) -> Projection:
        """The networkx projection (:mod:`tkigraph.graph`) of the store, as plain data."""
        import pyoxigraph as ox

        from ..graph import project
        from ..model import KnowledgeBase
        from ..reader import SnapshotReader
        from ..storage.oxigraph import snapshot_file

        path = snapshot_file(self.store, self.location)
        return project(KnowledgeBase(SnapshotReader(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))))

    def files(self) -> dict[str, Path]:
        """name -> Turtle file of every file loaded beside the curated graph (imported sources, then --data)."""
        from ..storage.files import source_files

        named = dict(zip(self.sources, source_files(self.sources), strict=True))
        named.update({f"data:{Path(p).name}": Path(p) for p in self.extra})
        return named
