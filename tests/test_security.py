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
import re
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
    from tkigraph.storage.files import load_graph

    for engine in (OxigraphEngine([MINI_KB]), RdflibEngine(load_graph([MINI_KB], include_kb=False))):
        try:
            engine.query(text)
        except TkigraphError:
            pass


def test_loading_owl_imports_fetches_nothing(no_network, tmp_path):
    from tkigraph.storage.files import load_graph

    path = tmp_path / "imports.ttl"
    path.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "<http://example.org/o> a owl:Ontology ; owl:imports <http://example.org/other.ttl> .\n")
    graph = load_graph([path], include_kb=False)
    assert len(graph) > 2


def test_explain_and_show_fetch_nothing(no_network, mini):
    import tkigraph
    from tkigraph.describe import describe
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
    from tkigraph.storage.files import new_graph, parse_into

    path = tmp_path_factory.mktemp("fuzz") / "fuzz.ttl"
    path.write_bytes(b"@prefix tkd: <https://w3id.org/tkigraph/kb/> .\n" + data)
    try:
        parse_into(new_graph(), path)
    except TkigraphError:
        pass


# -- nothing lost: atomic writes --------------------------------------------------------------------
WRITER = textwrap.dedent("""
    import sys
    from tkigraph.atomic import write_atomic
    path, n = sys.argv[1], int(sys.argv[2])
    write_atomic(path, ("line %d\\n" % n) * 200000)
""")


def test_killed_writer_never_leaves_a_truncated_file(tmp_path):
    import random
    import time

    target = tmp_path / "out.txt"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    from tkigraph.atomic import write_atomic

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


# -- no injection: no query text is built by formatting strings -----------------------------------
SPARQL_WORDS = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK|INSERT|DELETE|WHERE|FILTER|VALUES|PREFIX)\b")
#: the places allowed to write into query text: escaped RDF terms for a remote endpoint (documented),
#: and the PREFIX lines built from the project's own prefix constants
ALLOWED = {("sparql/engine.py", "values_block"), ("sparql/guard.py", "prefix_header")}


def _formatted_strings(tree):
    """(literal text, enclosing function) of every f-string, str.format call and % or + with a literal."""
    import ast

    owner = {}
    for func in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        for node in ast.walk(func):
            owner[id(node)] = func.name  # breadth-first: an inner function overwrites its outer one
    for node in ast.walk(tree):
        name = owner.get(id(node), "<module>")
        if isinstance(node, ast.JoinedStr):
            yield "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)), name
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
            yield node.func.value.value, name
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
            for side in (node.left, node.right):
                if isinstance(side, ast.Constant) and isinstance(side.value, str):
                    yield side.value, name


def test_no_query_is_built_by_formatting_strings():
    import ast
    from pathlib import Path

    import tkigraph

    root = Path(tkigraph.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for text, function in _formatted_strings(ast.parse(path.read_text())):
            if SPARQL_WORDS.search(text) and (rel, function) not in ALLOWED:
                offenders.append(f"{rel}:{function}: {text[:60]!r}")
    assert not offenders, "queries must bind parameters, not format them: " + "; ".join(sorted(set(offenders)))


def test_the_scan_catches_a_formatted_query():
    import ast
    source = 'def bad(drug):\n    return f"SELECT ?v WHERE {{ ?v ?p \\"{drug}\\" }}"\n'
    assert any(SPARQL_WORDS.search(text) for text, _ in _formatted_strings(ast.parse(source)))


# -- the CIViC row reader under fuzzing ------------------------------------------------------------
@settings(max_examples=max(EXAMPLES // 6, 1), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
                         min_size=0, max_size=40), max_size=4))
def test_fuzz_civic_rows_give_an_account_or_typed_error(tmp_path_factory, mini, rows):
    from tkigraph.sources.civic import import_file

    header = ("gene\tentrez_id\tvariant\tdisease\tdoid\tphenotypes\tdrugs\tevidence_type\tevidence_direction\t"
              "evidence_level\tclinical_significance\tevidence_statement\tpubmed_id\tcitation\tnct_ids\trating\t"
              "evidence_status\tevidence_id\tvariant_id\tgene_id")
    path = tmp_path_factory.mktemp("civic") / "fuzz.tsv"
    path.write_text(header + "\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    try:
        _, account = import_file(path, mini)
    except TkigraphError:
        return
    assert account.balanced() and account.rows_read == len(rows)


# -- hostile files: refused alike by every command that loads one, in tests/test_inputs.py ----------------
def test_huge_literal_loads_in_bounded_time(tmp_path):
    from tkigraph.storage.files import load_graph

    path = tmp_path / "huge_literal.ttl"
    path.write_text('@prefix ex: <http://e/> .\nex:a ex:b "' + "x" * 5_000_000 + '" .\n')
    assert len(load_graph([path], include_kb=False)) > 1


# -- nothing lost: every writer goes through the atomic writer ----------------------------------------
def test_every_file_write_is_atomic():
    """Only tkigraph.atomic writes files: everything else calls write_atomic / write_atomic_bytes."""
    import ast
    from pathlib import Path

    import tkigraph

    root = Path(tkigraph.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel == "atomic.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            modes = [a.value for a in node.args[1:2] if isinstance(a, ast.Constant)]
            modes += [k.value.value for k in node.keywords if k.arg == "mode" and isinstance(k.value, ast.Constant)]
            if name in ("write_text", "write_bytes") or (name == "open" and any(m and m[0] in "wax" for m in modes)):
                offenders.append(f"{rel}:{node.lineno}")
    assert not offenders, f"write through tkigraph.atomic.write_atomic instead: {offenders}"
