"""Check a SPARQL query before it runs: a query (not an update), no SERVICE or FROM, its form.

Oxigraph fetches ``SERVICE`` URLs over HTTP; tkigraph never lets a query open a
connection, so such queries are refused with a clear message. The check needs
no grammar of its own and keeps no state, so any number of threads may call it
at once:

1. SPARQL codepoint escapes (``\\u0053ERVICE``) are decoded first, as the SPARQL
   parser does before it reads the query.
2. A scanner that follows SPARQL's lexical rules (strings, IRIs, comments)
   finds the keywords outside strings, IRIs and comments. Where ``<`` could be
   an IRI or "less than", it reads an IRI only if the text fits SPARQL's IRI
   rule, which never holds ``{`` or a space: a SERVICE clause cannot hide in it,
   so the scanner may see more keywords than the parser, never fewer.
3. Oxigraph's own parser decides whether the query is valid SPARQL (on an empty
   in-memory store, which holds nothing to read and, with no SERVICE left,
   opens no connection).

The guard alone takes about 30 microseconds for a short query
(``benchmarks/serve_load.py --guard``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import TkigraphError
from ..namespaces import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["QueryError", "Checked", "check_query", "inspect_query", "needed_prefixes", "prefix_header", "query_form"]

#: the query forms, as :func:`check_query` names them
FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
#: keywords that start a SPARQL update operation
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# One token at a time, tried in this order at each position (SPARQL 1.1 grammar, section 19.8).
# Compiled on first use (:func:`_token`): compiling it costs 7 ms of every command's start-up.
_TOKEN_PATTERN = (r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-.]*(?::[A-Za-z0-9_\-.:%\\\u00b7-\uffff]*)?|[?$][A-Za-z0-9_]+
             |:[A-Za-z0-9_\-.:%\\\u00b7-\uffff]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@functools.cache
def _token() -> re.Pattern[str]:
    return re.compile(*_TOKEN_PATTERN)


class QueryError(TkigraphError):
    """A query that is malformed or not allowed."""


def prefix_header() -> str:
    """PREFIX declarations for every prefix the project uses."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def _unescape(text: str) -> str:
    """Decode SPARQL codepoint escapes, as the parser does before reading the query."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)

    return _ESCAPE.sub(char, text)


@dataclass(frozen=True)
class Scan:
    """What the scanner read in a query, outside strings, IRIs and comments."""

    #: the bare words (keywords), upper-cased, in order
    words: list[str]
    #: every word, upper-cased, with the prefix of each prefixed name: ``SERVICE:x`` reads as the
    #: keyword SERVICE and the name ``:x`` to a parser that tries keywords first, so a keyword
    #: glued to a name is still seen
    every: set[str]
    #: the prefixes of the prefixed names, as written (``tkd`` of ``tkd:imatinib``)
    prefixes: set[str]


def keywords(text: str) -> Scan:
    """Scan ``text`` (see :class:`Scan`)."""
    bare: list[str] = []
    every: set[str] = set()
    prefixes: set[str] = set()
    for match in _token().finditer(_unescape(text)):
        word = match.group("word")
        if not word or word[0] in "?$":
            continue
        head, colon, _ = word.partition(":")
        every.add(head.upper())
        if colon:
            prefixes.add(head)
        else:
            bare.append(head.upper())
    return Scan(bare, every, prefixes)


def needed_prefixes(scan: Scan) -> dict[str, str]:
    """The project's prefixes a query uses (declared or not): passing only these to Oxigraph is
    much faster than passing all of them (each one costs Oxigraph an IRI parse per query)."""
    return {name: PREFIXES[name] for name in scan.prefixes if name in PREFIXES}


@dataclass(frozen=True)
class Checked:
    """A query that passed the guard: its form and the predeclared prefixes it needs."""

    form: str
    prefixes: dict[str, str]


def query_form(words: list[str]) -> str | None:
    """The form of a query from its keywords: the first of SELECT/CONSTRUCT/ASK/DESCRIBE after the prologue."""
    for word in words:
        if word in FORMS:
            return word
        if word in UPDATE_KEYWORDS:
            return None
    return None


def check_query(text: str, syntax: bool = True) -> str:
    """Return the query form (SELECT, CONSTRUCT, ASK, DESCRIBE) or raise :class:`QueryError`.

    With ``syntax=False`` the query is not parsed (the caller's engine will parse it
    and report a syntax error itself); what is not allowed is refused all the same.
    """
    return inspect_query(text, syntax).form


def inspect_query(text: str, syntax: bool = True, allow_from: bool = False) -> Checked:
    """:func:`check_query`, returning the form with the prefixes the query needs.

    ``allow_from``: FROM and FROM NAMED choose among the store's own graphs (the endpoint,
    where Oxigraph answers and never fetches a graph); elsewhere they are refused, because
    rdflib's engine would fetch the graph a FROM names over the network.
    """
    scan = keywords(text)
    words, every = scan.words, scan.every
    if "SERVICE" in every:
        raise QueryError("SERVICE is not allowed: tkigraph never opens network connections for a query",
                         "query a remote endpoint with --endpoint URL instead")
    form = query_form(words)
    if form is None and any(word in UPDATE_KEYWORDS for word in words):
        raise QueryError("SPARQL updates are not allowed: tkigraph queries are read-only",
                         "use SELECT, CONSTRUCT, ASK or DESCRIBE")
    prefixes = needed_prefixes(scan)
    if syntax:
        _parse(text, prefixes)
    if "FROM" in every and not allow_from:
        raise QueryError("FROM and FROM NAMED are not allowed: tkigraph queries the loaded graph and never "
                         "fetches another", "drop the FROM clause; load extra files with --data FILE")
    if form is None:  # valid SPARQL always has a form; a scanner that missed it refuses rather than guesses
        raise QueryError("cannot tell the query form", "start the query with SELECT, CONSTRUCT, ASK or DESCRIBE")
    return Checked(form, prefixes)


@functools.cache
def _empty_store() -> ox.Store:
    """One empty in-memory store (nothing ever writes to it; Oxigraph stores are thread-safe)."""
    import pyoxigraph as ox

    return ox.Store()


def _parse(text: str, prefixes: dict[str, str]) -> None:
    """Raise QueryError unless Oxigraph's parser accepts ``text`` as a query (``prefixes`` predeclared)."""
    try:
        _empty_store().query(text, prefixes=prefixes)
    except SyntaxError as exc:
        message = str(exc)
        where = re.match(r"error at (\d+):(\d+): ", message)
        if where:
            message = f"{message[where.end():]} (line {where.group(1)}, column {where.group(2)})"
        raise QueryError(f"invalid SPARQL: {message}", "check the query near that position") from None
    except RecursionError:
        raise QueryError("the query is nested too deeply to parse", "flatten the nested groups") from None
    except (OSError, ValueError, TypeError) as exc:  # nothing to read in an empty store; report, never trace
        raise QueryError(f"invalid SPARQL: {exc}", "check the query syntax") from None
