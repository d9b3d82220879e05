"""The knowledge base as an on-disk Oxigraph store, built once per content and reopened.

:func:`kb_store` returns a read-only pyoxigraph store holding the same graph
as :func:`tkigraph.storage.files.load_graph` (same files, same options, same derived
triples); :func:`open_kb` wraps it in a :class:`~tkigraph.model.KnowledgeBase`.
The store lives in the cache directory
(:func:`tkigraph.storage.cache.cache_dir`) under ``store-<key>``, where the key is the
SHA-256 of tkigraph's version, the options and every file's path and content digest
(:func:`tkigraph.storage.cache.cache_key`): a changed file makes a new key, so a store
is never stale. Opening a saved store takes milliseconds even at a million
triples, where parsing Turtle takes seconds.

A store is built in a scratch folder beside its final place and renamed into
place only when complete, so an interrupted or failed build leaves nothing
behind, and two processes building the same key both end with one good store.
Input is checked by the one policy of :mod:`tkigraph.hostile` (a regular file
within the size limit, UTF-8, no RDF/XML or DOCTYPE, no control or bidirectional
characters, valid Turtle), read as a stream so memory stays bounded. ``TKIGRAPH_NO_CACHE=1`` (or a
cache directory that cannot be written) builds a private store in a temporary
folder that is removed at exit; a cached store that no longer opens is rebuilt.
"""

from __future__ import annotations

import atexit
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import InputFileError
from .cache import NO_CACHE_ENV, cache_dir, cache_key

if TYPE_CHECKING:
    from ..model import KnowledgeBase
    from .provenance import Renamed

__all__ = ["derive_into", "memory_snapshot", "memory_copy", "cached_snapshot", "kb_store", "open_kb", "cached_store", "renamed_notes",
           "snapshot_file", "snapshot_kb", "KEEP_STORES"]

#: how many stores are kept in the cache directory (the least recently used go first)
KEEP_STORES = 4
#: a store used this recently (seconds) is never removed, whatever KEEP_STORES says
IN_USE_S = 120.0
#: the files kept beside a store's folder (snapshots, name index, notes), removed with it
BESIDE = (".nt", ".nq", ".names.json", ".notes.json", ".lock")

_DROP_FINDINGS = ("DELETE WHERE { ?f a <https://w3id.org/tkigraph/ontology#Finding> ; ?p ?o }")


def kb_store(extra: Iterable[str | Path] = (), *, include_kb: bool = True, sources: Iterable[str] = (),
             curated_findings: bool = True) -> tuple[ox.Store, Path]:
    """(read-only store, its folder) holding the shipped knowledge base (with imported ``sources``
    and ``extra`` files; the schema alone with ``include_kb=False``), built first if needed."""
    base, added = _inputs(extra, include_kb, sources)
    return cached_store(base, added, curated_findings=curated_findings)


def _inputs(extra: Iterable[str | Path], include_kb: bool, sources: Iterable[str]) -> tuple[list[Path], list[Path]]:
    """(shipped files, added files) of a store, the added ones checked by the input policy."""
    from ..hostile import check_file
    from .files import kb_files, source_files

    base = kb_files() if include_kb else kb_files()[:1]
    added = [*source_files(sources), *(Path(p) for p in extra)]
    for path in added:
        check_file(path)  # before the cache key reads its bytes: a FIFO or a huge file is refused at once
    return base, added


def open_kb(extra: Iterable[str | Path] = (), *, snapshot: bool = False, **options: Any) -> KnowledgeBase:
    """The knowledge base (see :func:`kb_store`) as a :class:`~tkigraph.model.KnowledgeBase`.

    It reads the store call by call (:class:`~tkigraph.reader.StoreReader`), or with
    ``snapshot`` all at once into memory (:class:`~tkigraph.reader.SnapshotReader`,
    for code that visits the whole graph).
    """
    store, folder = kb_store(extra, **options)
    return _wrap(store, folder, snapshot)


def snapshot_kb(kb: KnowledgeBase) -> KnowledgeBase:
    """The same knowledge base as ``kb`` (opened by :func:`open_kb`), read all at once into memory."""
    if kb.store is None or kb.location is None:
        raise TypeError("snapshot_kb() needs a knowledge base opened by open_kb")
    return _wrap(kb.store, kb.location, True)


