"""KGX TSV (Biolink Model 4): ``tkigraph_nodes.tsv`` and ``tkigraph_edges.tsv``, the KG-exchange files
that KGX, KG-Hub and Translator tools load.

The mapping (documented for users in docs/formats.md):

* **Nodes** are the entities of the projection (:mod:`tkigraph.graph`); ids
  stay tkigraph CURIEs (``tkd:imatinib``), with the full IRI in ``iri`` and the
  external identifiers (``CHEBI:45783``, ``HGNC:76``) in ``xref``. Categories:
  :data:`CATEGORIES`. Findings become evidence on the edges they imply, not
  nodes; publications are listed in ``publications``; mechanisms, and the
  vocabulary concepts no kept edge points at (effects, evidence levels), are
  left out.
* **Edges** map tkigraph predicates onto Biolink predicates (:data:`PREDICATES`),
  keeping the tkigraph predicate in ``original_predicate`` (one row per subject,
  Biolink predicate and object, as KGX keys edges: the stronger original
  predicate when resistance and reduced sensitivity meet). ``inhibits`` and
  ``activatesPathway`` become ``biolink:affects`` with the qualifiers Biolink 4
  uses for a decreased or increased activity. The derived variant -> drug edges
  carry ``publications`` (the sources of their findings), and
  ``primary_knowledge_source`` is the one source of their findings
  (``infores:civic``, ``infores:moalmanac``) or ``infores:tkigraph``.
* Lists are joined with ``|`` (KGX's TSV convention).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..namespaces import expand_iri
from .graphs import edge_id
from .source import GENERATOR, ExportSource

if TYPE_CHECKING:
    from ..graph import Projection

__all__ = ["CATEGORIES", "PREDICATES", "QUALIFIERS", "NODE_COLUMNS", "EDGE_COLUMNS", "to_kgx", "NODES_FILE",
           "EDGES_FILE", "LEFT_OUT"]

NODES_FILE, EDGES_FILE = "tkigraph_nodes.tsv", "tkigraph_edges.tsv"

#: tkigraph node type -> Biolink category
CATEGORIES = {
    "drug": "biolink:SmallMolecule",
    "combination": "biolink:ChemicalMixture",  # a drug with tkigraph:hasComponentDrug
    "kinase": "biolink:Gene",
    "gene": "biolink:Gene",
    "fusion": "biolink:SequenceVariant",
    "variant": "biolink:SequenceVariant",
    "pathway": "biolink:Pathway",
    "disease": "biolink:Disease",
    "region": "biolink:ProteinDomain",  # a concept that a variant's tkigraph:region points at
    "concept": "biolink:NamedThing",
}

#: node types that are not KGX nodes (findings fold into edges; publications are edge properties)
LEFT_OUT = ("finding", "publication", "mechanism")

#: tkigraph predicate -> Biolink predicate
PREDICATES = {
    "tkigraph:confersResistanceTo": "biolink:associated_with_resistance_to",
    "tkigraph:reducesSensitivityTo": "biolink:associated_with_resistance_to",
    "tkigraph:retainsSensitivityTo": "biolink:associated_with_sensitivity_to",
    "tkigraph:variantOf": "biolink:is_sequence_variant_of",
    "tkigraph:parentVariant": "biolink:subclass_of",
    "tkigraph:hasComponent": "biolink:has_part",
    "tkigraph:hasComponentDrug": "biolink:has_part",
    "tkigraph:fivePrimePartner": "biolink:has_part",
    "tkigraph:threePrimePartner": "biolink:has_part",
    "tkigraph:inhibits": "biolink:affects",
    "tkigraph:activatesPathway": "biolink:affects",
    "tkigraph:indicatedFor": "biolink:treats",
    "tkigraph:memberOf": "biolink:participates_in",
    "tkigraph:region": "biolink:located_in",
    "skos:broader": "biolink:subclass_of",
}
#: the predicate of any other edge (its meaning stays in original_predicate)
FALLBACK_PREDICATE = "biolink:related_to"

#: tkigraph predicate -> Biolink 4 qualifiers of its edges
QUALIFIERS = {
    "tkigraph:inhibits": {"qualified_predicate": "biolink:causes", "object_aspect_qualifier": "activity",
                     "object_direction_qualifier": "decreased"},
    "tkigraph:activatesPathway": {"qualified_predicate": "biolink:causes", "object_aspect_qualifier": "activity",
                             "object_direction_qualifier": "increased"},
}

#: identifier prefixes Biolink spells differently from tkigraph
_BIOLINK_PREFIX = {"pubmed": "PMID", "doi": "doi", "pubchem.compound": "PUBCHEM.COMPOUND",
                   "chembl.compound": "CHEMBL.COMPOUND", "reactome": "REACT", "kegg.pathway": "KEGG.PATHWAY"}
#: finding IRI prefix (after tkd:) -> the knowledge source it came from
_SOURCES = {"civic_": "infores:civic", "moalmanac_": "infores:moalmanac"}
_OURS = "infores:tkigraph"

NODE_COLUMNS = ("id", "category", "name", "synonym", "xref", "iri", "provided_by")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "original_predicate", "qualified_predicate",
                "object_aspect_qualifier", "object_direction_qualifier", "knowledge_level", "agent_type",
                "primary_knowledge_source", "aggregator_knowledge_source", "publications")


def biolink_curie(curie: str) -> str:
    """A CURIE with Biolink's spelling of its prefix (``pubmed:1`` -> ``PMID:1``)."""
    prefix, sep, local = curie.partition(":")
    return f"{_BIOLINK_PREFIX.get(prefix, prefix)}:{local}" if sep else curie


