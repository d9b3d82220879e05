"""The library of named queries: ``queries/*.rq`` shipped with the package.

Each file starts with comment lines: a description, then ``# param: NAME  text``
for each parameter and ``# example: ...``. Parameters become bound variables
(``?NAME``) of the query; they are never pasted into its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TkigraphError, UnknownNameError

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["NamedQuery", "named_queries", "get_query", "bind_params"]

_NUMERIC = {"threshold"}


@dataclass(frozen=True)
class NamedQuery:
    """A shipped query with its documentation."""

    name: str
    description: str
    params: dict[str, str] = field(default_factory=dict)
    example: str = ""
    text: str = ""


def _parse(name: str, text: str) -> NamedQuery:
    description, params, example = [], {}, ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.startswith("param:"):
            key, _, doc = body[len("param:"):].strip().partition(" ")
            params[key] = doc.strip()
        elif body.startswith("example:"):
            example = body[len("example:"):].strip()
        else:
            description.append(body)
    return NamedQuery(name, " ".join(description), params, example, text)


def named_queries() -> dict[str, NamedQuery]:
    """Every shipped query by name."""
    folder = Path(__file__).with_name("queries")  # shipped inside the package (importlib.resources costs 5 ms)
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            out[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return out


def get_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        import difflib

        raise UnknownNameError(name, "named query", difflib.get_close_matches(name, list(queries), n=3))
    return queries[name]


def check_params(query: NamedQuery, given: dict[str, str]) -> None:
    """Raise :class:`TkigraphError` unless ``given`` are exactly the query's parameters, numbers where due."""
    unknown = sorted(set(given) - set(query.params))
    if unknown:
        raise TkigraphError(f"query {query.name!r} has no parameter {', '.join(unknown)}",
                            f"its parameters: {', '.join(query.params) or 'none'}")
    missing = [p for p in query.params if p not in given]
    if missing:
        raise TkigraphError(f"query {query.name!r} needs --param {missing[0]}=...",
                            "; ".join(f"{k}: {v}" for k, v in query.params.items()))
    if "region" in given:  # region synonyms (P-loop, A-loop, αC helix); an unknown region is said so
        _region(given["region"])
    for key, value in given.items():
        if key in _NUMERIC:
            try:
                Decimal(value)
            except InvalidOperation:
                raise TkigraphError(f"--param {key} must be a number, not {value!r}", f"for example {key}=10") from None


def bind_params(query: NamedQuery, given: dict[str, str]) -> dict[str, ox.Literal]:
    """Typed bindings for a named query's parameters (every one is required), as pyoxigraph literals
    (every engine takes them; no rdflib needed to bind)."""
    import pyoxigraph as ox

    check_params(query, given)
    given = {**given, "region": _region(given["region"])} if "region" in given else given
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    return {key: ox.Literal(_decimal(value), datatype=decimal) if key in _NUMERIC else ox.Literal(value)
            for key, value in given.items()}


def _decimal(value: str) -> str:
    """The xsd:decimal lexical form of a number, as rdflib writes ``Literal(Decimal(value))`` ("1e3" -> "1000")."""
    return format(Decimal(value), "f")


def _region(text: str) -> str:
    from ..names import REGIONS, region_label, region_suggestions

    found = region_label(text)
    if found is None:
        close = region_suggestions(text)
        hint = (f"did you mean: {', '.join(close)}? " if close else "") + "regions: " + ", ".join(REGIONS)
        raise TkigraphError(f"no such region: {text!r}", hint)
    return found


def parse_param(text: str) -> tuple[str, str]:
    """'drug=imatinib' -> ('drug', 'imatinib')."""
    key, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise TkigraphError(f"bad --param {text!r}", "write --param NAME=VALUE, e.g. --param drug=imatinib")
    return key, value