def _wrap(store: ox.Store, folder: Path, snapshot: bool) -> KnowledgeBase:
    from ..model import KnowledgeBase
    from ..reader import SnapshotReader, StoreReader

    view: SnapshotReader | StoreReader
    if snapshot:
        path = snapshot_file(store, folder)
        view = SnapshotReader(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    else:
        view = StoreReader(store)
    kb = KnowledgeBase(view, names=_names(KnowledgeBase(view), folder))
    kb.store, kb.location = store, folder  # the store itself: SPARQL, provenance
    return kb


def _names(kb: KnowledgeBase, folder: Path) -> dict[str, set[str]]:
    """The store's name index (tkigraph.resolve.name_index), kept beside it as JSON once built."""
    import json

    path = folder.with_suffix(".names.json")
    try:
        return {name: set(nodes) for name, nodes in json.loads(path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError, TypeError):
        pass  # not built yet (or unreadable): build it
    from ..atomic import write_atomic  # only to write it: the writer imports tempfile, which a warm call never needs
    from ..resolve import name_index

    index = name_index(kb)
    try:
        write_atomic(path, json.dumps({name: sorted(nodes) for name, nodes in index.items()}, ensure_ascii=False))
    except OSError:
        pass  # an unwritable cache only costs time
    return index


def renamed_notes(kb: KnowledgeBase) -> list[Renamed]:
    """The curated entities a loaded file renames (:func:`tkigraph.storage.provenance.renamed`), kept beside
    the store as JSON once asked: a store never changes, and the query reads every label (0.4 s at 1M)."""
    import json
    from dataclasses import asdict

    from .provenance import Renamed, renamed

    if kb.store is None or kb.location is None:
        raise TypeError("renamed_notes() needs a knowledge base opened by open_kb")
    path = kb.location.with_suffix(".notes.json")
    try:
        return [Renamed(**fields) for fields in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass  # not asked before (or unreadable): ask the store
    found = renamed(kb.store)
    from ..atomic import write_atomic  # only to write it (see _names)

    try:
        write_atomic(path, json.dumps([asdict(note) for note in found], ensure_ascii=False))
    except OSError:
        pass  # an unwritable cache only costs time
    return found


def snapshot_file(store: ox.Store, folder: Path, *, quads: bool = False) -> Path:
    """The store's triples as N-Triples (its default graph), or with ``quads`` every graph as
    N-Quads, written beside its folder the first time they are asked for.

    Reading a whole graph from this file is faster than walking the on-disk store.
    """
    from ..atomic import write_atomic_bytes

    path = folder.with_suffix(".nq" if quads else ".nt")
    if not path.is_file():
        data = (store.dump(format=ox.RdfFormat.N_QUADS) if quads
                else store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
        assert data is not None  # dump() without an output returns the bytes
        write_atomic_bytes(path, data)
    return path


def cached_store(base: Sequence[Path], added: Sequence[Path] = (), *,
                 curated_findings: bool = True) -> tuple[ox.Store, Path]:
    """(read-only store, folder) of ``base`` then ``added`` files with the derived triples.

    From the cache when built before; a store that no longer opens is rebuilt; an
    unwritable cache directory only costs speed (a private store is built instead).
    """
    key = _store_key(base, added, curated_findings)
    if key is not None:
        try:
            return _from_cache(key, base, added, curated_findings)
        except OSError:
            pass
    import shutil  # shutil and tempfile only where a store is built or removed: a warm call never imports them
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="tkigraph-store-"))
    atexit.register(shutil.rmtree, scratch, True)
    _build(scratch / "store", base, added, curated_findings)
    return ox.Store.read_only(str(scratch / "store")), scratch / "store"


def _store_key(base: Sequence[Path], added: Sequence[Path], curated_findings: bool) -> str | None:
    """The cache key of the store of these files (None when caching is off)."""
    from .files import rule_digest

    options = ("oxigraph", "provenance", curated_findings, len(base), rule_digest())
    return None if os.environ.get(NO_CACHE_ENV) else cache_key([*base, *added], options)


def cached_snapshot(extra: Iterable[str | Path] = (), *, sources: Iterable[str] = (),
                    curated_findings: bool = True) -> tuple[Path, Path] | None:
    """(store folder, N-Quads snapshot) when the cached store of these inputs exists, is small enough to query
    from memory and has its snapshot (see :func:`memory_snapshot`): a query can then read the snapshot without
    the store being opened."""
    base, added = _inputs(extra, True, sources)
    key = _store_key(base, added, curated_findings)
    if key is None:
        return None
    folder = cache_dir() / f"store-{key}"
    snapshot = folder.with_suffix(".nq")
    found = (folder / "CURRENT").is_file() and snapshot.is_file() and _small(folder)
    return (folder, snapshot) if found else None


def _from_cache(key: str, base: Sequence[Path], added: Sequence[Path],
                curated_findings: bool) -> tuple[ox.Store, Path]:
    folder = cache_dir()
    final = folder / f"store-{key}"
    if (final / "CURRENT").is_file():
        try:
            store = ox.Store.read_only(str(final))
        except OSError:  # damaged: build it again
            _remove(final)
        else:
            try:
                os.utime(final)  # recently used: kept by _evict
            except OSError:
                pass
            _hold(final)
            return store, final
    import shutil
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".building-{key[:12]}-", dir=folder))
    try:
        _build(building / "store", base, added, curated_findings)
        try:
            os.rename(building / "store", final)  # atomic; fails if another process got there first
        except OSError:
            if not (final / "CURRENT").is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    _hold(final)
    _evict(folder)
    return ox.Store.read_only(str(final)), final


