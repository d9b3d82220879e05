"""``tkigraph serve``: a read-only SPARQL 1.1 Protocol endpoint over HTTP.

* The endpoint opens the same cached on-disk Oxigraph store as ``explain``
  (:func:`tkigraph.storage.oxigraph.kb_store`), so it starts in well under a second.
* Pre-fork: the parent binds the socket and forks worker processes; each opens
  the store read-only (then copies small graphs into memory), accepts
  connections on the shared socket and parses, checks and answers its requests
  itself, so no request crosses a process boundary and Python's HTTP handling
  runs on every core.
* Every query runs under a wall-clock limit: a query still running at the limit
  is answered HTTP 503 "query stopped after N s" by its worker's watchdog, and
  that worker drains and exits (so the query really stops); the parent replaces
  it. The server stays up.
* A result larger than ``max_rows`` gets HTTP 413. Updates (``update=`` or
  ``application/sparql-update``) and ``SERVICE`` get 403; malformed requests 400
  (checked by :mod:`.guard`, which keeps no shared state, before a worker sees them).
* The dataset: the store's default graph, unless the query chooses one with ``FROM``/
  ``FROM NAMED`` or the request with ``default-graph-uri``/``named-graph-uri`` (which
  override the query's, as the Protocol says). Either names graphs of the store (each
  loaded file is a named graph); nothing is ever fetched.
* Load: connections are kept alive (HTTP/1.1); the listen backlog holds
  ``BACKLOG`` waiting connections; at most about ``workers + queue`` queries
  wait or run at once (shared evenly by the workers), and the next one gets
  HTTP 503 with ``Retry-After`` at once instead of waiting without end.
* Content negotiation: SPARQL results as JSON, XML, CSV or TSV; graphs as
  Turtle, N-Triples, RDF/XML, N-Quads or JSON-LD. ``GET /`` is a small HTML page
  with a query box. Responses carry ``Access-Control-Allow-Origin: *`` (the data
  are public and read-only), so browser clients on other origins can connect.
* HTTP parsing is the standard library's ``http.server``; it binds 127.0.0.1
  unless told otherwise.
"""

from __future__ import annotations

import functools
import html
import io
import itertools
import multiprocessing as mp
import os
import re
import signal
import socket
import socketserver
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

from ..errors import TkigraphError
from ..namespaces import PREFIXES
from .guard import Checked, QueryError, inspect_query
from .limits import QueryTimeout, ResultTooLarge

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    import pyoxigraph as ox
    from _typeshed import ReadableBuffer

__all__ = ["QueryPool", "QueryStore", "ServerBusy", "make_server", "Endpoint", "QueryTimeout", "ResultTooLarge",
           "BACKLOG"]

RESULT_TYPES = {
    "application/sparql-results+json": "JSON", "application/json": "JSON",
    "application/sparql-results+xml": "XML", "application/xml": "XML",
    "text/csv": "CSV", "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {"text/turtle": "TURTLE", "application/n-triples": "N_TRIPLES", "application/rdf+xml": "RDF_XML",
               "application/n-quads": "N_QUADS", "application/ld+json": "JSON_LD"}
#: connections the operating system holds while every handler thread is busy accepting
BACKLOG = 1024
#: graphs of at most this many triples are copied into each worker's memory (unless told otherwise)
IN_MEMORY_MAX = 2_000_000
#: seconds a client is told to wait (Retry-After) when every worker and queue place is taken
RETRY_AFTER = 1


class ServerBusy(TkigraphError):
    """Every worker is busy and the queue is full."""


class QueryStore:
    """The store a worker answers from: for graphs of at most ``IN_MEMORY_MAX`` triples (unless told
    otherwise) a copy in memory, about 4x faster per query, read from the store's N-Quads snapshot
    (written beside it once); for larger ones the on-disk store, read-only.

    The parent process makes the in-memory copy once, before it forks its workers, which then share
    its pages (copy-on-write); a worker started from a fork server makes its own.
    """

    def __init__(self, location: str, in_memory: bool | None = None) -> None:
        import pyoxigraph as ox

        from ..storage.oxigraph import memory_copy, snapshot_file

        disk = ox.Store.read_only(location)
        self.current: ox.Store = disk
        self.in_memory = in_memory is True or (in_memory is None and len(disk) <= IN_MEMORY_MAX)
        if self.in_memory:
            self.current = memory_copy(snapshot_file(disk, Path(location), quads=True))

    def query(self, text: str, **options: Any) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        return self.current.query(text, **options)


