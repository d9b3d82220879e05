"""Checks that refuse hostile input files before and after they are parsed: one policy for every command.

* Kind: only a regular file is read. A directory, a FIFO, a socket or a device
  is refused at once, by name, without being opened (opening a FIFO blocks).
* Size: a file larger than ``$TKIGRAPH_MAX_FILE_MB`` (default 64) is refused
  before it is read, by every command alike. Raising the limit is safe for the
  commands that read the on-disk store (explain, query, serve, render ...): the
  text is checked in a stream of chunks and bulk-loaded from the file, so memory
  stays bounded whatever the size.
* RDF/XML, and anything with a DOCTYPE: refused outright (entity expansion can
  take unbounded time and memory); tkigraph reads Turtle.
* Control characters (other than tab, newline, carriage return) and Unicode
  bidirectional overrides in the text or in any parsed literal: refused with the
  line, because they hide or reorder what a reader sees.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputFileError

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

__all__ = ["check_file", "check_size", "check_text", "check_literals", "check_parsed", "max_file_bytes", "scan_file", "CHUNK"]

#: characters read at a time by :func:`scan_file`
CHUNK = 1 << 22

MAX_FILE_ENV = "TKIGRAPH_MAX_FILE_MB"
#: C0 controls but tab, LF, CR; DEL; C1 controls; bidi embeddings, overrides and isolates
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_XML = re.compile(r"\A\ufeff?\s*<(\?xml|!DOCTYPE|rdf:RDF)", re.IGNORECASE)


def max_file_bytes() -> int:
    return int(float(os.environ.get(MAX_FILE_ENV, "64")) * 1024 * 1024)


def check_file(path: Path) -> None:
    """Refuse, at once and without opening it, anything but a regular file within the size limit."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputFileError(str(path), "no such file", hint="check the path") from None
    except OSError as exc:
        raise InputFileError(str(path), f"cannot be read ({exc.strerror})", hint="check its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputFileError(str(path), "is a directory, not a Turtle file", hint="name a .ttl file inside it")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
        raise InputFileError(str(path), f"is {kind}, not a regular file", hint="save the data to a .ttl file first")
    check_size(path, info.st_size)


def check_size(path: Path, size: int | None = None) -> None:
    size, limit = (path.stat().st_size if size is None else size), max_file_bytes()
    if size > limit:
        raise InputFileError(str(path), f"file too large ({size / 2**20:.0f} MB > the {limit / 2**20:.0f} MB limit)",
                             hint="raise TKIGRAPH_MAX_FILE_MB (files are checked and loaded as a stream, "
                                  "so memory stays bounded), or load it into a SPARQL server")


def scan_file(path: Path) -> bool:
    """:func:`check_file`, then :func:`check_text` on the file read as a stream of chunks.

    Returns whether the text holds ``\\u``/``\\U`` escapes, whose characters are only
    seen once parsed (see :func:`check_literals`). Memory stays bounded by ``CHUNK``.
    """
    import codecs

    check_file(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    escaped, line, offset, tail = False, 1, 0, ""
    try:
        with open(path, "rb") as handle:
            while True:
                data = handle.read(CHUNK)
                text = decoder.decode(data, final=not data)
                if offset == 0:
                    check_text(path, text)
                else:
                    _check_chars(path, text, line)
                window = tail + text  # an escape split across two chunks
                escaped = escaped or "\\u" in window or "\\U" in window
                line += text.count("\n")
                offset += len(text)
                tail = text[-1:]
                if not data:
                    return escaped
    except UnicodeDecodeError as exc:
        raise InputFileError(str(path), f"not UTF-8 text (byte {offset + exc.start})",
                             hint="save the file as UTF-8") from None
    except OSError as exc:
        raise InputFileError(str(path), f"cannot be read ({exc.strerror})", hint="check its permissions") from None


def check_text(path: Path, text: str) -> None:
    if _XML.match(text) or "<!DOCTYPE" in text[:4096].upper():
        raise InputFileError(str(path), "RDF/XML or a DOCTYPE is not accepted (entity expansion is unbounded)",
                             line=1, hint="convert the file to Turtle")
    _check_chars(path, text, 1)


def _check_chars(path: Path, text: str, first_line: int) -> None:
    found = FORBIDDEN.search(text)
    if found:
        line = first_line + text.count("\n", 0, found.start())
        raise InputFileError(str(path), f"control or bidirectional character U+{ord(found.group()):04X}",
                             line=line, hint="remove it: such characters hide or reorder text")


def check_literals(path: Path, graph: Graph) -> None:
    """Catch what only appears after parsing: forbidden characters written as escapes (\\u202E), and IRIs
    that rdflib lets through but Oxigraph, and so every other command, refuses (``<http://e/a[]b>``)."""
    checked: set[str] = set()
    for triple in graph:
        check_parsed(path, triple, checked)


def check_parsed(path: Path, triple: tuple[Node, Node, Node], checked: set[str]) -> None:
    """:func:`check_literals` on one parsed triple; ``checked`` holds the IRIs already found valid (it grows)."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    for term in triple:
        iris = [term] if isinstance(term, URIRef) else [term.datatype] if isinstance(term, Literal) and term.datatype else []
        for iri in iris:
            if iri not in checked:
                try:
                    ox.NamedNode(str(iri))
                except ValueError as exc:
                    raise InputFileError(str(path), f"invalid Turtle: not a valid IRI <{iri}>: {exc}",
                                         hint="percent-encode the character, or fix the IRI") from None
                checked.add(str(iri))
        found = FORBIDDEN.search(str(term)) if isinstance(term, Literal) else None
        if found:
            char = found.group()
            raise InputFileError(str(path), f"control or bidirectional character U+{ord(char):04X} "
                                 f"(written as an escape) in a literal of <{triple[0]}>",
                                 hint="remove it: such characters hide or reorder text")
