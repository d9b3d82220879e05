"""``tkigraph serve``: a read-only SPARQL 1.1 Protocol endpoint over HTTP.

* The knowledge base is loaded once into an on-disk Oxigraph store; worker
  processes open it read-only and answer queries.
* Every query runs under a wall-clock limit in a worker process: a query still
  running at the limit has its worker killed (and replaced), so it really stops,
  and the client gets HTTP 503 "query stopped after N s". The server stays up.
* A result larger than ``max_rows`` gets HTTP 413. Updates (``update=`` or
  ``application/sparql-update``) get 403; ``SERVICE`` and malformed queries get
  400 (checked by :mod:`.guard` before a worker sees them).
* Content negotiation: SPARQL results as JSON, XML, CSV or TSV; graphs as
  Turtle or N-Triples. ``GET /`` is a small HTML page with a query box.
* HTTP parsing is the standard library's ``http.server``; it binds 127.0.0.1
  unless told otherwise.
"""

from __future__ import annotations

import html
import json
import multiprocessing as mp
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from ..errors import TkigraphError
from ..namespaces import PREFIXES
from .guard import check_query
from .limits import QueryTimeout, ResultTooLarge

__all__ = ["build_store", "QueryPool", "make_server", "QueryTimeout", "ResultTooLarge"]

RESULT_TYPES = {
    "application/sparql-results+json": "JSON", "application/json": "JSON",
    "application/sparql-results+xml": "XML", "application/xml": "XML",
    "text/csv": "CSV", "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {"text/turtle": "TURTLE", "application/n-triples": "N_TRIPLES"}


def build_store(paths, location: str | Path) -> None:
    """Load Turtle files and the derived triples into an on-disk store at ``location``."""
    from .engine import OxigraphEngine

    import pyoxigraph as ox

    engine = OxigraphEngine(paths)
    disk = ox.Store(str(location))
    disk.extend(engine.store)
    disk.flush()
    del disk


def _worker(location: str, conn, max_rows: int) -> None:  # runs in a child process
    import pyoxigraph as ox

    store = ox.Store.read_only(location)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        text, form, mime = message
        try:
            answer = store.query(text, prefixes=PREFIXES)
            if form in ("CONSTRUCT", "DESCRIBE"):
                triples = list(answer)
                if len(triples) > max_rows:
                    conn.send(("too_large", len(triples)))
                    continue
                fmt = getattr(ox.RdfFormat, GRAPH_TYPES[mime])
                conn.send(("ok", ox.serialize(triples, format=fmt)))
            elif form == "ASK":
                conn.send(("ok", answer.serialize(format=getattr(ox.QueryResultsFormat, RESULT_TYPES[mime]))))
            else:
                variables = answer.variables
                rows = []
                for solution in answer:
                    rows.append(solution)
                    if len(rows) > max_rows:
                        break
                if len(rows) > max_rows:
                    conn.send(("too_large", max_rows))
                    continue
                data = _serialize_rows(variables, rows, RESULT_TYPES[mime])
                conn.send(("ok", data))
        except Exception as exc:  # report, keep serving
            conn.send(("error", str(exc)))


def _serialize_rows(variables, rows, fmt: str) -> bytes:
    """Write collected solutions (pyoxigraph serialises only a live iterator) as SPARQL results."""
    import pyoxigraph as ox

    names = [v.value for v in variables]
    if fmt == "JSON":
        def term(t):
            if isinstance(t, ox.NamedNode):
                return {"type": "uri", "value": t.value}
            if isinstance(t, ox.BlankNode):
                return {"type": "bnode", "value": t.value}
            out = {"type": "literal", "value": t.value}
            if t.language:
                out["xml:lang"] = t.language
            elif t.datatype is not None and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                out["datatype"] = t.datatype.value
            return out
        bindings = [{n: term(r[n]) for n in names if r[n] is not None} for r in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}).encode()
    if fmt in ("CSV", "TSV"):
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "CSV" else "\t", lineterminator="\r\n")
        writer.writerow(names if fmt == "CSV" else ["?" + n for n in names])
        for r in rows:
            writer.writerow(["" if r[n] is None else (r[n].value if fmt == "CSV" else str(r[n])) for n in names])
        return out.getvalue().encode()
    # XML
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    parts += [f'<variable name="{html.escape(n)}"/>' for n in names]
    parts.append("</head><results>")
    for r in rows:
        parts.append("<result>")
        for n in names:
            t = r[n]
            if t is None:
                continue
            if isinstance(t, ox.NamedNode):
                body = f"<uri>{html.escape(t.value)}</uri>"
            elif isinstance(t, ox.BlankNode):
                body = f"<bnode>{html.escape(t.value)}</bnode>"
            elif t.language:
                body = f'<literal xml:lang="{html.escape(t.language)}">{html.escape(t.value)}</literal>'
            else:
                body = f'<literal datatype="{html.escape(t.datatype.value)}">{html.escape(t.value)}</literal>'
            parts.append(f'<binding name="{html.escape(n)}">{body}</binding>')
        parts.append("</result>")
    parts.append("</results></sparql>")
    return "".join(parts).encode()


