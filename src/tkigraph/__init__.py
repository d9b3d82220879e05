"""tkigraph: an open knowledge graph of resistance to tyrosine kinase inhibitors.

>>> import tkigraph
>>> kb = tkigraph.open()
>>> print(kb.explain("imatinib", "T315I").verdict)
resistant

See :mod:`tkigraph.api` for everything ``kb`` answers (alternatives, mechanisms,
matrix, query, to_networkx).

Heavy modules (rdflib, networkx, pyshacl, pyoxigraph) load only when these functions run.
"""

from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "open", "KnowledgeGraph", "load", "explain", "to_networkx"]


def open(*data, source: str = "all"):
    """The knowledge base read from its cached store: see :func:`tkigraph.api.open`."""
    from .api import open as _open

    return _open(*data, source=source)


def __getattr__(name: str):
    if name == "KnowledgeGraph":
        from .api import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load(*extra: str, include_kb: bool = True, sources=(), backend: str = "rdflib", snapshot: bool = False):
    """The shipped knowledge base (plus ``extra`` Turtle files) as a KnowledgeBase.

    ``sources`` names imported sources to add (``("civic",)``; ``"all"`` for every
    installed one): see ``tkigraph import civic``. ``backend`` is ``"rdflib"``
    (an in-memory rdflib graph: SHACL, rdflib SPARQL, exports) or
    ``"oxigraph"`` (the cached on-disk Oxigraph store, read without rdflib: what
    ``explain`` and ``render`` use; ``snapshot=True`` reads it all into memory).
    """
    from .store import installed_sources

    if sources == "all":
        sources = tuple(installed_sources())
    if backend == "oxigraph":
        from .oxstore import open_kb

        return open_kb(extra, include_kb=include_kb, sources=sources, snapshot=snapshot)
    if backend != "rdflib":
        raise ValueError(f"unknown backend {backend!r}: choose 'rdflib' or 'oxigraph'")
    from .model import KnowledgeBase
    from .store import load_graph

    return KnowledgeBase(load_graph(extra, include_kb=include_kb, sources=sources))


def explain(kb, drug: str, variant: str, **options):
    """Why ``drug`` fails or works against ``variant``: see :func:`tkigraph.explainer.explain`."""
    from .explainer import explain as _explain

    return _explain(kb, drug, variant, **options)


def to_networkx(kb):
    """The networkx projection of a KnowledgeBase: see :mod:`tkigraph.graph`."""
    from .graph import to_networkx as _to_networkx

    return _to_networkx(kb)
