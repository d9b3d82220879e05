"""Check a SPARQL query before it runs: a query (not an update), no SERVICE or FROM, its form.

Oxigraph fetches ``SERVICE`` URLs over HTTP and rdflib can too; tkigraph never
lets a query open a connection, so such queries are refused with a clear message.
"""

from __future__ import annotations

from ..errors import TkigraphError
from ..namespaces import PREFIXES

__all__ = ["QueryError", "check_query", "prefix_header"]


class QueryError(TkigraphError):
    """A query that is malformed or not allowed."""


def prefix_header() -> str:
    """PREFIX declarations for every prefix the project uses."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def _walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _walk(value)


def check_query(text: str) -> str:
    """Return the query form (SELECT, CONSTRUCT, ASK, DESCRIBE) or raise :class:`QueryError`."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    # The parser accepts any prefix, declared or not, so the query is checked as written
    # (declaring our prefixes first would only make every check slower).
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(f"invalid SPARQL: {exc.msg} (line {exc.lineno}, column {exc.col})",
                             "check the query near that position") from None
        raise QueryError("SPARQL updates are not allowed: tkigraph queries are read-only",
                         "use SELECT, CONSTRUCT, ASK or DESCRIBE") from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to parse", "flatten the nested groups") from None
    except Exception as exc:  # rdflib raises a few other errors on odd input
        raise QueryError(f"invalid SPARQL: {exc}", "check the query syntax") from None
    for node in _walk(parsed[1]):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise QueryError("SERVICE is not allowed: tkigraph never opens network connections for a query",
                             "query a remote endpoint with --endpoint URL instead")
    if isinstance(parsed[1].get("datasetClause"), list):
        raise QueryError("FROM and FROM NAMED are not allowed: tkigraph queries the loaded graph and never "
                         "fetches another", "drop the FROM clause; load extra files with --data FILE")
    form = getattr(parsed[1], "name", "")
    return {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "AskQuery": "ASK",
            "DescribeQuery": "DESCRIBE"}.get(form, form)
