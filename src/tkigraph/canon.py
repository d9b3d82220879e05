"""Canonical Turtle: one stable serialisation of a curated file, so diffs show only meaning.

The canonical form is rdflib's ``longturtle`` (subjects, predicates and objects
sorted, one predicate a line) with the project's prefixes. ``tkigraph fmt``
rewrites files into it atomically; ``tkigraph fmt --check`` lists files that
are not in it (the data tests run the same check).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from . import store
from .errors import TkigraphError

__all__ = ["canonical_text", "is_canonical", "write_atomic", "write_atomic_bytes", "format_file"]


def canonical_text(path: str | Path) -> str:
    """The canonical Turtle of the file at ``path`` (raises InputFileError if it does not parse)."""
    graph = store.new_graph()
    store.parse_into(graph, path)
    return graph.serialize(format="longturtle")


def is_canonical(path: str | Path) -> bool:
    return Path(path).read_text(encoding="utf-8") == canonical_text(path)


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) atomically: see :func:`write_atomic_bytes`."""
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it into place.

    A reader sees the old file or the new one, never a part; the new file gets
    the usual permissions (the umask), not the temporary file's 0600.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise TkigraphError(f"{path}: the folder {path.parent} does not exist", hint="create it, or write elsewhere")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def format_file(path: str | Path) -> bool:
    """Rewrite ``path`` in canonical form; return True if it changed."""
    text = canonical_text(path)
    if Path(path).read_text(encoding="utf-8") == text:
        return False
    write_atomic(path, text)
    return True
