"""``tkigraph serve``: a read-only SPARQL 1.1 Protocol endpoint over HTTP.

* The endpoint opens the same cached on-disk Oxigraph store as ``explain``
  (:func:`tkigraph.oxstore.kb_store`), so it starts in well under a second;
  worker processes open it read-only and answer queries.
* Every query runs under a wall-clock limit in a worker process: a query still
  running at the limit has its worker killed (and replaced), so it really stops,
  and the client gets HTTP 503 "query stopped after N s". The server stays up.
* A result larger than ``max_rows`` gets HTTP 413. Updates (``update=`` or
  ``application/sparql-update``) get 403; ``SERVICE``, ``FROM`` and a dataset
  chosen by ``default-graph-uri``/``named-graph-uri`` get 403, malformed
  requests 400 (checked by :mod:`.guard`, which keeps no shared state, before a
  worker sees them).
* Load: connections are kept alive (HTTP/1.1); the listen backlog holds
  ``BACKLOG`` waiting connections; at most ``workers + queue`` queries wait or
  run at once, and the next one gets HTTP 503 with ``Retry-After`` at once
  instead of waiting without end.
* Content negotiation: SPARQL results as JSON, XML, CSV or TSV; graphs as
  Turtle, N-Triples, RDF/XML, N-Quads or JSON-LD. ``GET /`` is a small HTML page
  with a query box. Responses carry ``Access-Control-Allow-Origin: *`` (the data
  are public and read-only), so browser clients on other origins can connect.
* HTTP parsing is the standard library's ``http.server``; it binds 127.0.0.1
  unless told otherwise.
"""

from __future__ import annotations

import html
import io
import multiprocessing as mp
import os
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

from ..errors import TkigraphError
from ..namespaces import PREFIXES
from .guard import QueryError, inspect_query
from .limits import QueryTimeout, ResultTooLarge

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    import pyoxigraph as ox
    from _typeshed import ReadableBuffer

    #: a worker process and the parent's end of its pipe
    Worker = tuple[BaseProcess, Connection]

__all__ = ["QueryPool", "QueryStore", "ServerBusy", "make_server", "QueryTimeout", "ResultTooLarge", "BACKLOG"]

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
    """The store a worker answers from: the on-disk store at once, then (for graphs of at most
    ``IN_MEMORY_MAX`` triples, unless told otherwise) a copy in memory, about 4x faster per query,
    made in a background thread and swapped in when complete."""

    def __init__(self, location: str, in_memory: bool | None = None) -> None:
        import pyoxigraph as ox

        self.current: ox.Store = ox.Store.read_only(location)
        if in_memory is not False and (in_memory is True or len(self.current) <= IN_MEMORY_MAX):
            threading.Thread(target=self._copy, daemon=True).start()

    def _copy(self) -> None:
        import pyoxigraph as ox

        memory = ox.Store()
        memory.load(self.current.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        self.current = memory  # one reference swap: a query in flight keeps the store it started on

    def query(self, text: str, **options: Any) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        return self.current.query(text, **options)


def _worker(location: str, conn: Connection, max_rows: int, in_memory: bool | None) -> None:  # runs in a child process
    store = QueryStore(location, in_memory)
    conn.send(("ready", None))
    while True:
        try:
            text, form, mime, prefixes = conn.recv()
        except EOFError:
            return
        try:
            conn.send(_answer(store, text, form, mime, max_rows, prefixes))
        except Exception as exc:  # report, keep serving
            conn.send(("error", str(exc)))


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
            prefixes: dict[str, str] | None = None) -> tuple[str, object]:
    """("ok", body), ("too_large", limit) or ("invalid", message): one query, in the format ``mime`` names.

    Results are written by Oxigraph's own writers. A SELECT result is first written into
    a bounded buffer; only one too long to be surely under ``max_rows`` solutions is
    evaluated again, counted, and (if under the limit) written a third time.
    """
    import pyoxigraph as ox

    try:
        answer = store.query(text, prefixes=prefixes)
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
    again = store.query(text, prefixes=prefixes)
    assert isinstance(again, ox.QuerySolutions)
    for count, _ in enumerate(again, start=1):
        if count > max_rows:
            return "too_large", max_rows
    return "ok", store.query(text, prefixes=prefixes).serialize(format=fmt)


