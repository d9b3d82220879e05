"""Load test: `tkigraph serve` against `oxigraph serve-read-only` on the same store, loopback only.

Both servers open the same cached on-disk store (the one `explain` uses). For each
query (a simple one and an explain-shaped one) and each number of concurrent
clients, every client sends a fixed number of queries over one kept-alive
connection; the servers are measured in alternation, ``--repeat`` times, and the
median throughput is reported with error counts and p50/p95/p99 latencies.
Every loop is bounded in count and time (``--seconds`` per cell), and only
127.0.0.1 is ever contacted.

    python benchmarks/serve_load.py                        # the table (about 3 minutes)
    python benchmarks/serve_load.py --clients 50 --requests 200 --repeat 1   # the load probe of issue 20
    python benchmarks/serve_load.py --guard                # the query guard alone
    python benchmarks/serve_load.py --json results.json    # also write the figures

The client runs in ``--procs`` processes (threads within each), so one GIL does
not cap the load it can send; it shares the machine's cores with the server, the
same for both servers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

PREFIXES = """PREFIX tkigraph: <https://w3id.org/tkigraph/ontology#>
PREFIX tkd: <https://w3id.org/tkigraph/kb/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
QUERIES = {
    "simple": PREFIXES + "SELECT ?variant ?label WHERE { ?variant tkigraph:confersResistanceTo tkd:imatinib ; "
                         "rdfs:label ?label } ORDER BY ?label LIMIT 50",
    "explain-shaped": PREFIXES + """SELECT ?finding ?drugLabel ?effect ?level ?mechanism ?statement ?source ?author ?date WHERE {
  ?variant rdfs:label "BCR-ABL1 T315I" .
  ?finding tkigraph:variant ?variant ; tkigraph:drug ?drug ; tkigraph:effect ?effect ; tkigraph:evidenceLevel ?level .
  ?drug rdfs:label ?drugLabel .
  OPTIONAL { ?finding tkigraph:mechanism ?mechanism }
  OPTIONAL { ?finding tkigraph:statement ?statement }
  OPTIONAL { ?finding dcterms:source ?source .
             OPTIONAL { ?source tkigraph:firstAuthor ?author } OPTIONAL { ?source dcterms:date ?date } }
} ORDER BY ?drugLabel ?finding""",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, process: subprocess.Popen, limit: float = 60.0) -> float:
    """Seconds until ``port`` answers a query (the server's start-up time)."""
    started = time.monotonic()
    body = urllib.parse.urlencode({"query": "ASK {}"})
    while time.monotonic() - started < limit:
        if process.poll() is not None:
            raise SystemExit(f"server exited early: {process.args}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("POST", "/query", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/sparql-results+json"})
            if conn.getresponse().status == 200:
                return time.monotonic() - started
        except OSError:
            time.sleep(0.02)
    raise SystemExit(f"server on port {port} did not answer within {limit} s")


def _client(port: int, query: str, requests: int, deadline: float, out: list) -> None:
    body = urllib.parse.urlencode({"query": query})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    conn = None
    for _ in range(requests):
        if time.monotonic() > deadline:
            out.append(("timeout", 0.0))
            continue
        started = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("POST", "/query", body, headers)
            response = conn.getresponse()
            response.read()
            status = str(response.status)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            status = "reset" if isinstance(exc, ConnectionResetError) else type(exc).__name__
            conn = None
        out.append((status, time.perf_counter() - started))


def _proc(port: int, query: str, clients: int, requests: int, seconds: float, queue) -> None:
    out: list = []
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(port, query, requests, deadline, out)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(out)


