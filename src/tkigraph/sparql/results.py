"""Write a query :class:`~.engine.Result` as a table, CSV, TSV, SPARQL 1.1 JSON or Turtle."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import TkigraphError
from ..namespaces import curie
from .engine import Result

__all__ = ["write", "FORMATS"]


def _short(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return curie(term)
    return str(term)


def to_table(result: Result) -> str:
    if result.form == "ASK":
        return "true" if result.boolean else "false"
    header = result.variables
    rows = [[_short(row.get(v)) for v in header] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def to_delimited(result: Result, delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([str(row.get(v)) if row.get(v) is not None else "" for v in result.variables])
    return out.getvalue().rstrip("\n")


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
    return out


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2)
    bindings = [{v: _json_term(term) for v in result.variables if (term := row.get(v)) is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, indent=2,
                      ensure_ascii=False)


def to_turtle(result: Result) -> str:
    from ..storage.files import new_graph

    graph = new_graph()
    if result.graph is not None:  # a CONSTRUCT or DESCRIBE result always has one
        graph += result.graph
    return graph.serialize(format="turtle")


FORMATS = ("table", "csv", "tsv", "json", "turtle")


def write(result: Result, fmt: str) -> str:
    """Render ``result`` in ``fmt`` (graphs only as turtle; rows in any other format)."""
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in ("turtle", "table"):
            raise TkigraphError(f"a {result.form} query returns a graph: --format {fmt} does not apply",
                                "use --format turtle")
        return to_turtle(result)
    if fmt == "turtle":
        raise TkigraphError(f"a {result.form} query returns rows, not a graph", "use table, csv, tsv or json")
    if fmt == "json":
        return to_json(result)
    if fmt in ("csv", "tsv"):
        if result.form == "ASK":
            return "true" if result.boolean else "false"
        return to_delimited(result, "," if fmt == "csv" else "\t")
    return to_table(result)