class QueryPool:
    """Worker processes over a read-only store; a query past its limit kills its worker."""

    def __init__(self, location: str | Path, workers: int = 2, timeout: float = 10.0, max_rows: int = 10000):
        self.location, self.timeout, self.max_rows = str(location), timeout, max_rows
        self.context = mp.get_context("spawn")
        self.idle: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.processes: list = []
        for _ in range(workers):
            self.idle.put(self._start())

    def _start(self):
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(self.location, child, self.max_rows), daemon=True)
        process.start()
        with self.lock:
            self.processes.append(process)
        return process, parent

    def run(self, text: str, form: str, mime: str) -> bytes:
        process, conn = self.idle.get()
        try:
            conn.send((text, form, mime))
            if not conn.poll(self.timeout):
                process.kill()
                process.join()
                conn.close()
                process, conn = self._start()
                raise QueryTimeout(f"query stopped after {self.timeout:g} s (the time limit)",
                                   "add LIMIT, narrow the patterns, or raise --timeout")
            status, payload = conn.recv()
        finally:
            self.idle.put((process, conn))
        if status == "too_large":
            raise ResultTooLarge(f"the result has more than {self.max_rows} rows (the limit)",
                                 "add LIMIT or raise --max-rows")
        if status == "error":
            raise TkigraphError(f"query failed: {payload}", "check the query")
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
  if (!(r.headers.get('Content-Type') || '').includes('json')) { const pre = document.createElement('pre'); pre.textContent = text; out.appendChild(pre); return; }
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


def make_server(pool: QueryPool, host: str = "127.0.0.1", port: int = 7878) -> ThreadingHTTPServer:
    """An HTTP server answering the SPARQL protocol from ``pool``."""
    from .named import named_queries

    examples = {n: q.text for n, q in named_queries().items() if not q.params}
    page = _page(examples)

    class Handler(BaseHTTPRequestHandler):
        server_version = "tkigraph-sparql"

        def log_message(self, format, *args):  # quiet by default
            pass

        def _send(self, status: int, body: bytes, mime: str = "text/plain; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._send(status, (message + "\n").encode())

        def do_GET(self):
            url = urlparse(self.path)
            if url.path in ("/", "/index.html"):
                return self._send(200, page, "text/html; charset=utf-8")
            if url.path != "/query":
                return self._error(404, "not found: use /query or /")
            params = parse_qs(url.query)
            if "update" in params:
                return self._error(403, "updates are not allowed: this endpoint is read-only")
            return self._answer((params.get("query") or [""])[0])

        def do_POST(self):
            url = urlparse(self.path)
            if url.path not in ("/query", "/update"):
                return self._error(404, "not found: POST to /query")
            length = int(self.headers.get("Content-Length") or 0)
            if length > 1_000_000:
                return self._error(413, "query too long")
            body = self.rfile.read(length).decode("utf-8", "replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if url.path == "/update" or ctype == "application/sparql-update":
                return self._error(403, "updates are not allowed: this endpoint is read-only")
            if ctype == "application/sparql-query":
                return self._answer(body)
            params = parse_qs(body)
            if "update" in params:
                return self._error(403, "updates are not allowed: this endpoint is read-only")
            return self._answer((params.get("query") or [""])[0])

        def _answer(self, text: str) -> None:
            if not text.strip():
                return self._error(400, "no query: pass query=... (see / for a query box)")
            try:
                form = check_query(text)
            except TkigraphError as exc:
                status = 403 if "not allowed" in exc.message else 400
                return self._error(status, str(exc))
            mime = _negotiate(self.headers.get("Accept", ""), form)
            if mime is None:
                return self._error(406, "cannot produce the requested type: ask for JSON, XML, CSV, TSV or Turtle")
            try:
                payload = pool.run(text, form, mime)
            except QueryTimeout as exc:
                return self._error(503, str(exc))
            except ResultTooLarge as exc:
                return self._error(413, str(exc))
            except TkigraphError as exc:
                return self._error(400, str(exc))
            self._send(200, payload, mime + ("; charset=utf-8" if mime.startswith("text/") else ""))

    return ThreadingHTTPServer((host, port), Handler)
