"""The Python API: one object over the knowledge base, with the questions people ask of it.

>>> import tkigraph
>>> kb = tkigraph.open()
>>> print(kb.explain("imatinib", "T315I").verdict)
resistant
>>> "ponatinib" in [a.drug.label for a in kb.alternatives("BCR-ABL1 T315I")]
True
>>> rows = kb.query("SELECT ?label WHERE { tkd:imatinib rdfs:label ?label }")
>>> rows[0]["label"]
'imatinib'
>>> kb.query("resistance-by-drug", drug="imatinib")[0]["drug"]
'imatinib'

Everything reads one cached on-disk Oxigraph store (:mod:`tkigraph.storage.oxigraph`),
opened by :func:`open` with the same input checks as every command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from .explainer import Alternative, Explanation
    from .explainer.mechanisms import MechanismReport
    from .model import KnowledgeBase
    from .render.matrix import Matrix
    from .render.page import Inline

__all__ = ["KnowledgeGraph", "open"]


class KnowledgeGraph:
    """The knowledge base, read from its store: explain, alternatives, mechanisms, matrix, query."""

    def __init__(self, kb: KnowledgeBase) -> None:
        #: the reader the explainer and renderers use (:class:`tkigraph.model.KnowledgeBase`)
        self.kb = kb
        #: the pyoxigraph store (read-only)
        self.store = kb.store

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {len(self.kb.graph)} triples at {self.kb.location}>"

    def explain(self, drug: str, variant: str, disease: str | None = None, **options: Any) -> Explanation:
        """Why ``drug`` fails or works against ``variant`` (a typed :class:`~tkigraph.explainer.Explanation`
        with ``.verdict``, ``.to_dict()`` and ``.to_markdown()``)."""
        from .explainer import explain

        return explain(self.kb, drug, variant, disease=disease, **options)

    def alternatives(self, variant: str, disease: str | None = None, **options: Any) -> list[Alternative]:
        """Drugs with sensitivity evidence against ``variant``, best first."""
        from .explainer import alternatives

        return alternatives(self.kb, variant, disease=disease, **options)[1]

    def mechanisms(self, drug: str, disease: str | None = None) -> MechanismReport:
        """How ``drug`` fails: every mechanism category with its alterations and evidence."""
        from .explainer.mechanisms import mechanisms

        return mechanisms(self.kb, drug, disease=disease)

    def matrix(self, target: str, disease: str | None = None) -> Matrix:
        """The cross-resistance matrix of one target (variants by drugs)."""
        from .render.matrix import compute

        return compute(self.kb, target, disease=disease)

    def show_graph(self, focus: str | None = None, depth: int = 1, height: int = 650, **options: Any) -> Inline:
        """The interactive graph page (``focus`` and its neighbourhood, or all) for a notebook: see
        :func:`tkigraph.render.show_graph`; ``.save(path)`` writes it."""
        from .render import show_graph

        page: Inline = show_graph(self.kb, height=height, focus=focus, depth=depth, **options)
        return page

    def show_matrix(self, target: str, height: int = 600, disease: str | None = None) -> Inline:
        """The cross-resistance matrix page of ``target`` for a notebook (an iframe; ``.save(path)`` writes it)."""
        from .render import show_matrix

        page: Inline = show_matrix(self.kb, target, height=height, disease=disease)
        return page

    def query(self, sparql_or_name: str, **params: str) -> list[dict[str, Any]]:
        """Rows of a SPARQL query (text, or a named query with its ``params``), as plain Python values.

        IRIs come back as CURIEs where a prefix fits, literals as str, int, float or bool.
        SELECT gives one dict per row; ASK one row ``{"boolean": ...}``; CONSTRUCT and
        DESCRIBE one row per triple (subject, predicate, object).
        """
        from .sparql.engine import OxigraphEngine
        from .sparql.guard import check_query
        from .sparql.named import bind_params, check_params, get_query, named_queries

        text, bindings = sparql_or_name, {}
        if sparql_or_name in named_queries():
            named = get_query(sparql_or_name)
            check_params(named, params)
            text, bindings = named.text, bind_params(named, params)
        elif params:
            from .errors import TkigraphError

            raise TkigraphError("parameters apply to named queries only", "name the query, e.g. resistance-by-drug")
        check_query(text)
        result = OxigraphEngine(store=self.store, location=self.kb.location).query(text, bindings)
        if result.form == "ASK":
            return [{"boolean": result.boolean}]
        if result.graph is not None:
            return [{"subject": _value(s), "predicate": _value(p), "object": _value(o)} for s, p, o in result.graph]
        return [{name: _value(row.get(name)) for name in result.variables} for row in result.rows]

    def to_networkx(self) -> nx.MultiDiGraph[str]:
        """The networkx projection (a ``MultiDiGraph``; edges run subject to object)."""
        from .graph import to_networkx

        return to_networkx(self.kb)


def _value(term: object) -> str | int | float | bool | None:
    """A result term as a plain Python value: a CURIE (or IRI), or the literal's value."""
    from .namespaces import curie

    if term is None:
        return None
    if hasattr(term, "toPython") and term.__class__.__name__ == "Literal":
        value = term.toPython()
        return value if isinstance(value, (str, int, float, bool)) else str(term)
    return curie(str(term))


def open(*data: str | Path, source: str = "all") -> KnowledgeGraph:
    """The shipped knowledge base with imported sources and ``data`` files, read from its cached store.

    ``source`` is ``"all"`` (curated plus every installed import), ``"curated"``, or an
    imported source's name (``"civic"``: its findings over the curated entities).
    """
    from .storage.files import resolve_source
    from .storage.oxigraph import open_kb

    sources, curated = resolve_source(source)
    return KnowledgeGraph(open_kb(data, sources=sources, curated_findings=curated))