#: the fewest bytes one solution takes in each results format (JSON "{}," ; TSV "\n"; CSV "\r\n"; XML
#: "<result></result>"): a result written in fewer than ``MIN_ROW_BYTES * (max_rows + 1)`` bytes
#: cannot hold more than ``max_rows`` solutions
MIN_ROW_BYTES = {"JSON": 3, "TSV": 1, "CSV": 2, "XML": 17}


class _Budget(io.RawIOBase):
    """A bytes sink that stops the writer (OverflowError) once it has taken ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.parts: list[bytes] = []
        self.size, self.limit = 0, limit

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        view = memoryview(data)
        self.size += view.nbytes
        if self.size > self.limit:
            raise OverflowError("over budget")
        self.parts.append(view.tobytes())
        return view.nbytes


def _answer(store: QueryStore, text: str, form: str, mime: str, max_rows: int,
            prefixes: dict[str, str] | None = None, base: str | None = None,
            dataset: Dataset | None = None) -> tuple[str, object]:
    """("ok", body), ("too_large", limit) or ("invalid", message): one query, in the format ``mime`` names.

    Results are written by Oxigraph's own writers. A SELECT result is first written into
    a bounded buffer; only one too long to be surely under ``max_rows`` solutions is
    evaluated again, counted, and (if under the limit) written a third time.
    """
    import pyoxigraph as ox

    options: dict[str, Any] = {"prefixes": prefixes, "base_iri": base}
    if dataset is not None:
        options["default_graph"] = [ox.NamedNode(iri) for iri in dataset.default]
        options["named_graphs"] = [ox.NamedNode(iri) for iri in dataset.named]
    try:
        answer = store.query(text, **options)
    except SyntaxError as exc:
        return "invalid", str(exc)
    if form in ("CONSTRUCT", "DESCRIBE"):
        assert isinstance(answer, ox.QueryTriples)  # the form was read by the guard
        triples = []
        for triple in answer:
            triples.append(triple)
            if len(triples) > max_rows:
                return "too_large", max_rows
        fmt = getattr(ox.RdfFormat, GRAPH_TYPES[mime])
        return "ok", ox.serialize(triples, format=fmt, prefixes=PREFIXES if fmt is ox.RdfFormat.TURTLE else None)
    fmt = getattr(ox.QueryResultsFormat, RESULT_TYPES[mime])
    if form == "ASK":
        return "ok", answer.serialize(format=fmt)
    assert isinstance(answer, ox.QuerySolutions)
    sink = _Budget(MIN_ROW_BYTES[RESULT_TYPES[mime]] * (max_rows + 1))
    try:
        answer.serialize(sink, format=fmt)  # type: ignore[arg-type]  # pyoxigraph's stub wants IO[bytes]; any writer works
        return "ok", b"".join(sink.parts)
    except OverflowError:  # long: count the solutions, then write them unbounded if they are few enough
        pass
    again = store.query(text, **options)
    assert isinstance(again, ox.QuerySolutions)
    for count, _ in enumerate(again, start=1):
        if count > max_rows:
            return "too_large", max_rows
    return "ok", store.query(text, **options).serialize(format=fmt)


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a request names (``default-graph-uri``, ``named-graph-uri``): graph IRIs
    of the store. Named graphs only means an empty default graph, as with FROM NAMED alone."""

    default: tuple[str, ...]
    named: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    """What each worker process needs to answer queries on its own."""

    location: str
    timeout: float = 10.0
    max_rows: int = 10000
    #: queries one worker takes at once, running or waiting; one more is answered 503 at once
    admitted: int = 129
    #: queries one worker runs at once (the others wait for a place)
    parallel: int = 1
    in_memory: bool | None = None


