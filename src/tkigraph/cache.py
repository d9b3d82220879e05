"""A persistent cache of loaded graphs, keyed by the content of the files they came from.

Parsing Turtle is the slow part of every command; unpickling the parsed graph
is several times faster. :func:`cached` returns the graph built from a list of
files, from ``$TKIGRAPH_CACHE_DIR`` (default: platformdirs'
``user_cache_dir("tkigraph")``) when a graph built from files with exactly the
same bytes (SHA-256), options and tkigraph version is there, and otherwise
builds it and stores it (atomically). A changed file changes the key, so the
cache is never stale. ``TKIGRAPH_NO_CACHE=1`` turns it off. At most
:data:`KEEP` graphs are kept.

The same directory holds the Oxigraph stores of :mod:`tkigraph.oxstore`;
:func:`entries` lists everything in it and :func:`clear` empties it
(``tkigraph cache``, ``tkigraph cache --clear``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["cached", "cache_dir", "cache_key", "entries", "clear", "KEEP"]

CACHE_DIR_ENV, NO_CACHE_ENV = "TKIGRAPH_CACHE_DIR", "TKIGRAPH_NO_CACHE"
#: how many cached graphs are kept (the least recently used go first)
KEEP = 8


def cache_dir() -> Path:
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tkigraph"))


def cache_key(files: Sequence[Path], options: tuple[object, ...]) -> str | None:
    """SHA-256 over the version, the options, and every file's path and bytes (None if a file is missing).

    The path counts because relative IRIs in a file resolve against it.
    """
    digest = hashlib.sha256(f"{__version__}|{options!r}".encode())
    for path in files:
        try:
            digest.update(str(Path(path).resolve()).encode() + b"\0")
            with open(path, "rb") as handle:  # in chunks: memory stays bounded for a large file
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        except OSError:
            return None
        digest.update(b"\0")
    return digest.hexdigest()


def cached(files: Sequence[Path], options: tuple[object, ...], build: Callable[[], Graph]) -> Graph:
    """The graph ``build()`` makes from ``files``, from the cache when its bytes are unchanged."""
    if os.environ.get(NO_CACHE_ENV):
        return build()
    key = cache_key(files, options)
    if key is None:
        return build()  # let the loader report the missing file
    path = cache_dir() / f"graph-{key}.pickle"
    try:
        with path.open("rb") as handle:
            graph: Graph = pickle.load(handle)
        os.utime(path)
        return graph
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError):
        pass
    graph = build()
    _store(path, graph)
    return graph


def _store(path: Path, graph: Graph) -> None:
    from .atomic import write_atomic_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(path, pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL))
        old = sorted(path.parent.glob("graph-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk only costs speed


#: what each kind of cache entry is, by its name's pattern
KINDS = {"graph-*.pickle": "rdflib graph (pickle)", "store-*": "Oxigraph store", "store-*.nt": "store snapshot (N-Triples)",
         "store-*.names.json": "store name index (JSON)"}


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def entries() -> list[dict[str, Any]]:
    """Everything in the cache directory: kind, path, size in bytes, last use (newest first)."""
    folder = cache_dir()
    found = []
    for pattern, kind in KINDS.items():
        for path in folder.glob(pattern):
            if kind == "Oxigraph store" and not path.is_dir():
                continue
            try:
                found.append({"kind": kind, "path": str(path), "bytes": _size(path),
                              "last_used": path.stat().st_mtime})
            except OSError:
                continue  # removed meanwhile
    return sorted(found, key=lambda e: -e["last_used"])


def clear() -> int:
    """Remove every cache entry (and any store left half-built); return how many were removed."""
    import shutil

    folder = cache_dir()
    removed = 0
    for path in [*(Path(e["path"]) for e in entries()), *folder.glob(".building-*")]:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed += not path.exists()
    return removed
