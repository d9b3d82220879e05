"""A persistent cache of loaded graphs, keyed by the content of the files they came from.

Parsing Turtle is the slow part of every command; unpickling the parsed graph
is several times faster. :func:`cached` returns the graph built from a list of
files, from ``$TKIGRAPH_CACHE_DIR`` (default: platformdirs'
``user_cache_dir("tkigraph")``) when a graph built from files with exactly the
same bytes (SHA-256), options and tkigraph version is there, and otherwise
builds it and stores it (atomically). A changed file changes the key, so the
cache is never stale. Each file's digest is remembered by its stat (size,
modification and change times, inode), so a warm call reads no file's bytes:
see :class:`_Digests` for why an edit is still always seen. ``TKIGRAPH_NO_CACHE=1`` turns it off. At most
:data:`KEEP` graphs are kept.

The same directory holds the Oxigraph stores of :mod:`tkigraph.storage.oxigraph`;
:func:`entries` lists everything in it and :func:`clear` empties it
(``tkigraph cache``, ``tkigraph cache --clear``).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..version import __version__

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["cached", "cache_dir", "cache_key", "file_digest", "entries", "clear", "KEEP"]

CACHE_DIR_ENV, NO_CACHE_ENV = "TKIGRAPH_CACHE_DIR", "TKIGRAPH_NO_CACHE"
#: how many cached graphs are kept (the least recently used go first)
KEEP = 8


def cache_dir() -> Path:
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    from .userdirs import user_dir

    return user_dir("cache")


def cache_key(files: Sequence[Path], options: tuple[object, ...]) -> str | None:
    """SHA-256 over the version, the options, and every file's path and content digest (None if a file is missing).

    The path counts because relative IRIs in a file resolve against it. Each file's
    digest (SHA-256 of its bytes) is remembered by its stat (:func:`file_digest`), so a
    warm call hashes no file it has hashed before.
    """
    digest = hashlib.sha256(f"{__version__}|{options!r}".encode())
    memo = _Digests()
    for path in files:
        try:
            resolved = Path(path).resolve()
            digest.update(str(resolved).encode() + b"\0" + memo.digest(resolved).encode() + b"\0")
        except OSError:
            return None
    memo.save()
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """The SHA-256 of one file's bytes, remembered by its stat (see :class:`_Digests`)."""
    memo = _Digests()
    found = memo.digest(Path(path).resolve())
    memo.save()
    return found


#: seconds a file's change time must lie in the past before its stat is trusted for its digest
SETTLED = 2.0
#: how many files' digests are remembered
KEEP_DIGESTS = 256


class _Digests:
    """File digests remembered by stat, in ``digests.json`` of the cache directory.

    A file's remembered digest is used only while its (size, mtime_ns, ctime_ns, inode,
    device) is what it was when hashed. Any write changes the change time (ctime),
    which no user call can set back, so an edit is seen even when it keeps the size and
    restores the modification time. A file changed within :data:`SETTLED` seconds of
    being hashed is hashed again on every call until it settles (the "racily clean"
    rule of git's index): two writes within one tick of a coarse file-system clock
    cannot hide behind the same stat.
    """

    def __init__(self) -> None:
        self.path = cache_dir() / "digests.json"
        self.known: dict[str, list[Any]] = {}
        self.changed = False
        if os.environ.get(NO_CACHE_ENV):
            return
        try:
            import json

            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.known = loaded
        except (OSError, ValueError):
            pass

    def digest(self, path: Path) -> str:
        info = os.stat(path)
        stamp = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
        entry = self.known.get(str(path))
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == stamp:
            return str(entry[1])
        found = _sha256(path)
        settled = time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > SETTLED * 1e9
        if settled and os.stat(path).st_ctime_ns == info.st_ctime_ns:  # and not written while it was hashed
            self.known.pop(str(path), None)
            self.known[str(path)] = [stamp, found]  # the newest last: the oldest go first
            self.changed = True
        return found

    def save(self) -> None:
        if not self.changed or os.environ.get(NO_CACHE_ENV):
            return
        import json

        from ..atomic import write_atomic

        kept = dict(list(self.known.items())[-KEEP_DIGESTS:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(kept))
        except OSError:
            pass  # an unwritable cache only costs time


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:  # in chunks: memory stays bounded for a large file
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cached(files: Sequence[Path], options: tuple[object, ...], build: Callable[[], Graph]) -> Graph:
    """The graph ``build()`` makes from ``files``, from the cache when its bytes are unchanged."""
    if os.environ.get(NO_CACHE_ENV):
        return build()
    key = cache_key(files, options)
    if key is None:
        return build()  # let the loader report the missing file
    import pickle  # here: a warm store-backed command never needs it

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
    import pickle

    from ..atomic import write_atomic_bytes

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
         "store-*.names.json": "store name index (JSON)", "store-*.notes.json": "store notes (JSON)",
         "digests.json": "file digests by stat (JSON)"}


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
