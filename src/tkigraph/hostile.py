"""Checks that refuse hostile input files before and after they are parsed.

* Size: a file larger than ``$TKIGRAPH_MAX_FILE_MB`` (default 64) is refused
  before it is read, so memory stays bounded (large graphs belong in
  ``tkigraph query --data``, which loads with Oxigraph, or a SPARQL server).
* RDF/XML, and anything with a DOCTYPE: refused outright (entity expansion can
  take unbounded time and memory); tkigraph reads Turtle.
* Control characters (other than tab, newline, carriage return) and Unicode
  bidirectional overrides in the text or in any parsed literal: refused with the
  line, because they hide or reorder what a reader sees.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputFileError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["check_size", "check_text", "check_literals", "max_file_bytes"]

MAX_FILE_ENV = "TKIGRAPH_MAX_FILE_MB"
#: C0 controls but tab, LF, CR; DEL; C1 controls; bidi embeddings, overrides and isolates
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_XML = re.compile(r"\A\ufeff?\s*<(\?xml|!DOCTYPE|rdf:RDF)", re.IGNORECASE)


def max_file_bytes() -> int:
    return int(float(os.environ.get(MAX_FILE_ENV, "64")) * 1024 * 1024)


def check_size(path: Path) -> None:
    size, limit = path.stat().st_size, max_file_bytes()
    if size > limit:
        raise InputFileError(str(path), f"file too large to load in memory ({size / 2**20:.0f} MB > "
                             f"{limit / 2**20:.0f} MB)", hint="query it with `tkigraph query --data FILE` "
                             "(Oxigraph) or a SPARQL server, or raise TKIGRAPH_MAX_FILE_MB")


def check_text(path: Path, text: str) -> None:
    if _XML.match(text) or "<!DOCTYPE" in text[:4096].upper():
        raise InputFileError(str(path), "RDF/XML or a DOCTYPE is not accepted (entity expansion is unbounded)",
                             line=1, hint="convert the file to Turtle")
    found = FORBIDDEN.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise InputFileError(str(path), f"control or bidirectional character U+{ord(found.group()):04X}",
                             line=line, hint="remove it: such characters hide or reorder text")


def check_literals(path: Path, graph: Graph) -> None:
    """Catch forbidden characters written as escapes (\\u202E) that only appear after parsing."""
    from rdflib import Literal

    for triple in graph:
        for term in triple:
            found = FORBIDDEN.search(str(term)) if isinstance(term, Literal) else None
            if found:
                char = found.group()
                raise InputFileError(str(path), f"control or bidirectional character U+{ord(char):04X} "
                                     f"(written as an escape) in a literal of <{triple[0]}>",
                                     hint="remove it: such characters hide or reorder text")
