"""Exports: one registry of formats (:mod:`.registry`), one way in (:class:`.source.ExportSource`), one dump.

>>> from tkigraph.export import ExportSource, dump
>>> text = dump("turtle", ExportSource())            # bytes          # doctest: +SKIP
>>> files = dump("kgx", ExportSource())              # {name: bytes}  # doctest: +SKIP

One module per family of formats: :mod:`.rdf` (Turtle, N-Triples, RDF/XML,
JSON-LD, CSV of triples), :mod:`.dataset` (TriG and N-Quads, a named graph per
source with provenance), :mod:`.graphs` (GraphML, GEXF, Cytoscape JSON,
node-link JSON), :mod:`.kgx` (Biolink KGX TSV) and :mod:`.neo4j` (admin-import
CSV). ``docs/formats.md`` documents each for users.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from ..errors import TkigraphError
from .registry import FORMAT_NAMES, FORMATS, Format, format_for_path

if TYPE_CHECKING:
    from pathlib import Path

    from .source import ExportSource

__all__ = ["FORMATS", "FORMAT_NAMES", "Format", "format_for_path", "ExportSource", "GENERATOR", "writer", "dump",
           "choose_format", "write_output"]


def __getattr__(name: str) -> object:
    if name in ("ExportSource", "GENERATOR"):  # imported on first use: the CLI's --help stays fast
        from . import source

        return getattr(source, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def writer(name: str) -> Callable[[ExportSource], bytes | dict[str, bytes]]:
    """The writer function of a format (imported on first use)."""
    module, function = FORMATS[name].writer.split(":")
    found: Callable[[ExportSource], bytes | dict[str, bytes]] = getattr(import_module(f"{__name__}.{module}"), function)
    return found


def dump(name: str, source: ExportSource | None = None) -> bytes | dict[str, bytes]:
    """The knowledge base in format ``name``: bytes, or {file name: bytes} for a folder format."""
    from .source import ExportSource

    if name not in FORMATS:
        raise TkigraphError(f"unknown export format {name!r}", "one of: " + ", ".join(FORMAT_NAMES))
    return writer(name)(source or ExportSource())


def choose_format(fmt: str | None, output: str | None) -> Format:
    """The format ``--format`` names, else the one ``-o``'s extension asks for, else Turtle."""
    if fmt:
        return FORMATS[fmt]
    if output:
        found = format_for_path(output)
        if found is None:
            known = ", ".join(f"{f.extension} ({f.name})" for f in FORMATS.values() if f.extension)
            raise TkigraphError(f"cannot tell the export format from the file name {output!r}",
                                f"pass --format NAME, or end the name with one of: {known}")
        return found
    return FORMATS["turtle"]


def write_output(data: bytes | dict[str, bytes], output: str | Path) -> list[Path]:
    """Write one file, or a folder of files, each atomically; return the paths written."""
    from pathlib import Path

    from ..atomic import write_atomic_bytes

    output = Path(output)
    if isinstance(data, bytes):
        if output.is_dir():
            raise TkigraphError(f"{output} is a folder", "give a file name, e.g. -o tkigraph.ttl")
        write_atomic_bytes(output, data)
        return [output]
    if output.exists() and not output.is_dir():
        raise TkigraphError(f"{output} is a file, but this format writes a folder of files",
                            "give a folder name, e.g. -o tkigraph-kgx")
    if not output.parent.is_dir():
        raise TkigraphError(f"{output}: the folder {output.parent} does not exist", "create it, or write elsewhere")
    output.mkdir(exist_ok=True)
    written = []
    for name, content in data.items():
        write_atomic_bytes(output / name, content)
        written.append(output / name)
    return written
