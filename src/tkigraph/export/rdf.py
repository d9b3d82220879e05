"""RDF exports of the default graph, dumped by pyoxigraph from the cached store (rdflib only for compact JSON-LD).

Each reads back (rdflib, pyoxigraph) to the graph every command reads: the
loaded files with the derived variant -> drug triples. Turtle, N-Triples and
RDF/XML begin with a comment naming the tkigraph version; JSON has no comments,
so the JSON-LD files carry no stamp (adding a node would change the graph).
"""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox

from ..namespaces import PREFIXES, curie
from .source import GENERATOR, ExportSource

__all__ = ["to_turtle", "to_ntriples", "to_rdfxml", "to_jsonld", "to_jsonld_compact", "to_csv", "context"]


def _stamp() -> bytes:
    return f"# {GENERATOR} export\n".encode()


def to_turtle(source: ExportSource) -> bytes:
    return _stamp() + source.default_graph(ox.RdfFormat.TURTLE)


def to_ntriples(source: ExportSource) -> bytes:
    return _stamp() + source.default_graph(ox.RdfFormat.N_TRIPLES)


def to_rdfxml(source: ExportSource) -> bytes:
    body = source.default_graph(ox.RdfFormat.RDF_XML)
    declaration, newline, rest = body.partition(b"\n")
    if not declaration.startswith(b"<?xml"):
        declaration, newline, rest = b"", b"", body
    return declaration + newline + f"<!-- {GENERATOR} export -->\n".encode() + rest


def to_jsonld(source: ExportSource) -> bytes:
    """Expanded JSON-LD (full IRIs, no @context), as pyoxigraph writes it."""
    return source.default_graph(ox.RdfFormat.JSON_LD)


def context() -> dict[str, str]:
    """The @context of the compact JSON-LD: tkigraph's prefixes (the ones ``tkigraph query`` predeclares)."""
    return dict(PREFIXES)


def to_jsonld_compact(source: ExportSource) -> bytes:
    """Compact JSON-LD with an @context of prefixes (pyoxigraph writes only expanded JSON-LD, so rdflib does)."""
    from rdflib import Graph

    from ..storage.oxigraph import snapshot_file

    graph = Graph()
    graph.parse(str(snapshot_file(source.store, source.location)), format="nt")
    return graph.serialize(format="json-ld", context=context(), auto_compact=True, indent=1,
                           encoding="utf-8")


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> str:
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)  # a quoted triple (RDF-star), in N-Triples form


def to_csv(source: ExportSource) -> bytes:
    """One row a triple (subject, predicate, object as CURIEs; literals as their text), sorted."""
    rows = sorted((_cell(q.subject), _cell(q.predicate), _cell(q.object))
                  for q in source.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["subject", "predicate", "object"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
