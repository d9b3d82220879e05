"""The importers' only ways into the storage layer: read the curated graph, check what the loader accepts.

Kept in one small module so a new storage layer is rewired here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import KnowledgeBase

__all__ = ["curated_kb", "loader_accepts"]


def curated_kb() -> KnowledgeBase:
    """The curated knowledge base the importers map onto (never an installed import)."""
    from ..model import KnowledgeBase
    from ..store import load_graph

    return KnowledgeBase(load_graph())


def loader_accepts(path: Path) -> None:
    """Load ``path`` exactly as ``tkigraph`` will (rdflib and Oxigraph); InputFileError if refused."""
    import pyoxigraph

    from ..oxstore import _load
    from ..store import new_graph, parse_into

    parse_into(new_graph(), path)
    _load(pyoxigraph.Store(), path)