def load(port: int, query: str, clients: int, requests: int, procs: int, seconds: float) -> dict:
    """Throughput, errors and latency percentiles of ``clients`` x ``requests`` queries."""
    context = mp.get_context("fork")
    queue = context.Queue()
    shares = [clients // procs + (1 if i < clients % procs else 0) for i in range(min(procs, clients))]
    started = time.perf_counter()
    workers = [context.Process(target=_proc, args=(port, query, n, requests, seconds, queue)) for n in shares]
    for worker in workers:
        worker.start()
    results = [item for _ in workers for item in queue.get()]
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    ok = sorted(t for status, t in results if status == "200")
    errors: dict[str, int] = {}
    for status, _ in results:
        if status != "200":
            errors[status] = errors.get(status, 0) + 1

    def pct(p: float) -> float | None:
        return round(ok[min(len(ok) - 1, int(p * len(ok)))] * 1000, 1) if ok else None

    return {"qps": round(len(ok) / wall, 1), "ok": len(ok), "errors": errors,
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}


def start_servers(store: Path, workers: int, timeout: float):
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(oxigraph).exists():
        raise SystemExit("the oxigraph server is missing: pip install oxigraph (the test extra has it)")
    ports = {"tkigraph": free_port(), "oxigraph": free_port()}
    env = {**os.environ, "TKIGRAPH_CACHE_DIR": str(store)}
    commands = {
        "tkigraph": [sys.executable, "-m", "tkigraph", "serve", "--port", str(ports["tkigraph"]),
                     "--timeout", str(timeout), "--max-rows", "100000"] + (["--workers", str(workers)] if workers else []),
        "oxigraph": [oxigraph, "serve-read-only", "--location", "", "--bind", f"127.0.0.1:{ports['oxigraph']}",
                     "--timeout-s", str(int(timeout))],
    }
    # the cached store is built by a first command (as for a user), then serve starts twice: the first
    # start writes the store's N-Quads snapshot once; the second is the start-up a user sees from then on
    subprocess.run([sys.executable, "-m", "tkigraph", "explain", "imatinib", "T315I"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    startups = []
    for attempt in range(2):
        tk = subprocess.Popen(commands["tkigraph"], env=env, stderr=subprocess.DEVNULL, start_new_session=True)
        startups.append(wait_ready(ports["tkigraph"], tk))
        if attempt == 0:
            tk.terminate()
            tk.wait(timeout=30)
    startup = {"first": round(startups[0], 2), "cached": round(startups[1], 2)}
    location = next(p for p in Path(store).glob("store-*") if p.is_dir())
    commands["oxigraph"][3] = str(location)
    ox = subprocess.Popen(commands["oxigraph"], stderr=subprocess.DEVNULL, start_new_session=True)
    wait_ready(ports["oxigraph"], ox)
    return {"tkigraph": tk, "oxigraph": ox}, ports, startup


def guard_cost(repeat: int = 2000) -> dict:
    from tkigraph.sparql.guard import check_query

    out = {}
    for name, text in QUERIES.items():
        check_query(text)
        started = time.perf_counter()
        for _ in range(repeat):
            check_query(text)
        out[name] = round((time.perf_counter() - started) / repeat * 1e6, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32, 50])
    parser.add_argument("--requests", type=int, default=100, help="queries per client per run")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs per cell (median kept)")
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--seconds", type=float, default=60.0, help="time bound of one run")
    parser.add_argument("--workers", type=int, default=0, help="tkigraph serve --workers (0: its default)")
    parser.add_argument("--queries", nargs="+", choices=list(QUERIES), default=list(QUERIES))
    parser.add_argument("--guard", action="store_true", help="only time the query guard")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.guard:
        print(json.dumps({"guard_us_per_query": guard_cost()}, indent=2))
        return
    cache = Path(tempfile.mkdtemp(prefix="tkigraph-load-"))
    processes, ports, startup = start_servers(cache, args.workers, timeout=10.0)
    rows = []
    try:
        for name in args.queries:
            for clients in args.clients:
                runs: dict[str, list[dict]] = {"tkigraph": [], "oxigraph": []}
                for _ in range(args.repeat):
                    for server in ("tkigraph", "oxigraph"):
                        runs[server].append(load(ports[server], QUERIES[name], clients, args.requests,
                                                 args.procs, args.seconds))
                row = {"query": name, "clients": clients}
                for server, results in runs.items():
                    best = sorted(results, key=lambda r: r["qps"])[len(results) // 2]
                    errors: dict[str, int] = {}
                    for r in results:
                        for key, count in r["errors"].items():
                            errors[key] = errors.get(key, 0) + count
                    row[server] = {**best, "errors": errors, "queries": sum(r["ok"] + sum(r["errors"].values())
                                                                             for r in results)}
                row["ratio"] = round(row["tkigraph"]["qps"] / row["oxigraph"]["qps"], 2)
                rows.append(row)
                print(_line(row), flush=True)
    finally:
        for process in processes.values():
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        shutil.rmtree(cache, ignore_errors=True)
    report = {"startup_s": startup, "guard_us_per_query": guard_cost(), "rows": rows,
              "requests_per_client": args.requests, "repeat": args.repeat, "cpus": os.cpu_count()}
    print(json.dumps({k: v for k, v in report.items() if k != "rows"}))
    print(markdown(rows))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def _line(row: dict) -> str:
    t, o = row["tkigraph"], row["oxigraph"]
    return (f"{row['query']:15} {row['clients']:>3} clients: tkigraph {t['qps']:>7} q/s "
            f"(p50 {t['p50_ms']} p99 {t['p99_ms']} ms, errors {t['errors'] or 0}) | oxigraph {o['qps']:>7} q/s "
            f"(p50 {o['p50_ms']} p99 {o['p99_ms']} ms, errors {o['errors'] or 0}) | ratio {row['ratio']}")


def markdown(rows: list[dict]) -> str:
    lines = ["| query | clients | tkigraph q/s | Oxigraph q/s | ratio | tkigraph p50 / p95 / p99 ms | "
             "Oxigraph p50 / p95 / p99 ms | tkigraph errors | Oxigraph errors |",
             "|---|---:|---:|---:|---:|---|---|---:|---:|"]
    for row in rows:
        t, o = row["tkigraph"], row["oxigraph"]
        lines.append(f"| {row['query']} | {row['clients']} | {t['qps']} | {o['qps']} | {row['ratio']} | "
                     f"{t['p50_ms']} / {t['p95_ms']} / {t['p99_ms']} | {o['p50_ms']} / {o['p95_ms']} / {o['p99_ms']} | "
                     f"{sum(t['errors'].values())} of {t['queries']} | {sum(o['errors'].values())} of {o['queries']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
