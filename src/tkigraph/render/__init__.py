"""HTML and pictures of the graph: an interactive, offline page and the cross-resistance matrix.

>>> import tkigraph
>>> from tkigraph import render
>>> kb = tkigraph.open().kb                                     # doctest: +SKIP
>>> render.write_graph(kb, "graph.html", focus="imatinib")       # doctest: +SKIP
>>> render.write_drug_map(kb, "osimertinib.html", "osimertinib", disease="NSCLC")  # doctest: +SKIP
>>> render.write_matrix(kb, "abl1.html", target="ABL1")          # doctest: +SKIP
>>> render.show_graph(kb, focus="imatinib", depth=1)             # doctest: +SKIP  (inline in Jupyter)

Pages are single self-contained files (vis-network inlined, no network at view
time); every label, synonym and statement is embedded as escaped JSON and reaches
the page through ``textContent``. Heavy modules load only when a function runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model import KnowledgeBase
    from .network import Selection
    from .page import Inline

__all__ = ["graph_html", "write_graph", "show_graph", "drug_map_html", "write_drug_map", "show_drug_map",
           "matrix_html", "write_matrix", "show_matrix", "MATRIX_SUFFIXES", "MAX_NODES"]

#: output suffixes ``write_matrix`` understands
MATRIX_SUFFIXES = (".html", ".png", ".svg")


#: nodes the network page draws by default (the most important; ``max_nodes=0`` draws all)
MAX_NODES = 150


def _selection(kb: KnowledgeBase, focus: str | None = None, depth: int = 1, types: Iterable[str] | None = None,
               disease: str | None = None) -> Selection:
    from .network import resolve_focus

    selection: Selection = {"depth": depth, "types": types, "fold": types is None or "finding" not in types}
    if focus is not None:
        selection["focus"] = resolve_focus(kb, focus)
    if disease is not None:
        from ..resolve import Resolver

        selection["disease"] = Resolver(kb).disease(disease)
    return selection


def graph_html(kb: KnowledgeBase, *, focus: str | None = None, depth: int = 1, types: Iterable[str] | None = None,
               disease: str | None = None,
               title: str | None = None, max_nodes: int = MAX_NODES) -> str:
    """The graph page (whole graph, or ``focus`` and its ``depth``-neighbourhood) as one HTML string.

    ``focus`` and ``disease`` are names resolved like ``tkigraph show`` does; an
    unknown name raises :class:`~tkigraph.errors.UnknownNameError`. Findings are
    folded into the edges they support unless ``types`` names ``finding``; at most
    ``max_nodes`` nodes are drawn (0: all), the page saying how many more there are.
    """
    from ..namespaces import curie
    from .network import graph_page, select

    selection = _selection(kb, focus, depth, types, disease)
    sub = select(kb, **selection)
    focus_id = curie(selection["focus"]) if "focus" in selection else None
    if title is None:
        title = f"tkigraph: {kb.label(selection['focus'])} (depth {depth})" if focus_id else "tkigraph"
    return graph_page(kb, sub, title=title, focus=focus_id, max_nodes=max_nodes)


def write_graph(kb: KnowledgeBase, path: str | Path, **options: Any) -> Path:
    """Write :func:`graph_html` to ``path`` atomically; nothing else is written."""
    from .page import write_atomic_bytes

    write_atomic_bytes(path, graph_html(kb, **options).encode("utf-8"))
    return Path(path)


def show_graph(kb: KnowledgeBase, height: int = 650, **options: Any) -> Inline:
    """The graph page for a notebook: displays inline (an iframe), ``.save(path)`` writes it."""
    from .page import Inline

    return Inline(graph_html(kb, **options), height=height)


def drug_map_html(kb: KnowledgeBase, drug: str, *, disease: str | None = None) -> str:
    """The resistance map of ``drug``: how it fails, by mechanism, drawn before the page opens."""
    from .drugmap import compute, map_page

    return map_page(compute(kb, drug, disease=disease))


def write_drug_map(kb: KnowledgeBase, path: str | Path, drug: str, *, disease: str | None = None) -> Path:
    """Write :func:`drug_map_html` to ``path`` atomically; nothing else is written."""
    from .page import write_atomic_bytes

    write_atomic_bytes(path, drug_map_html(kb, drug, disease=disease).encode("utf-8"))
    return Path(path)


def show_drug_map(kb: KnowledgeBase, drug: str, height: int = 650, **options: Any) -> Inline:
    """The resistance map for a notebook (an iframe)."""
    from .page import Inline

    return Inline(drug_map_html(kb, drug, **options), height=height)


def matrix_html(kb: KnowledgeBase, target: str, *, disease: str | None = None) -> str:
    """The cross-resistance matrix of ``target`` (gene or fusion) as one HTML page."""
    from .matrix import compute, matrix_page

    return matrix_page(compute(kb, target, disease=disease))


def write_matrix(kb: KnowledgeBase, path: str | Path, target: str, *, disease: str | None = None) -> Path:
    """Write the matrix to ``path``: HTML, PNG or SVG by the suffix."""
    from .matrix import compute, write

    return write(compute(kb, target, disease=disease), path)


def show_matrix(kb: KnowledgeBase, target: str, height: int = 600, **options: Any) -> Inline:
    """The matrix page for a notebook (an iframe)."""
    from .page import Inline

    return Inline(matrix_html(kb, target, **options), height=height)
