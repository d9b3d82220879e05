"""Neo4j admin-import CSV: ``nodes.csv`` and ``relationships.csv`` for ``neo4j-admin database import full``.

The whole projection (:mod:`tkigraph.graph`), findings and publications
included (a property graph holds the n-ary findings as nodes):

* ``nodes.csv``: ``id:ID`` (the CURIE), ``name``, ``synonyms:string[]``,
  ``xrefs:string[]``, ``:LABEL`` (the node type: ``Drug``, ``Variant``, ``Finding`` ...);
* ``relationships.csv``: ``:START_ID``, ``:END_ID``, ``:TYPE`` (the predicate's
  local name in upper snake case: ``tkigraph:confersResistanceTo`` ->
  ``CONFERS_RESISTANCE_TO``), ``id``, ``predicate`` (the CURIE), and on derived
  edges ``findings:string[]``, ``sources:string[]``, ``level``.

Arrays are separated by ``|`` (so the import needs ``--array-delimiter="|"``;
``manifest.json`` has the whole command line).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence

from .graphs import LIST_SEPARATOR, edge_id
from .source import GENERATOR, ExportSource

__all__ = ["NODE_HEADER", "RELATIONSHIP_HEADER", "relationship_type", "label", "to_neo4j", "IMPORT_COMMAND"]

NODE_HEADER = ("id:ID", "name", "synonyms:string[]", "xrefs:string[]", ":LABEL")
RELATIONSHIP_HEADER = (":START_ID", ":END_ID", ":TYPE", "id", "predicate", "findings:string[]",
                       "sources:string[]", "level")
IMPORT_COMMAND = ('neo4j-admin database import full --array-delimiter="|" '
                  "--nodes=nodes.csv --relationships=relationships.csv neo4j")


def relationship_type(predicate: str) -> str:
    """``tkigraph:confersResistanceTo`` -> ``CONFERS_RESISTANCE_TO`` (``dcterms:source`` -> ``SOURCE``)."""
    local = predicate.rpartition(":")[2]
    return re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local)).strip("_").upper()


def label(node_type: str | None) -> str:
    """``variant`` -> ``Variant`` (an untyped node is a ``Concept``)."""
    return (node_type or "concept").capitalize()


def _array(values: Iterable[str] | None) -> str:
    return LIST_SEPARATOR.join(v.replace(LIST_SEPARATOR, "/") for v in values or [])


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def to_neo4j(source: ExportSource) -> dict[str, bytes]:
    """{file name: bytes}: nodes.csv, relationships.csv and a manifest with the import command."""
    projection = source.projection
    nodes = [(node, data.get("label") or "", _array(data.get("synonyms")), _array(data.get("xrefs")),
              label(data.get("type"))) for node, data in sorted(projection.nodes.items())]
    relationships = [(s, o, relationship_type(key), edge_id(s, key, o), key, _array(data.get("findings")),
                      _array(data.get("sources")), data.get("level") or "")
                     for (s, o, key), data in sorted(projection.edges.items())]
    manifest = {"generator": GENERATOR, "format": "Neo4j admin-import CSV", "import": IMPORT_COMMAND,
                "files": {"nodes.csv": len(nodes), "relationships.csv": len(relationships)}}
    return {"nodes.csv": _csv(NODE_HEADER, nodes), "relationships.csv": _csv(RELATIONSHIP_HEADER, relationships),
            "manifest.json": (json.dumps(manifest, indent=2) + "\n").encode()}