class QueryPool:
    """Worker processes over a read-only store; a query past its limit kills its worker.

    At most ``len(workers) + queue`` queries run or wait at once; one more raises
    :class:`ServerBusy` at once (the endpoint answers 503 with Retry-After).
    """

    def __init__(self, location: str | Path, workers: int = 0, timeout: float = 10.0, max_rows: int = 10000,
                 queue_size: int = 256, in_memory: bool | None = None) -> None:
        self.location, self.timeout, self.max_rows = str(location), timeout, max_rows
        self.in_memory = in_memory
        # Workers fork from a single-threaded fork server that has imported pyoxigraph once, so
        # starting (or replacing) one costs milliseconds, and never forks the threaded HTTP process.
        self.context = mp.get_context("forkserver")
        self.context.set_forkserver_preload(["pyoxigraph", "tkigraph.sparql.server"])
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.processes: list[BaseProcess] = []
        count = workers or os.cpu_count() or 2
        self.admitted = threading.BoundedSemaphore(count + queue_size)
        started = [self._spawn() for _ in range(count)]
        self.idle.put(self._ready(*started[0]))  # a store that does not open fails here, at start

        def others() -> None:  # the rest join as they come up; queries meanwhile use the first
            for process, conn in started[1:]:
                try:
                    self.idle.put(self._ready(process, conn))
                except TkigraphError:
                    pass

        threading.Thread(target=others, daemon=True).start()

    def _spawn(self) -> Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(self.location, child, self.max_rows, self.in_memory),
                                       daemon=True)
        process.start()
        child.close()
        with self.lock:
            self.processes.append(process)
        return process, parent

    @staticmethod
    def _ready(process: BaseProcess, conn: Connection, wait: float = 120.0) -> Worker:
        """The worker once it has opened the store (its start never counts against a query's limit)."""
        try:
            if conn.poll(wait):
                conn.recv()
                return process, conn
        except (OSError, EOFError):
            pass
        process.kill()
        raise TkigraphError("a query worker did not start", "check that the store opens: tkigraph stats")

    def _replace(self, process: BaseProcess, conn: Connection) -> None:
        """Kill a worker stuck in a query and put a fresh one in its place (in the background)."""
        process.kill()
        process.join()
        conn.close()
        with self.lock:
            if process in self.processes:
                self.processes.remove(process)

        def start() -> None:
            try:
                self.idle.put(self._ready(*self._spawn()))
            except TkigraphError:
                pass

        threading.Thread(target=start, daemon=True).start()

    def run(self, text: str, form: str, mime: str, prefixes: dict[str, str] | None = None) -> bytes:
        """The answer to a checked query (``prefixes``: the predeclared ones it needs; all if None)."""
        if not self.admitted.acquire(blocking=False):
            raise ServerBusy("every worker is busy and the queue is full", f"retry in {RETRY_AFTER} s")
        try:
            return self._run(text, form, mime, PREFIXES if prefixes is None else prefixes)
        finally:
            self.admitted.release()

    def _run(self, text: str, form: str, mime: str, prefixes: dict[str, str]) -> bytes:
        process, conn = self.idle.get()
        try:
            conn.send((text, form, mime, prefixes))
            answered = conn.poll(self.timeout) if self.timeout else True
            if answered:
                status, payload = conn.recv()
        except (OSError, EOFError):  # the worker died: replace it, report the query as failed
            self._replace(process, conn)
            raise TkigraphError("the query worker stopped", "try again") from None
        if not answered:
            self._replace(process, conn)
            raise QueryTimeout(f"query stopped after {self.timeout:g} s (the time limit)",
                               "add LIMIT, narrow the patterns, or raise --timeout")
        self.idle.put((process, conn))
        if status == "too_large":
            raise ResultTooLarge(f"the result has more than {self.max_rows} rows (the limit)",
                                 "add LIMIT or raise --max-rows")
        if status == "invalid":
            raise QueryError(f"invalid SPARQL: {payload}", "check the query near that position")
        if status == "error":
            raise TkigraphError(f"query failed: {payload}", "check the query")
        assert isinstance(payload, bytes)  # "ok": the serialised answer
        return payload

    def close(self) -> None:
        with self.lock:
            for process in self.processes:
                if process.is_alive():
                    process.kill()
                process.join(timeout=5)


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
Prefixes tkg:, tkd:, rdfs:, skos:, dcterms: ... are predeclared.</p>
<p>Examples: <select id="ex"><option value="">choose a named query</option>@@OPTIONS@@</select></p>
<textarea id="q">SELECT ?variant ?label WHERE {
  ?variant tkg:confersResistanceTo tkd:imatinib ; rdfs:label ?label .
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


#: the request parameters of the SPARQL 1.1 Protocol that choose a dataset (refused, as FROM is)
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")


class EndpointServer(ThreadingHTTPServer):
    """A threading HTTP server with a deep listen backlog and daemon handler threads."""

    daemon_threads = True
    request_queue_size = BACKLOG


def make_server(pool: QueryPool, host: str = "127.0.0.1", port: int = 7878) -> ThreadingHTTPServer:
    """An HTTP server answering the SPARQL protocol from ``pool``."""
    from .named import named_queries

    examples = {n: q.text for n, q in named_queries().items() if not q.params}
    page = _page(examples)
    handler = type("Handler", (_Handler,), {"pool": pool, "page": page})
    return EndpointServer((host, port), handler)


class _Handler(BaseHTTPRequestHandler):
    """The SPARQL 1.1 Protocol, query side, read-only."""

    server_version = "tkigraph-sparql"
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart (delayed ACK)
    pool: QueryPool
    page: bytes

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, mime: str = "text/plain; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

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
        if any(name in params for name in DATASET_PARAMS):
            return self._error(403, "default-graph-uri and named-graph-uri are not allowed: the endpoint "
                               "answers from its own graph and never fetches another")
        texts = params.get("query") or []
        if len(texts) > 1:
            return self._error(400, "more than one query= parameter: send one query per request")
        if not texts or not texts[0].strip():
            return self._error(400, "no query: pass query=... (see / for a query box)")
        return self._answer(texts[0])

    def _answer(self, text: str) -> None:
        try:
            checked = inspect_query(text, syntax=False)  # the worker's parser reports syntax errors
        except TkigraphError as exc:
            return self._error(403 if "not allowed" in exc.message else 400, str(exc))
        form = checked.form
        mime = _negotiate(self.headers.get("Accept", ""), form)
        if mime is None:
            return self._error(406, "cannot produce the requested type: ask for JSON, XML, CSV or TSV results, "
                               "or Turtle, N-Triples, N-Quads, RDF/XML or JSON-LD graphs")
        try:
            payload = self.pool.run(text, form, mime, checked.prefixes)
        except ServerBusy as exc:
            return self._error(503, str(exc), headers={"Retry-After": str(RETRY_AFTER)})
        except QueryTimeout as exc:
            return self._error(503, str(exc))
        except ResultTooLarge as exc:
            return self._error(413, str(exc))
        except TkigraphError as exc:
            return self._error(400, str(exc))
        self._send(200, payload, mime + ("; charset=utf-8" if mime.startswith("text/") else ""))
