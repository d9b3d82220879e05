"""tkigraph: an open knowledge graph of resistance to tyrosine kinase inhibitors.

>>> import tkigraph
>>> kb = tkigraph.open()
>>> print(kb.explain("imatinib", "T315I").verdict)
resistant

See :mod:`tkigraph.api` for everything ``kb`` answers (alternatives, mechanisms,
matrix, query, to_networkx).

Heavy modules (networkx, pyoxigraph, rdflib) load only when these functions run:
``import tkigraph`` stays fast for the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    import networkx as nx

    from .api import KnowledgeGraph
    from .explainer import Explanation
    from .model import KnowledgeBase

__all__ = ["__version__", "open", "KnowledgeGraph", "load", "explain", "to_networkx"]


def open(*data: str | Path, source: str = "all") -> KnowledgeGraph:
    """The knowledge base read from its cached store: see :func:`tkigraph.api.open`."""
    from .api import open as _open

    return _open(*data, source=source)


def __getattr__(name: str) -> Any:
    if name == "KnowledgeGraph":
        from .api import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(*data: str | Path, source: str = "all") -> KnowledgeGraph:
    """Deprecated: the same as :func:`open` (``tkigraph.open()``), with a DeprecationWarning."""
    import warnings

    warnings.warn("tkigraph.load() is deprecated: use tkigraph.open()", DeprecationWarning, stacklevel=2)
    return open(*data, source=source)


def _reader(kb: KnowledgeGraph | KnowledgeBase) -> KnowledgeBase:
    """The reader of either kind of object :func:`open` and :func:`tkigraph.storage.oxigraph.open_kb` give."""
    from .api import KnowledgeGraph

    return kb.kb if isinstance(kb, KnowledgeGraph) else kb


def explain(kb: KnowledgeGraph | KnowledgeBase, drug: str, variant: str, **options: Any) -> Explanation:
    """Why ``drug`` fails or works against ``variant``: see :func:`tkigraph.explainer.explain`."""
    from .explainer import explain as _explain

    return _explain(_reader(kb), drug, variant, **options)


def to_networkx(kb: KnowledgeGraph | KnowledgeBase) -> nx.MultiDiGraph[str]:
    """The networkx projection of the knowledge base: see :mod:`tkigraph.graph`."""
    from .graph import to_networkx as _to_networkx

    return _to_networkx(_reader(kb))
