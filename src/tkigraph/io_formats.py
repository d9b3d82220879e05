"""Exports: one registry from format name to writer (STYLE habit 3).

RDF formats (turtle, ntriples, jsonld) serialise the loaded graph, derived
triples included, and read back to an isomorphic graph. Graph formats
serialise the networkx projection (:mod:`tkigraph.graph`):

* ``graphml``: nodes keyed by CURIE with ``label`` and ``type``; list
  attributes (``synonyms``, ``xrefs``, ``findings``, ``sources``) joined with
  ``|``; edges carry ``predicate`` (and, for derived edges, ``level``).
* ``nodelink``: networkx node-link JSON with explicit keys ``nodes`` and
  ``edges`` (``source``/``target`` are subject/object CURIEs), stamped with
  the tkigraph version.
* ``csv``: one row a triple, ``subject,predicate,object`` as CURIEs (literals as
  their text), for spreadsheets.
"""

from __future__ import annotations

import csv
import io
import json

from rdflib import Graph, URIRef

from . import __version__
from .namespaces import curie

__all__ = ["EXPORTERS", "export"]


def _rdf(fmt: str):
    def write(graph: Graph) -> str:
        return graph.serialize(format=fmt)
    return write


def _graphml(graph: Graph) -> str:
    import networkx as nx

    from .graph import to_networkx

    nxg = to_networkx(graph)
    flat = nx.MultiDiGraph()
    for node, data in nxg.nodes(data=True):
        flat.add_node(node, **{k: "|".join(v) if isinstance(v, list) else v for k, v in data.items() if v is not None})
    for s, o, key, data in nxg.edges(keys=True, data=True):
        flat.add_edge(s, o, key=key, **{k: "|".join(v) if isinstance(v, list) else v
                                        for k, v in data.items() if v is not None})
    return "\n".join(nx.generate_graphml(flat))


def _nodelink(graph: Graph) -> str:
    import networkx as nx

    from .graph import to_networkx

    data = nx.node_link_data(to_networkx(graph), edges="edges", source="source", target="target", key="key")
    data["graph"] = {"generator": f"tkigraph {__version__}", "direction": "subject -> object"}
    return json.dumps(data, indent=1, ensure_ascii=False)


def _csv(graph: Graph) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["subject", "predicate", "object"])
    for s, p, o in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        writer.writerow([curie(s), curie(p), curie(o) if isinstance(o, URIRef) else str(o)])
    return out.getvalue()


#: format name -> (writer, file suffix)
EXPORTERS = {
    "turtle": (_rdf("turtle"), ".ttl"),
    "ntriples": (_rdf("nt"), ".nt"),
    "jsonld": (_rdf("json-ld"), ".jsonld"),
    "graphml": (_graphml, ".graphml"),
    "nodelink": (_nodelink, ".json"),
    "csv": (_csv, ".csv"),
}


def export(graph: Graph, fmt: str) -> str:
    return EXPORTERS[fmt][0](graph)