def _knowledge_source(findings: list[str]) -> str:
    found = {next((s for p, s in _SOURCES.items() if f.startswith("tkd:" + p)), _OURS) for f in findings}
    return found.pop() if len(found) == 1 else _OURS


def _edge_rows(projection: Projection, kept_types: dict[str, str]) -> Iterator[dict[str, str]]:
    """One row per (subject, Biolink predicate, object): KGX keys edges so, and would merge two rows silently.

    Where the findings say both "resistant" and "reduced sensitivity" for one pair,
    the row keeps the stronger original predicate (the first in :data:`PREDICATES`)
    and the publications of both.
    """
    rank = {p: i for i, p in enumerate(PREDICATES)}
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for (s, o, key), data in sorted(projection.edges.items(), key=lambda e: (e[0], rank.get(e[0][2], len(rank)))):
        if s not in kept_types or o not in kept_types:
            continue
        predicate = PREDICATES.get(key, FALLBACK_PREDICATE)
        row = merged.setdefault((s, predicate, o), {"key": key, "findings": set(), "sources": set()})
        row["findings"].update(data.get("findings") or [])
        row["sources"].update(data.get("sources") or [])
    for (s, predicate, o), row in sorted(merged.items()):
        source = _knowledge_source(sorted(row["findings"]))
        yield {"id": edge_id(s, predicate, o), "subject": s, "predicate": predicate, "object": o,
               "original_predicate": row["key"], **QUALIFIERS.get(row["key"], {}),
               "knowledge_level": "knowledge_assertion", "agent_type": "manual_agent",
               "primary_knowledge_source": source, "aggregator_knowledge_source": _OURS if source != _OURS else "",
               "publications": "|".join(sorted({biolink_curie(x) for x in row["sources"]}))}


def _node_types(projection: Projection) -> dict[str, str]:
    """node -> key of CATEGORIES, for the nodes KGX keeps."""
    combos = {s for (s, _, key) in projection.edges if key == "tkigraph:hasComponentDrug"}
    regions = {o for (_, o, key) in projection.edges if key == "tkigraph:region"}
    kept = {}
    for node, data in projection.nodes.items():
        kind = data.get("type") or "concept"
        if kind in LEFT_OUT:
            continue
        kept[node] = "combination" if node in combos else "region" if node in regions else \
            kind if kind in CATEGORIES else "concept"
    used = {end for (s, o, _) in projection.edges if s in kept and o in kept for end in (s, o)}
    return {n: kind for n, kind in kept.items() if kind not in ("concept", "region") or n in used}


def _tsv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, delimiter="\t", lineterminator="\n", extrasaction="raise",
                            quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: str(v).replace("\t", " ").replace("\n", " ") for k, v in row.items()})
    return out.getvalue().encode("utf-8")


def to_kgx(source: ExportSource) -> dict[str, bytes]:
    """{file name: bytes}: the nodes and edges TSV, and a manifest naming the generator."""
    projection = source.projection
    types = _node_types(projection)
    nodes = ({"id": node, "category": CATEGORIES[kind], "name": projection.nodes[node].get("label") or "",
              "synonym": "|".join(projection.nodes[node].get("synonyms") or []),
              "xref": "|".join(biolink_curie(x) for x in projection.nodes[node].get("xrefs") or []),
              "iri": expand_iri(node) or "", "provided_by": _OURS}
             for node, kind in sorted(types.items()))
    node_text = _tsv(NODE_COLUMNS, nodes)
    edge_text = _tsv(EDGE_COLUMNS, _edge_rows(projection, types))
    manifest = {"generator": GENERATOR, "format": "KGX TSV", "biolink_model": "4.x",
                "files": {NODES_FILE: node_text.count(b"\n") - 1, EDGES_FILE: edge_text.count(b"\n") - 1}}
    return {NODES_FILE: node_text, EDGES_FILE: edge_text,
            "manifest.json": (json.dumps(manifest, indent=2) + "\n").encode()}