class QueryPool:
    """The endpoint's workers: how many, the store they answer from, and their limits.

    ``workers`` processes (default: one per core) each accept connections on the shared
    listening socket, parse HTTP, check and answer queries themselves, so no request
    crosses a process boundary. At most ``workers + queue_size`` queries run or wait at
    once across them; one more is answered 503 with Retry-After at once.
    :func:`make_server` starts the processes.
    """

    def __init__(self, location: str | Path, workers: int = 0, timeout: float = 10.0, max_rows: int = 10000,
                 queue_size: int = 256, in_memory: bool | None = None) -> None:
        cores = os.cpu_count() or 2
        self.workers = workers or cores
        self.settings = Settings(str(location), timeout, max_rows,
                                 admitted=max(1, -(-(self.workers + queue_size) // self.workers)),
                                 parallel=max(1, cores // self.workers), in_memory=in_memory)
        self.endpoint: Endpoint | None = None

    def close(self) -> None:
        """Stop the worker processes (if :func:`make_server` started them)."""
        if self.endpoint is not None:
            self.endpoint.server_close()


class _Worker:
    """One worker process's queries: admission, the time limit and draining.

    pyoxigraph releases the GIL while it evaluates, so a watchdog thread sees a query
    pass its limit, answers its client 503 itself, and puts the worker in *draining*:
    it accepts no new connection, lets the queries it holds finish (each within its own
    limit), closes its connections and exits; the parent starts a fresh worker in its
    place. A runaway query thus really stops (with its process), and the server stays up.
    """

    def __init__(self, store: QueryStore, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.admitted = threading.BoundedSemaphore(settings.admitted)
        self.running = threading.Semaphore(settings.parallel)
        self.lock = threading.Lock()
        self.tokens = itertools.count()
        self.deadlines: dict[int, tuple[float, _Handler]] = {}
        self.stopped = 0  # queries the watchdog answered that still run
        self.connections = 0  # connections this worker accepted and has not closed (a draining worker answers them)
        self.draining = threading.Event()
        self.server: socketserver.BaseServer | None = None
        self.base: str | None = None  # the endpoint's URL: the base of relative IRIs in a query
        threading.Thread(target=self._watch, daemon=True).start()

    def run(self, handler: _Handler, text: str, form: str, mime: str, prefixes: dict[str, str],
            dataset: Dataset | None = None) -> bytes | None:
        """The answer to a checked query; None if the watchdog stopped it (and has answered)."""
        if not self.admitted.acquire(blocking=False):
            raise ServerBusy("every worker is busy and the queue is full", f"retry in {RETRY_AFTER} s")
        try:
            return self._run(handler, text, form, mime, prefixes, dataset)
        finally:
            self.admitted.release()

    def _run(self, handler: _Handler, text: str, form: str, mime: str, prefixes: dict[str, str],
             dataset: Dataset | None) -> bytes | None:
        token = next(self.tokens)
        self.running.acquire()  # the time limit starts once the query runs, not while it waits
        with self.lock:
            self.deadlines[token] = (time.monotonic() + self.settings.timeout, handler)
        try:
            status, payload = _answer(self.store, text, form, mime, self.settings.max_rows, prefixes, self.base,
                                      dataset)
        except Exception as exc:  # an engine error (I/O, resources): report it, keep serving
            status, payload = "error", str(exc)
        with self.lock:
            stopped = self.deadlines.pop(token, None) is None
            if stopped:
                self.stopped -= 1
        if stopped:  # the watchdog answered the client and gave the place back
            return None
        self.running.release()
        if status == "too_large":
            raise ResultTooLarge(f"the result has more than {self.settings.max_rows} rows (the limit)",
                                 "add LIMIT or raise --max-rows")
        if status == "invalid":
            raise QueryError(f"invalid SPARQL: {payload}", "check the query near that position")
        if status == "error":
            raise TkigraphError(f"query failed: {payload}", "check the query")
        assert isinstance(payload, bytes)  # "ok": the serialised answer
        return payload

    def _watch(self) -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            now = time.monotonic()
            with self.lock:
                expired = [(token, handler) for token, (deadline, handler) in self.deadlines.items()
                           if deadline <= now]
                for token, _ in expired:
                    del self.deadlines[token]
                self.stopped += len(expired)
            for _, handler in expired:
                self.running.release()  # the queries waiting behind it may run
                handler.stop(QueryTimeout(f"query stopped after {self.settings.timeout:g} s (the time limit)",
                                          "add LIMIT, narrow the patterns, or raise --timeout"))
            if expired and not self.draining.is_set():
                self.draining.set()
                if self.server is not None:
                    threading.Thread(target=self.server.shutdown, daemon=True).start()

    def wait_quiet(self) -> None:
        """Return once every connection this worker holds, but the stopped queries' own, is answered and closed
        (bounded): a query runs inside its connection, and a request accepted as draining began is answered too."""
        limit = time.monotonic() + self.settings.timeout + 5
        while time.monotonic() < limit:
            with self.lock:
                if self.connections <= self.stopped:
                    return
            time.sleep(WATCH_INTERVAL)

    def opened(self) -> None:
        with self.lock:
            self.connections += 1

    def closed(self) -> None:
        with self.lock:
            self.connections -= 1


def _serve_worker(sock: socket.socket, settings: Settings, page: bytes, ready: Connection,
                  store: QueryStore | None = None) -> None:
    """A worker process: open the store (unless the parent has, before forking), then accept and
    answer on the shared socket until drained."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (a worker forked after it set one)
    worker = _Worker(store or QueryStore(settings.location, settings.in_memory), settings)
    handler = type("Handler", (_Handler,), {"worker": worker, "page": page})
    server = _WorkerServer(sock, handler, worker)
    worker.server = server
    host, port = sock.getsockname()[:2]
    worker.base = f"http://{host}:{port}/query"
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    ready.send(True)
    ready.close()
    server.serve_forever(poll_interval=0.5)
    worker.wait_quiet()  # draining: the queries still held are answered first
    os._exit(0)


def _exit_with_parent(parent: int) -> None:
    """End this worker when its parent is gone (it was killed, so nobody else will)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


class _WorkerServer(ThreadingHTTPServer):
    """A threading HTTP server on a listening socket shared with the other workers."""

    daemon_threads = True

    def __init__(self, sock: socket.socket, handler: type[BaseHTTPRequestHandler], worker: _Worker) -> None:
        super().__init__(sock.getsockname()[:2], handler, bind_and_activate=False)
        self.socket.close()  # the unbound socket socketserver made; the shared one replaces it
        self.socket = sock
        self.worker = worker

    def process_request(self, request: Any, client_address: Any) -> None:
        self.worker.opened()  # counted as it is accepted, before its thread starts: a draining worker waits for it
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.worker.closed()

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, address = self.socket.accept()  # non-blocking: another worker may have taken it first
        conn.setblocking(True)
        return conn, address

def _negotiate(accept: str, form: str) -> str | None:
    table = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    default = "text/turtle" if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
    for part in (accept or "").split(","):
        mime = part.split(";")[0].strip().lower()
        if mime in table:
            return mime
        if mime in ("*/*", "", "text/*", "application/*"):
            return default
    return default if not accept else None


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>tkigraph SPARQL</title>
<style>body{font:14px sans-serif;margin:2em;max-width:1100px}textarea{width:100%;height:12em;font:13px monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px}</style></head>
<body><h1>tkigraph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the TKI-resistance knowledge base. POST or GET <code>/query</code>.
Prefixes tkigraph:, tkd:, rdfs:, skos:, dcterms: ... are predeclared.</p>
<p>Examples: <select id="ex"><option value="">choose a named query</option>@@OPTIONS@@</select></p>
<textarea id="q">SELECT ?variant ?label WHERE {
  ?variant tkigraph:confersResistanceTo tkd:imatinib ; rdfs:label ?label .
} ORDER BY ?label LIMIT 50</textarea>
<p><button id="run">Run</button> <span id="status"></span></p><div id="out"></div>
<script>
const q = document.getElementById('q'), out = document.getElementById('out'), st = document.getElementById('status');
document.getElementById('ex').onchange = e => { if (e.target.value) q.value = e.target.value; };
document.getElementById('run').onclick = async () => {
  st.textContent = 'running...'; out.replaceChildren();
  const r = await fetch('query', {method: 'POST', headers: {'Accept': 'application/sparql-results+json, text/turtle',
    'Content-Type': 'application/x-www-form-urlencoded'}, body: new URLSearchParams({query: q.value})});
  const text = await r.text();
  if (!r.ok) { st.textContent = 'HTTP ' + r.status + ': ' + text; return; }
  st.textContent = '';
  if (!(r.headers.get('Content-Type') || '').includes('json')) {
    const pre = document.createElement('pre'); pre.textContent = text; out.appendChild(pre); return;
  }
  const data = JSON.parse(text);
  if ('boolean' in data) { st.textContent = String(data.boolean); return; }
  const table = document.createElement('table'), head = table.insertRow();
  data.head.vars.forEach(v => { const th = document.createElement('th'); th.textContent = v; head.appendChild(th); });
  data.results.bindings.forEach(b => { const row = table.insertRow();
    data.head.vars.forEach(v => { row.insertCell().textContent = b[v] ? b[v].value : ''; }); });
  st.textContent = data.results.bindings.length + ' rows'; out.appendChild(table);
};
</script></body></html>"""


def _page(examples: dict[str, str]) -> bytes:
    """The query page; example queries are escaped into <option> elements."""
    options = "".join(f"<option value=\"{html.escape(q)}\">{html.escape(n)}</option>" for n, q in examples.items())
    return _PAGE.replace("@@OPTIONS@@", options).encode()


#: worker starts that may fail in a row before the endpoint gives up
MAX_FAILED_STARTS = 3
#: seconds between two looks of a worker's watchdog at its queries' deadlines
WATCH_INTERVAL = 0.05


class Endpoint:
    """The parent process: a listening socket, the worker processes on it, and their supervision.

    It never opens the store or answers a query itself, and stays single-threaded when run from
    the command line, so workers are forked from it directly (fast start); from a threaded
    program (a test) they start from a fork server instead. A worker that exits (drained after
    a runaway query, or crashed) is replaced.
    """

    def __init__(self, pool: QueryPool, host: str, port: int, page: bytes) -> None:
        self.pool, self.page = pool, page
        self.socket = socket.create_server((host, port), backlog=BACKLOG)
        self.socket.setblocking(False)
        self.server_address: tuple[str, int] = self.socket.getsockname()[:2]
        self.processes: list[BaseProcess] = []
        self.starting: dict[BaseProcess, Connection] = {}  # workers not yet accepting: their ready pipes
        self.stopping, self.stopped = threading.Event(), threading.Event()
        self.stopped.set()  # not serving yet
        self.store: QueryStore | None = None
        if threading.active_count() == 1 and pool.settings.in_memory is not False:
            # forked workers share one in-memory copy (copy-on-write): made once, here
            store = QueryStore(pool.settings.location, pool.settings.in_memory)
            self.store = store if store.in_memory else None
        try:
            first = [self._spawn() for _ in range(pool.workers)][0]
            self._await(*first)
        except BaseException:
            self.server_close()
            raise
        pool.endpoint = self

    def _spawn(self) -> tuple[BaseProcess, Connection]:
        # Fork straight from this process when it holds the in-memory graph and no other thread runs
        # in it (the command line): a worker is up in milliseconds. Otherwise (an on-disk store, whose
        # engine runs threads; or a threaded program such as a test) workers start from a
        # single-threaded fork server that has imported pyoxigraph once, and open the store themselves.
        context: Any
        if self.store is not None and threading.active_count() == 1:
            context, store = mp.get_context("fork"), self.store
        else:
            context, store = mp.get_context("forkserver"), None
            context.set_forkserver_preload(["pyoxigraph", "tkigraph.sparql.server"])
        parent, child = context.Pipe(duplex=False)
        process = context.Process(target=_serve_worker, daemon=True,
                                  args=(self.socket, self.pool.settings, self.page, child, store))
        process.start()
        child.close()
        self.processes.append(process)
        self.starting[process] = parent  # until it reports that it accepts
        return process, parent

    def _await(self, process: BaseProcess, ready: Connection, limit: float = 120.0) -> None:
        """Return once ``process`` has opened the store and accepts (its start never counts against a query)."""
        if mp_wait([ready, process.sentinel], limit) and ready.poll() and self._ready(ready):
            self.starting.pop(process, None)
            return
        process.kill()
        raise TkigraphError("a query worker did not start", "check that the store opens: tkigraph stats")

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Supervise the workers (replacing any that exits) until :meth:`shutdown`.

        A worker that exits before it ever accepted (its store does not open) counts as a failed
        start; after ``MAX_FAILED_STARTS`` in a row the endpoint stops with an error instead of
        starting workers in a loop.
        """
        self.stopped.clear()
        failed = 0
        try:
            while not self.stopping.is_set():
                alive = {process.sentinel: process for process in self.processes}
                waiting = {conn: process for process, conn in self.starting.items() if not conn.closed}
                for ready in mp_wait([*alive, *waiting], poll_interval):
                    if ready in waiting:  # a worker reports it accepts (or died: EOF, seen below)
                        if ready.poll() and self._ready(ready):
                            failed = 0
                            self.starting.pop(waiting[ready], None)
                        continue
                    # typeshed: wait() yields Connection | socket | int; what is not a starting connection is a sentinel
                    process = alive[ready]  # type: ignore[index]
                    process.join()
                    self.processes.remove(process)
                    if self.starting.pop(process, None) is not None:
                        failed += 1
                        if failed >= MAX_FAILED_STARTS:
                            raise TkigraphError(f"query workers failed to start {failed} times in a row",
                                                "check that the store opens: tkigraph stats")
                    if not self.stopping.is_set():
                        self._spawn()
        finally:
            self.stopped.set()

    @staticmethod
    def _ready(conn: Connection) -> bool:
        try:
            conn.recv()
            return True
        except (EOFError, OSError):
            return False
        finally:
            conn.close()

    def shutdown(self) -> None:
        """Stop supervising (waits for :meth:`serve_forever` to return)."""
        self.stopping.set()
        self.stopped.wait()

    def server_close(self) -> None:
        """Stop every worker and close the listening socket."""
        self.stopping.set()
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
        self.processes.clear()
        for conn in self.starting.values():
            conn.close()
        self.starting.clear()
        self.socket.close()


def make_server(pool: QueryPool, host: str = "127.0.0.1", port: int = 7878) -> Endpoint:
    """Bind ``host:port`` and start ``pool``'s workers answering the SPARQL protocol on it."""
    from .named import named_queries

    examples = {n: q.text for n, q in named_queries().items() if not q.params}
    return Endpoint(pool, host, port, _page(examples))

def _refusal_status(message: str) -> int:
    """403 for what the endpoint forbids (updates, SERVICE); 400 for a malformed query."""
    return 403 if "not allowed" in message else 400


def _dataset(params: dict[str, list[str]]) -> Dataset | None:
    """The dataset the request's ``default-graph-uri``/``named-graph-uri`` name, or None if neither;
    QueryError for a value that is not an absolute IRI."""
    default, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    if not default and not named:
        return None
    for iri in default + named:
        if not _ABSOLUTE_IRI.match(iri) or any(c in iri for c in '<>"{}|^`\\ '):
            raise QueryError(f"not an absolute IRI as a graph name: {iri[:100]!r}",
                             "name a graph of the store by its full IRI (http://..., file://...)")
    return Dataset(tuple(default), tuple(named))


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+\Z")


@functools.lru_cache(maxsize=1024)
def _checked(text: str) -> Checked:
    """The guard's verdict on a query text (a pure function of it, so clients' repeated queries are
    checked once); Oxigraph's parser reports syntax errors when the query runs."""
    return inspect_query(text, syntax=False, allow_from=True)


class _Handler(BaseHTTPRequestHandler):
    """The SPARQL 1.1 Protocol, query side, read-only."""

    server_version = "tkigraph-sparql"
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart (delayed ACK)
    worker: _Worker
    page: bytes

    def setup(self) -> None:
        super().setup()
        self.respond = threading.Lock()  # the handler thread and the watchdog never answer at once
        self.answered_by_watchdog = False

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, mime: str = "text/plain; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        with self.respond:
            if not self.answered_by_watchdog:
                self._write(status, body, mime, headers)

    def _write(self, status: int, body: bytes, mime: str, headers: dict[str, str] | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.worker.draining.is_set():  # this worker is about to exit: clients reconnect elsewhere
            self.send_header("Connection", "close")
            self.close_connection = True
        # headers and body leave in one write (BaseHTTPRequestHandler buffers headers until flushed);
        # typeshed leaves out the handler's private _headers_buffer, hence the two ignores
        self._headers_buffer.append(b"\r\n")  # type: ignore[attr-defined]
        if self.command != "HEAD":
            self._headers_buffer.append(body)  # type: ignore[attr-defined]
        self.flush_headers()

    def stop(self, error: TkigraphError) -> None:
        """Answer 503 for a query the watchdog stopped, and close the connection (watchdog thread)."""
        with self.respond:
            self.answered_by_watchdog = True
            try:
                self._write(503, (str(error) + "\n").encode(), "text/plain; charset=utf-8", {"Connection": "close"})
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:  # the client has gone already
                pass

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, (message + "\n").encode(), headers=headers)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path in ("/", "/index.html"):
            return self._send(200, self.page, "text/html; charset=utf-8")
        if url.path != "/query":
            return self._error(404, "not found: use /query or /")
        return self._params(parse_qs(url.query, keep_blank_values=True))

    do_HEAD = do_GET

    def do_OPTIONS(self) -> None:
        self._send(204, b"", headers={"Allow": "GET, HEAD, POST, OPTIONS",
                                      "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
                                      "Access-Control-Allow-Headers": "Accept, Content-Type",
                                      "Access-Control-Max-Age": "86400"})

    def _not_allowed(self) -> None:
        self._discard_body()
        self._error(405, f"{self.command} is not allowed: this endpoint is read-only (GET or POST /query)",
                    headers={"Allow": "GET, HEAD, POST, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def _discard_body(self) -> bool:
        """Read and drop a request body (so the connection can carry the next request); False if too long."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > 1_000_000:
            self.close_connection = True
            return False
        self.rfile.read(length)
        return True

    def do_POST(self) -> None:
        url = urlparse(self.path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            return self._error(400, "Content-Length is not a number")
        if length > 1_000_000:
            self.close_connection = True
            return self._error(413, "query too long (over 1 MB)")
        body = self.rfile.read(length).decode("utf-8", "replace")
        if url.path not in ("/query", "/update"):
            return self._error(404, "not found: POST to /query")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path == "/update" or ctype == "application/sparql-update":
            return self._error(403, "updates are not allowed: this endpoint is read-only")
        if ctype == "application/sparql-query":
            return self._params({**parse_qs(url.query, keep_blank_values=True), "query": [body]})
        if ctype != "application/x-www-form-urlencoded":
            return self._error(400 if not ctype else 415, "POST a query as application/sparql-query, or as "
                               "application/x-www-form-urlencoded with query=...")
        return self._params(parse_qs(body, keep_blank_values=True))

    def _params(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            return self._error(403, "updates are not allowed: this endpoint is read-only")
        try:
            dataset = _dataset(params)
        except QueryError as exc:
            return self._error(400, str(exc))
        texts = params.get("query") or []
        if len(texts) > 1:
            return self._error(400, "more than one query= parameter: send one query per request")
        if not texts or not texts[0].strip():
            return self._error(400, "no query: pass query=... (see / for a query box)")
        return self._answer(texts[0], dataset)

    def _answer(self, text: str, dataset: Dataset | None = None) -> None:
        try:
            checked = _checked(text)
        except TkigraphError as exc:
            return self._error(_refusal_status(exc.message), str(exc))
        form = checked.form
        mime = _negotiate(self.headers.get("Accept", ""), form)
        if mime is None:
            return self._error(406, "cannot produce the requested type: ask for JSON, XML, CSV or TSV results, "
                               "or Turtle, N-Triples, N-Quads, RDF/XML or JSON-LD graphs")
        try:
            payload = self.worker.run(self, text, form, mime, checked.prefixes, dataset)
        except ServerBusy as exc:
            return self._error(503, str(exc), headers={"Retry-After": str(RETRY_AFTER)})
        except ResultTooLarge as exc:
            return self._error(413, str(exc))
        except TkigraphError as exc:
            return self._error(400, str(exc))
        if payload is None:  # stopped at the time limit: the watchdog has answered
            self.close_connection = True
            return
        self._send(200, payload, mime + ("; charset=utf-8" if mime.startswith("text/") else ""))
