"""`tkigraph serve` under load and at the protocol's edges (issues 20 and 21).

Loopback only; every loop is bounded in count. No assertion is about speed (the
load benchmark, benchmarks/serve_load.py, measures that).
"""

from __future__ import annotations

import http.client
import json
import threading
import urllib.parse

import pyoxigraph as ox
import pytest

from tkigraph.sparql.guard import QueryError, check_query

SIMPLE = "SELECT ?l WHERE { tkd:imatinib rdfs:label ?l }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"


def serve(**options):
    from tkigraph.sparql.server import QueryPool, make_server
    from tkigraph.storage.oxigraph import kb_store

    _, location = kb_store()
    pool = QueryPool(location, **options)
    server = make_server(pool, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, pool


@pytest.fixture(scope="module")
def endpoint():
    server, pool = serve(workers=2, timeout=120.0, max_rows=5000)  # generous: a loaded machine is slow, not wrong
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    pool.close()


def request(port, method="POST", path="/query", body=None, headers=None, conn=None):
    """(status, headers, body) of one request; ``conn`` keeps a connection alive across calls."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    if isinstance(body, dict):
        body = urllib.parse.urlencode(body, doseq=True)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    conn.request(method, path, body, headers or {})
    response = conn.getresponse()
    data = response.read()
    if own:
        conn.close()
    return response.status, dict(response.getheaders()), data


# -- the guard ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "PREFIX : <http://evil.example/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",  # keyword glued to a name
    "SELECT * WHERE { \\u0053ERVICE <http://evil.example/> { ?s ?p ?o } }",      # a codepoint escape
    "select * where { service silent <http://evil.example/> { ?s ?p ?o } }",      # lower case
    "SELECT * FROM<http://evil.example/g> WHERE { ?s ?p ?o }",
    "DELETE WHERE { ?s ?p ?o }", "CLEAR DEFAULT",
])
def test_guard_refuses_disguised_service_from_and_updates(text):
    with pytest.raises(QueryError, match="not allowed"):
        check_query(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s rdfs:label 'SERVICE <http://x/> FROM' }",     # in a string
    "SELECT * WHERE { ?s <http://example.org/service> ?o } # SERVICE",  # in an IRI and a comment
    "PREFIX add: <urn:x:> SELECT * WHERE { ?s add:from ?o }",           # prefixes named like keywords
    "SELECT * WHERE { ?s (rdfs:label|skos:altLabel) ?o FILTER(?o < 3 && ?o > 1) }",
])
def test_guard_allows_keywords_inside_strings_iris_and_names(text):
    assert check_query(text) == "SELECT"


def test_guard_is_thread_safe():
    """The old pyparsing guard failed under concurrency (issue 20): 16 threads x 200 checks agree."""
    cases = {SIMPLE: "SELECT", "ASK { ?s ?p ?o }": "ASK", "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }": None,
             "SELECT * WHERE { ?s ?p }": None}
    wrong: list = []

    def work():
        for _ in range(50):
            for text, expected in cases.items():
                try:
                    got = check_query(text)
                except QueryError:
                    got = None
                if got != expected:
                    wrong.append((text, got))

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


# -- load ---------------------------------------------------------------------------------------------
def test_many_concurrent_clients_get_every_answer(endpoint):
    """30 clients x 20 kept-alive queries: every one answered 200, no reset, no error."""
    failures: list = []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", endpoint, timeout=120)
        for _ in range(20):
            try:
                status, _, body = request(endpoint, body={"query": SIMPLE},
                                          headers={"Accept": "application/sparql-results+json"}, conn=conn)
                if status != 200 or b"imatinib" not in body:
                    failures.append(status)
            except (OSError, http.client.HTTPException) as exc:
                failures.append(repr(exc))
                conn = http.client.HTTPConnection("127.0.0.1", endpoint, timeout=120)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_a_full_queue_answers_503_with_retry_after():
    """One worker, no queue: while a runaway query holds the only place, the next query gets 503 at once."""
    server, pool = serve(workers=1, queue_size=0, timeout=60.0)
    port = server.server_address[1]
    outcome: list = []

    def runaway():
        try:
            for _ in range(100):  # bounded: until it, not a simple query, takes the place
                outcome.append(request(port, body={"query": RUNAWAY})[0])
                if outcome[-1] != 503:
                    break
        except (OSError, http.client.HTTPException) as exc:  # the server closes at the end of the test
            outcome.append(repr(exc))

    busy = threading.Thread(target=runaway, daemon=True)
    try:
        busy.start()
        answers = []
        for _ in range(200):  # bounded: until the runaway query holds the place
            status, headers, body = request(port, body={"query": SIMPLE})
            answers.append(status)
            if status == 503:
                break
            threading.Event().wait(0.05)
        assert answers[-1] == 503, (outcome, answers)
        assert headers.get("Retry-After") == "1" and b"queue is full" in body
        assert set(answers[:-1]) <= {200}
    finally:
        server.shutdown()
        server.server_close()
        pool.close()


# -- the protocol -------------------------------------------------------------------------------------
def test_tsv_results_parse_back(endpoint):
    """SPARQL 1.1 TSV (terms in Turtle syntax): rdflib's and Oxigraph's readers take it."""
    status, _, body = request(endpoint, body={"query": "SELECT ?l ?g WHERE { tkd:imatinib rdfs:label ?l ; "
                                                       "tkigraph:generation ?g }"},
                              headers={"Accept": "text/tab-separated-values"})
    assert status == 200
    rows = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV))
    assert rows[0]["l"] == ox.Literal("imatinib") and rows[0]["g"].value == "1"
    assert b'"""' not in body


@pytest.mark.parametrize("mime,fmt", [("application/rdf+xml", ox.RdfFormat.RDF_XML),
                                      ("application/ld+json", ox.RdfFormat.JSON_LD),
                                      ("application/n-quads", ox.RdfFormat.N_QUADS),
                                      ("text/turtle", ox.RdfFormat.TURTLE)])
def test_construct_in_every_client_default_format(endpoint, mime, fmt):
    query = "CONSTRUCT { tkd:imatinib rdfs:label ?l } WHERE { tkd:imatinib rdfs:label ?l }"
    status, headers, body = request(endpoint, body={"query": query}, headers={"Accept": mime})
    assert status == 200 and headers["Content-Type"].startswith(mime)
    assert [q.object.value for q in ox.parse(body, format=fmt)] == ["imatinib"]


def test_protocol_edges(endpoint):
    ask = {"query": "ASK { tkd:imatinib a tkigraph:Drug }"}
    status, headers, body = request(endpoint, body=ask)
    assert status == 200 and headers.get("Access-Control-Allow-Origin") == "*" and json.loads(body)["boolean"]
    # a dataset is honoured, never ignored: a graph the store does not hold is an empty default graph
    status, _, body = request(endpoint, body={**ask, "default-graph-uri": "http://x/g"})
    assert status == 200 and json.loads(body)["boolean"] is False
    status, _, body = request(endpoint, body={"query": "SELECT * FROM <http://x/g> WHERE { ?s ?p ?o }"})
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    status, _, body = request(endpoint, body={**ask, "named-graph-uri": "not an iri"})
    assert status == 400 and b"not an absolute IRI" in body
    status, _, body = request(endpoint, body={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                              headers={"Accept": "application/n-triples"})
    assert status == 200 and f"<http://127.0.0.1:{endpoint}/s>".encode() in body  # base: the endpoint URL
    assert request(endpoint, body={"query": [SIMPLE, SIMPLE]})[0] == 400
    assert request(endpoint, body=urllib.parse.urlencode(ask))[0] == 400  # no Content-Type
    assert request(endpoint, body="x", headers={"Content-Type": "text/plain"})[0] == 415
    status, headers, _ = request(endpoint, method="PUT", body="x", headers={"Content-Type": "text/turtle"})
    assert status == 405 and "GET" in headers["Allow"] and headers["Content-Type"].startswith("text/plain")
    status, headers, _ = request(endpoint, method="OPTIONS")
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    status, headers, body = request(endpoint, method="HEAD", path="/query?" + urllib.parse.urlencode(ask))
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    status, _, body = request(endpoint, body={"query": "SELECT * WHERE { ?s ?p }"})
    assert status == 400 and b"invalid SPARQL" in body


def test_serve_opens_the_store_explain_built(invoke):
    """`serve` reuses the cached store `explain` built (no rebuild from Turtle at every start)."""
    import re
    import subprocess
    import sys

    from tkigraph.storage.cache import cache_dir

    assert invoke("explain", "imatinib", "T315I").exit_code == 0
    before = sorted(p.name for p in cache_dir().glob("store-*"))
    process = subprocess.Popen([sys.executable, "-m", "tkigraph", "serve", "--port", "0", "--workers", "1"],
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        port = int(re.search(r":(\d+)/query", line).group(1))
        status, _, body = request(port, body={"query": "ASK { tkd:imatinib a tkigraph:Drug }"})
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert sorted(p.name for p in cache_dir().glob("store-*")) == before


# -- the worker processes -----------------------------------------------------------------------------
def _wait_until(condition, limit=120.0):
    """Poll ``condition`` (bounded in time); its last value."""
    import time

    deadline = time.monotonic() + limit
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def test_a_runaway_query_is_stopped_and_its_only_worker_replaced():
    """One worker: the runaway query gets 503 at the limit, its worker exits, a new one answers."""
    server, pool = serve(workers=1, timeout=1.0)
    port = server.server_address[1]
    try:
        first = server.processes[0]
        status, headers, body = request(port, body={"query": RUNAWAY})
        assert status == 503 and b"stopped after 1 s" in body and headers.get("Connection") == "close"
        assert _wait_until(lambda: not first.is_alive())  # the query stopped with its process
        status, _, body = request(port, body={"query": SIMPLE})
        assert status == 200 and b"imatinib" in body
        assert _wait_until(lambda: len(server.processes) == 1 and server.processes[0] is not first)
    finally:
        server.shutdown()
        server.server_close()


def test_a_killed_worker_is_replaced_and_the_others_answer_meanwhile():
    import os
    import signal

    server, pool = serve(workers=2, timeout=120.0)  # a simple query never reaches it, however loaded the machine
    port = server.server_address[1]
    try:
        assert _wait_until(lambda: len(server.processes) == 2)
        victim = server.processes[0]
        os.kill(victim.pid, signal.SIGKILL)
        for _ in range(20):  # every query is answered, by the survivor or the replacement
            assert request(port, body={"query": SIMPLE})[0] == 200
        assert _wait_until(lambda: victim not in server.processes and len(server.processes) == 2)
    finally:
        server.shutdown()
        server.server_close()


def test_stopping_serve_stops_its_workers(tmp_path):
    """SIGTERM to `tkigraph serve` closes the port: no orphaned worker keeps answering."""
    import re
    import socket
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-m", "tkigraph", "serve", "--port", "0", "--workers", "2"],
                               stderr=subprocess.PIPE, text=True)
    try:
        port = int(re.search(r":(\d+)/query", process.stderr.readline()).group(1))
        assert request(port, body={"query": SIMPLE})[0] == 200
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0

    def refused():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return False
        except OSError:
            return True

    assert _wait_until(refused, limit=10)


def test_workers_that_cannot_start_stop_the_endpoint_with_an_error(tmp_path):
    """A store that vanished after start: replacements fail, and the endpoint says so instead of looping."""
    import shutil

    from tkigraph.errors import TkigraphError
    from tkigraph.sparql.server import QueryPool, make_server
    from tkigraph.storage.oxigraph import kb_store

    _, location = kb_store()
    copy = tmp_path / "store"
    shutil.copytree(location, copy)
    pool = QueryPool(copy, workers=1, timeout=10.0, in_memory=False)
    server = make_server(pool, "127.0.0.1", 0)
    try:
        shutil.rmtree(copy)
        server.processes[0].kill()
        with pytest.raises(TkigraphError, match="failed to start 3 times"):
            server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
