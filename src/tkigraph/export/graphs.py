"""Graph exports of the networkx projection (:mod:`tkigraph.graph`): GraphML, GEXF, Cytoscape JSON, node-link.

Nodes are CURIEs with ``label``, ``type``, ``synonyms`` and ``xrefs``; edges run
subject -> object with ``predicate`` (a CURIE) and, on the derived variant ->
drug edges, ``findings``, ``sources`` and ``level``. Every edge has an ``id`` of
its own (:func:`edge_id`, stable across exports of the same triple), which
Gephi, GraphStream and Cytoscape need. Formats without lists (GraphML, GEXF)
join list attributes with ``|``. Each file is stamped with the tkigraph version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .source import GENERATOR, ExportSource

if TYPE_CHECKING:
    import networkx as nx

    from ..graph import Projection

__all__ = ["edge_id", "flat", "to_graphml", "to_gexf", "to_cyjs", "to_nodelink", "LIST_SEPARATOR"]

#: joins the items of a list attribute in formats whose attributes are scalars
LIST_SEPARATOR = "|"
#: attributes of the projection kept out of exports (an internal sort key)
_INTERNAL = ("level_rank",)


def edge_id(subject: str, predicate: str, obj: str) -> str:
    """A short id of one edge, the same for the same triple in every export."""
    return "e" + hashlib.sha1(f"{subject} {predicate} {obj}".encode()).hexdigest()[:16]


def flat(data: dict[str, Any]) -> dict[str, Any]:
    """Attributes with lists joined by ``|`` and empty values left out."""
    return {k: LIST_SEPARATOR.join(v) if isinstance(v, list) else v for k, v in data.items()
            if v is not None and v != [] and k not in _INTERNAL}


def _edges(projection: Projection) -> Iterator[tuple[str, str, str, str, dict[str, Any]]]:
    """(subject, object, predicate, id, attributes) of every edge, sorted."""
    for (s, o, key), data in sorted(projection.edges.items()):
        yield s, o, key, edge_id(s, key, o), {k: v for k, v in data.items() if k not in _INTERNAL}


def _flat_graph(projection: Projection, with_id: bool = False, **graph_attrs: str) -> nx.MultiDiGraph[str]:
    """A MultiDiGraph with scalar attributes, each edge keyed by its id (and holding it as ``id``)."""
    import networkx as nx

    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    out.graph.update(graph_attrs)
    for node, data in sorted(projection.nodes.items()):
        out.add_node(node, **flat(data))
    for s, o, _, ident, data in _edges(projection):
        out.add_edge(s, o, key=ident, **flat(data), **({"id": ident} if with_id else {}))
    return out


def to_graphml(source: ExportSource) -> bytes:
    """GraphML with unique edge ids (``<edge id=...>``) and a ``generator`` graph attribute."""
    import networkx as nx

    graph = _flat_graph(source.projection, generator=GENERATOR, direction="subject -> object")
    text = "\n".join(nx.generate_graphml(graph, named_key_ids=True))  # a multigraph's edge key is its id
    return text.encode("utf-8") + b"\n"


def to_gexf(source: ExportSource) -> bytes:
    """GEXF 1.2 (Gephi): node and edge labels, edge ids, ``<creator>`` naming tkigraph."""
    import io

    import networkx as nx

    graph = _flat_graph(source.projection, with_id=True)  # GEXF takes the edge id from the "id" attribute
    for _, _, data in graph.edges(data=True):
        data["label"] = data["predicate"]
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(graph)
    for element in writer.xml.iter():
        if element.tag.endswith("creator"):
            element.text = GENERATOR
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def to_cyjs(source: ExportSource) -> bytes:
    """Cytoscape JSON (``elements`` with ``data``); Cytoscape's ``name`` and ``interaction`` columns are set.

    ``value`` repeats the node id, as networkx's ``cytoscape_graph`` reads it.
    """
    projection = source.projection
    nodes = [{"data": {"id": node, "value": node, "name": data.get("label") or node,
                       **{k: v for k, v in data.items() if k != "label" and v not in (None, [])}}}
             for node, data in sorted(projection.nodes.items())]
    edges = [{"data": {"id": ident, "source": s, "target": o, "key": key, "interaction": key,
                       **{k: v for k, v in data.items() if v not in (None, [])}}}
             for s, o, key, ident, data in _edges(projection)]
    document = {"format_version": "1.0", "generated_by": GENERATOR, "target_cytoscapejs_version": "~3",
                "data": {"name": "tkigraph", "generator": GENERATOR, "direction": "subject -> object"},
                "directed": True, "multigraph": True, "elements": {"nodes": nodes, "edges": edges}}
    return json.dumps(document, indent=1, ensure_ascii=False).encode("utf-8")


def to_nodelink(source: ExportSource) -> bytes:
    """networkx node-link JSON with explicit keys: ``nodes``, ``edges`` (``source``/``target``/``key``)."""
    import networkx as nx

    projection = source.projection
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.add_nodes_from(sorted(projection.nodes.items()))
    for s, o, key, ident, data in _edges(projection):
        graph.add_edge(s, o, key=key, id=ident, **data)
    data = nx.node_link_data(graph, edges="edges", source="source", target="target", key="key", name="id")
    data["graph"] = {"generator": GENERATOR, "direction": "subject -> object"}
    return json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")
