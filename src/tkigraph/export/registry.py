"""The one registry of export formats: name -> writer, file extension, media type (STYLE habit 3).

This module holds data only (no rdflib, pyoxigraph or networkx; not even
dataclasses or pathlib), so the CLI can build ``--format`` choices and guess a
format from ``-o file.ext`` without slowing ``tkigraph --help``. Writers are named as ``module:function`` inside
:mod:`tkigraph.export` and imported when used (:func:`tkigraph.export.writer`).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Format", "FORMATS", "FORMAT_NAMES", "format_for_path"]


class Format(NamedTuple):
    """One export format."""

    name: str
    #: ``module:function`` in :mod:`tkigraph.export`; the function takes a
    #: :class:`~tkigraph.export.source.ExportSource` and returns bytes (one file) or
    #: {file name: bytes} (a folder of files)
    writer: str
    #: file name extension, with the dot ('' for a folder of files)
    extension: str
    media_type: str
    #: what it holds, for --help and docs/formats.md
    summary: str
    #: other extensions that pick this format from ``-o``
    aliases: tuple[str, ...] = ()

    @property
    def is_folder(self) -> bool:
        """True when the format is several files, written into a folder."""
        return not self.extension


_FORMATS = (
    # RDF from the cached Oxigraph store (pyoxigraph writes them)
    Format("turtle", "rdf:to_turtle", ".ttl", "text/turtle", "RDF Turtle (the default)"),
    Format("ntriples", "rdf:to_ntriples", ".nt", "application/n-triples", "RDF N-Triples, one triple a line"),
    Format("rdfxml", "rdf:to_rdfxml", ".rdf", "application/rdf+xml", "RDF/XML (Protege, older tools)",
           aliases=(".owl", ".xml")),
    Format("jsonld", "rdf:to_jsonld", ".jsonld", "application/ld+json", "expanded JSON-LD (no @context)"),
    Format("jsonld-compact", "rdf:to_jsonld_compact", ".context.jsonld", "application/ld+json",
           "compact JSON-LD with an @context of tkigraph's prefixes (rdflib writes it)"),
    Format("trig", "dataset:to_trig", ".trig", "application/trig",
           "TriG: one named graph per source (curated, civic, moalmanac, derived) with provenance"),
    Format("nquads", "dataset:to_nquads", ".nq", "application/n-quads", "N-Quads: the same dataset as trig"),
    Format("csv", "rdf:to_csv", ".csv", "text/csv", "one triple a row: subject,predicate,object as CURIEs"),
    # the networkx projection (tkigraph.graph)
    Format("graphml", "graphs:to_graphml", ".graphml", "application/graphml+xml",
           "GraphML (Gephi, Cytoscape, yEd, igraph, networkx); every edge has its own id"),
    Format("gexf", "graphs:to_gexf", ".gexf", "application/gexf+xml", "GEXF (Gephi)"),
    Format("cyjs", "graphs:to_cyjs", ".cyjs", "application/json", "Cytoscape JSON (Cytoscape, Cytoscape.js)"),
    Format("nodelink", "graphs:to_nodelink", ".json", "application/json", "networkx node-link JSON (networkx, d3)"),
    # folders of files
    Format("kgx", "kgx:to_kgx", "", "text/tab-separated-values",
           "KGX TSV (Biolink Model): tkigraph_nodes.tsv and tkigraph_edges.tsv in a folder"),
    Format("neo4j", "neo4j:to_neo4j", "", "text/csv",
           "Neo4j admin-import CSV: nodes.csv and relationships.csv in a folder"),
)

#: format name -> Format
FORMATS: dict[str, Format] = {f.name: f for f in _FORMATS}
#: the names, in registry order (the CLI's --format choices)
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)


def format_for_path(path: str) -> Format | None:
    """The format a file name asks for by its extension (the longest match), or None."""
    name = path.lower()
    matches = [(len(ext), f) for f in _FORMATS for ext in (f.extension, *f.aliases) if ext and name.endswith(ext)]
    return max(matches, key=lambda m: m[0])[1] if matches else None