#: the lock files of the cached stores this process has open (``store-*.lock``), each held with a shared
#: ``flock`` until the process exits: :func:`_evict`, in this process or another, never removes such a store
_HELD: dict[str, int] = {}


def _hold(final: Path) -> None:
    """Hold a shared lock on the store's lock file for the life of this process (a no-op where ``flock`` is missing)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the time rule of _evict alone protects readers
        return
    if str(final) in _HELD:
        return
    try:
        fd = os.open(final.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:  # being removed right now: nothing to hold
        os.close(fd)
        return
    _HELD[str(final)] = fd


def _remove_unless_held(stale: Path) -> None:
    """Remove a store and what lies beside it, unless a process holds its lock (see :func:`_hold`)."""
    fd = None
    try:
        import fcntl

        fd = os.open(stale.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:
        pass
    except OSError:  # a reader holds it (or the lock file cannot be made): keep the store
        if fd is not None:
            os.close(fd)
        return
    try:
        _remove(stale)
    finally:
        if fd is not None:
            os.close(fd)


def _remove(store: Path) -> None:
    """Remove a cached store's folder and the files kept beside it (:data:`BESIDE`)."""
    import shutil

    shutil.rmtree(store, ignore_errors=True)
    for beside in BESIDE:
        store.with_suffix(beside).unlink(missing_ok=True)


#: a store whose files take at most this many bytes is queried from an in-memory copy (:func:`memory_snapshot`)
IN_MEMORY_BYTES = 16 * 1024 * 1024


def memory_snapshot(store: ox.Store, folder: Path, limit: int = IN_MEMORY_BYTES) -> Path | None:
    """The N-Quads snapshot to query a small store from memory (its files at most ``limit`` bytes), else None.

    SPARQL on Oxigraph's in-memory store runs about four times faster than on its on-disk one
    (the label scan of a named query on the shipped graph: 0.024 s against 0.11 s), and the copy
    reads in about 0.06 s from the N-Quads snapshot written once beside the store; the forked
    child of the time limit (:mod:`tkigraph.sparql.limits`) reads it instead of reopening the
    store. A large store is queried where it is: copying it would cost more than queries save.
    """
    return snapshot_file(store, folder, quads=True) if _small(folder, limit) else None


def _small(folder: Path, limit: int = IN_MEMORY_BYTES) -> bool:
    """Whether the store's files take at most ``limit`` bytes. (The server's rule is another one,
    ``sparql.server.IN_MEMORY_MAX`` triples: it copies once for many queries.)"""
    try:
        return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file()) <= limit
    except OSError:
        return False


def memory_copy(snapshot: Path) -> ox.Store:
    """An in-memory store read from an N-Quads snapshot (:func:`snapshot_file` with ``quads``)."""
    copy = ox.Store()
    copy.bulk_load(path=str(snapshot), format=ox.RdfFormat.N_QUADS)
    return copy


def derive_into(store: ox.Store) -> None:
    """Add the triples that findings imply: variant -> drug, and each finding's claim (``tkigraph/sparql/derive.ru``)."""
    from .files import derive_update

    # the rule's INSERT as a CONSTRUCT whose triples go in by the bulk loader: no transaction to log
    construct = derive_update().replace("INSERT {", "CONSTRUCT {", 1)
    triples = store.query(construct)
    assert isinstance(triples, ox.QueryTriples)  # a CONSTRUCT answers triples
    store.bulk_extend([ox.Quad(t.subject, t.predicate, t.object) for t in triples])


def _build(path: Path, base: Sequence[Path], added: Sequence[Path], curated_findings: bool) -> None:
    store = ox.Store(str(path))
    try:
        _load_small(store, base)
        if not curated_findings:
            store.update(_DROP_FINDINGS)
        for file in added:
            _load(store, file, record=True)
        derive_into(store)
        store.flush()  # no optimize(): the bulk loader writes sorted files already; compacting them cost
        # the first call 3 to 12 s at 1M for no measurable gain in reads (docs/performance.md, issue 19)
    except BaseException as exc:
        _release_frames(exc)  # the failed calls' frames still hold the store: let it close
        raise
    finally:
        del store  # closes the database before its folder is moved (or, after a failure, removed)


