"""Robustness and security guarantees that can be checked here (issue 9, in part).

* Loading data and running queries never opens a network connection (a socket
  audit hook watches every test below).
* The parsers and the query front end answer any input with a result or our own
  typed error (property-based tests with hypothesis).
* Files are written atomically: a writer killed at random moments never leaves a
  truncated or mixed file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tkigraph.errors import TkigraphError

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from .constants import MINI_KB  # noqa: E402

#: examples per fuzz target; a long run: TKIGRAPH_FUZZ_EXAMPLES=100000 pytest tests/test_security.py -k fuzz
EXAMPLES = int(os.environ.get("TKIGRAPH_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


class NetworkUsed(AssertionError):
    pass


@pytest.fixture()
def no_network():
    """Fail if anything in the test opens or resolves a network address."""
    calls = []

    def hook(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto", "urllib.Request") and not calls:
            calls.append((event, args))

    sys.addaudithook(hook)  # audit hooks cannot be removed; the list makes it inert after the test
    yield calls
    found = list(calls)
    calls.append(("done", None))
    if found and found[0][0] != "done":
        raise NetworkUsed(f"network used: {found[0]}")


HOSTILE_QUERIES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "LOAD <http://example.org/data.ttl>",
    "SELECT * WHERE { ?s <http://www.w3.org/2002/07/owl#imports> ?o }",
]


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_queries_never_open_connections(no_network, text):
    from tkigraph.sparql.engine import OxigraphEngine, RdflibEngine
    from tkigraph.store import load_graph

    for engine in (OxigraphEngine([MINI_KB]), RdflibEngine(load_graph([MINI_KB], include_kb=False))):
        try:
            engine.query(text)
        except TkigraphError:
            pass


def test_loading_owl_imports_fetches_nothing(no_network, tmp_path):
    from tkigraph.store import load_graph

    path = tmp_path / "imports.ttl"
    path.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "<http://example.org/o> a owl:Ontology ; owl:imports <http://example.org/other.ttl> .\n")
    graph = load_graph([path], include_kb=False)
    assert len(graph) > 2


def test_explain_and_show_fetch_nothing(no_network, mini):
    import tkigraph
    from tkigraph.info import describe
    from tkigraph.resolve import Resolver

    tkigraph.explain(mini, "alphatinib", "T10I")
    describe(mini, Resolver(mini).resolve("alphatinib"))


# -- fuzzing: any input gives a result or our own error ---------------------------------------------
@FUZZ
@given(st.text(max_size=60))
def test_fuzz_variant_parser_never_crashes(text):
    from tkigraph.variants import parse_variant

    query = parse_variant(text)
    assert query.kind in {"point", "codon", "class", "indel", "category", "compound", "name"}


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_fuzz_resolver_gives_entity_or_typed_error(mini_resolver, text):
    for method in (mini_resolver.drug, mini_resolver.variant, mini_resolver.resolve):
        try:
            method(text)
        except TkigraphError:
            pass


@FUZZ
@given(st.text(max_size=120))
def test_fuzz_query_guard_gives_form_or_typed_error(text):
    from tkigraph.sparql.guard import check_query

    try:
        assert check_query(text) in {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
    except TkigraphError:
        pass


@settings(max_examples=max(EXAMPLES // 3, 1), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=300))
def test_fuzz_turtle_loader_gives_graph_or_typed_error(tmp_path_factory, data):
    from tkigraph.store import new_graph, parse_into

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.ttl"
    path.write_bytes(b"@prefix tkd: <https://w3id.org/tkigraph/kb/> .\n" + data)
    try:
        parse_into(new_graph(), path)
    except TkigraphError:
        pass


# -- nothing lost: atomic writes --------------------------------------------------------------------
WRITER = textwrap.dedent("""
    import sys
    from tkigraph.canon import write_atomic
    path, n = sys.argv[1], int(sys.argv[2])
    write_atomic(path, ("line %d\\n" % n) * 200000)
""")


def test_killed_writer_never_leaves_a_truncated_file(tmp_path):
    import random
    import time

    target = tmp_path / "out.txt"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    from tkigraph.canon import write_atomic

    write_atomic(target, "line 0\n" * 200000)
    rng = random.Random(5)
    for attempt in range(1, 101):
        process = subprocess.Popen([sys.executable, str(script), str(target), str(attempt)])
        time.sleep(rng.uniform(0.0, 0.25))
        process.send_signal(signal.SIGKILL)
        process.wait()
        text = target.read_text()
        lines = text.splitlines()
        assert len(lines) == 200000 and len(set(lines)) == 1, f"torn file after kill {attempt}"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("out.txt", "writer.py")]
    assert all(name.startswith(".out.txt.") for name in leftovers)  # only temporary files of killed writers
    assert os.path.getsize(target) > 0