def _release_frames(exc: BaseException | None) -> None:
    """Drop the local variables of the finished frames an exception (and its context) keeps."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        tb = exc.__traceback__
        while tb is not None:
            try:
                tb.tb_frame.clear()
            except RuntimeError:  # a frame still running (the caller's)
                pass
            tb = tb.tb_next
        exc = exc.__context__


def _load(store: ox.Store, path: Path, record: bool = False) -> None:
    """Check one Turtle file as every loader does (:mod:`tkigraph.hostile`, streamed), then bulk-load it.

    With ``record`` the file's triples also go into a named graph of their own
    (:func:`tkigraph.storage.provenance.graph_of`), which says later which file said what.
    A failure anywhere discards the whole store being built, so nothing half-loaded is kept.
    """
    from ..hostile import scan_file
    from .provenance import graph_of

    escaped = scan_file(path)
    graphs = (ox.DefaultGraph(), ox.NamedNode(graph_of(path))) if record else (ox.DefaultGraph(),)
    try:
        if escaped:  # escapes are checked once parsed: one parse, loaded in chunks (memory stays bounded)
            quads = _quads(path, graphs)
            while chunk := list(islice(quads, _CHUNK)):
                store.bulk_extend(chunk)
        else:  # the bulk loader reads the file itself (faster than one parse feeding both graphs)
            for graph in graphs:
                store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(),
                                to_graph=graph)
    except SyntaxError as exc:
        raise InputFileError(str(path), f"invalid Turtle: {getattr(exc, 'msg', exc)}",
                             line=getattr(exc, "lineno", None),
                             hint="fix the syntax at that line (is a prefix declared, a string closed?)") from None


def check_loads(path: Path) -> None:
    """Refuse (:class:`InputFileError`) what :func:`_load` refuses, keeping no triple: the same checks
    and the same Turtle parser, its triples dropped as they come (memory does not grow with the file)."""
    from ..hostile import scan_file

    escaped = scan_file(path)
    for _ in _quads(path, (ox.DefaultGraph(),), escaped):
        pass


#: quads handed to the bulk loader at a time when a file is parsed in Python
_CHUNK = 200_000


def _load_small(store: ox.Store, files: Sequence[Path]) -> None:
    """Load small files (the shipped ones), each checked as :func:`_load` does, by one bulk load:
    each bulk load has a fixed cost of its own (tens of milliseconds), parsing a small file has not."""
    from ..hostile import scan_file

    quads = chain.from_iterable(_quads(path, (ox.DefaultGraph(),), scan_file(path)) for path in files)
    while chunk := list(islice(quads, _CHUNK)):
        store.bulk_extend(chunk)


def _quads(path: Path, graphs: Sequence[ox.DefaultGraph | ox.NamedNode], check: bool = True) -> Iterator[ox.Quad]:
    """The file's triples in each of ``graphs``, escaped literals checked on the way (with ``check``)."""
    try:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(),
                             rename_blank_nodes=True):  # as the bulk loader does: files never share one
            if check:
                _check_escaped_quad(path, quad)
            for graph in graphs:
                yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
    except SyntaxError as exc:
        raise InputFileError(str(path), f"invalid Turtle: {getattr(exc, 'msg', exc)}",
                             line=getattr(exc, "lineno", None),
                             hint="fix the syntax at that line (is a prefix declared, a string closed?)") from None


def _check_escaped_quad(path: Path, quad: ox.Quad) -> None:
    """Forbidden characters written as escapes (\\u202E) only appear once parsed."""
    from ..hostile import FORBIDDEN

    term = quad.object
    found = FORBIDDEN.search(term.value) if isinstance(term, ox.Literal) else None
    if found:
        char = found.group()
        raise InputFileError(str(path), f"control or bidirectional character U+{ord(char):04X} "
                             f"(written as an escape) in a literal of {quad.subject}",
                             hint="remove it: such characters hide or reorder text")


def _evict(folder: Path) -> None:
    """Remove the least recently used stores beyond :data:`KEEP_STORES`, except those used in the last
    :data:`IN_USE_S` seconds and those a live process holds open (:func:`_hold`): RocksDB opens its table
    files lazily, so a store removed under a reader fails it."""
    stores = sorted((p for p in folder.glob("store-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    now = time.time()
    for stale in stores[KEEP_STORES:]:
        if now - stale.stat().st_mtime < IN_USE_S:
            continue
        _remove_unless_held(stale)
