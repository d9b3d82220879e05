"""SPARQL: named queries, bound parameters, engines that agree, the endpoint, push and exports (issue 5)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from tkigraph.sparql.engine import OxigraphEngine, RdflibEngine, RemoteEngine, with_values
from tkigraph.sparql.guard import QueryError, check_query
from tkigraph.sparql.named import bind_params, named_queries
from tkigraph.storage.files import kb_files, load_graph

from .constants import DATA

PARAMS = {"drug": "imatinib", "variant": "BCR-ABL1 T315I", "target": "ALK", "region": "gatekeeper",
          "threshold": "10", "disease": "NSCLC"}
SEPARATORS = (", ", " / ", " + ")


@pytest.fixture(scope="module")
def oxigraph():
    return OxigraphEngine(kb_files())


@pytest.fixture(scope="module")
def rdflib_engine(rdf_graph):
    return RdflibEngine(rdf_graph)


def run(engine, name, **params):
    query = named_queries()[name]
    given = {k: params.get(k, PARAMS[k]) for k in query.params}
    return engine.query(query.text, bind_params(query, given))


def normalised(result):
    """Rows as sorted tuples of strings. GROUP_CONCAT order is unspecified in SPARQL, so its parts are
    sorted; numbers compare by value (engines may write 16.0 as 16)."""
    def cell(value):
        if isinstance(value, Literal) and isinstance(value.toPython(), (int, float, Decimal)):
            return f"{float(value.toPython()):g}"
        text = "" if value is None else str(value)
        for sep in SEPARATORS:
            if sep in text:
                return sep.join(sorted(text.split(sep)))
        return text
    return sorted(tuple(cell(row.get(v)) for v in result.variables) for row in result.rows)


def rows(result, *columns):
    return {tuple(str(row[c]) for c in columns) for row in result.rows}


# -- the named queries return the expected rows -------------------------------------------------
def test_there_are_the_named_queries_the_issue_asks_for():
    assert {"resistance-by-drug", "drugs-for-variant", "cross-resistance-matrix", "region-mutations",
            "mechanisms-by-drug", "bypass-pathways", "fold-change-above", "evidence-by-level",
            "compound-variants", "contradictory-findings"} <= set(named_queries())
    for query in named_queries().values():
        assert query.description and query.example.startswith("tkigraph query")


def test_resistance_by_drug(oxigraph):
    found = rows(run(oxigraph, "resistance-by-drug", drug="Gleevec"), "variantLabel", "effect")
    assert ("BCR-ABL1 T315I", "resistant") in found
    assert ("BCR-ABL1 E255K", "resistant") in found
    # only variants with a non-negated resistant or reduced-sensitivity finding are listed
    listed = {label for label, _ in found}
    expected = {str(r) for (r,) in rows(oxigraph.query(
        "SELECT DISTINCT ?l WHERE { ?f tkigraph:drug tkd:imatinib ; tkigraph:variant/rdfs:label ?l ; tkigraph:effect ?e "
        "FILTER(?e IN (tkigraph:Resistant, tkigraph:ReducedSensitivity)) FILTER NOT EXISTS { ?f tkigraph:negated true } }"), "l")}
    assert listed == expected


def test_drugs_for_variant(oxigraph):
    found = rows(run(oxigraph, "drugs-for-variant"), "drugLabel", "effect")
    assert {("imatinib", "resistant"), ("ponatinib", "sensitive"), ("asciminib", "sensitive")} <= found


def test_cross_resistance_matrix(oxigraph):
    found = rows(run(oxigraph, "cross-resistance-matrix"), "variantLabel", "drugLabel", "effects")
    assert ("ALK G1202R", "crizotinib", "resistant") in found
    assert ("ALK G1202R", "lorlatinib", "sensitive") in found


def test_region_mutations_gatekeepers_across_kinases(oxigraph):
    found = rows(run(oxigraph, "region-mutations", region="Gatekeeper"), "variantLabel")
    assert {("BCR-ABL1 T315I",), ("EGFR T790M",), ("ALK L1196M",), ("KIT T670I",), ("FLT3 F691L",)} <= found


def test_mechanisms_by_drug(oxigraph):
    found = rows(run(oxigraph, "mechanisms-by-drug", drug="osimertinib"), "category")
    assert {("on-target mutation",), ("bypass pathway activation",), ("histologic or lineage transformation",)} <= found


def test_bypass_pathways(oxigraph):
    found = rows(run(oxigraph, "bypass-pathways"), "alteration")
    assert ("MET amplification",) in found


def test_fold_change_above(oxigraph):
    result = run(oxigraph, "fold-change-above", threshold="30")
    assert result.rows and all(float(r["fold"]) >= 30 for r in result.rows)
    assert ("BCR-ABL1 T315I", "nilotinib") in rows(result, "variantLabel", "drugLabel")
    assert len(run(oxigraph, "fold-change-above", threshold="1").rows) > len(result.rows)


def test_evidence_by_level_strongest_first(oxigraph):
    result = run(oxigraph, "evidence-by-level", drug="osimertinib", disease="NSCLC")
    levels = [str(r["level"]) for r in result.rows]
    assert levels[0] == "guideline or label"
    order = ["guideline or label", "clinical", "preclinical in vivo", "in vitro"]
    assert levels == sorted(levels, key=order.index)


def test_compound_variants_phase(oxigraph):
    found = rows(run(oxigraph, "compound-variants"), "compound", "phase")
    assert ("EGFR T790M + C797S (cis)", "in cis") in found
    assert ("EGFR T790M + C797S (trans)", "in trans") in found


def test_contradictory_findings(oxigraph, kb):
    result = run(oxigraph, "contradictory-findings")
    assert result.rows
    import tkigraph
    row = result.rows[0]
    explained = tkigraph.explain(kb, str(row["drugLabel"]), str(row["variantLabel"]))
    assert explained.conflicting


def test_unverified_citations_are_listed(oxigraph, kb):
    from tkigraph.rdfterms import TKG
    listed = {str(r["source"]) for r in run(oxigraph, "unverified-citations").rows}
    assert listed == {str(s) for s in kb.graph.subjects(TKG.verification, TKG.Unverified)
                      if (None, None, s) in kb.graph}


# -- one contract, every engine -------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(named_queries()))
def test_oxigraph_and_rdflib_agree(oxigraph, rdflib_engine, name):
    assert normalised(run(oxigraph, name)) == normalised(run(rdflib_engine, name))


def test_derived_triples_agree(oxigraph, rdf_graph):
    text = ("SELECT ?v ?p ?d WHERE { VALUES ?p { tkigraph:confersResistanceTo tkigraph:reducesSensitivityTo "
            "tkigraph:retainsSensitivityTo } ?v ?p ?d }")
    assert normalised(oxigraph.query(text)) == normalised(RdflibEngine(rdf_graph).query(text))


# -- parameters are bound, never pasted ------------------------------------------------------------
PAYLOADS = ['imatinib"', 'imatinib" } ?x ?y ?z . { "', "imatinib' . }", "<http://evil/>", '"}}} UNION {?s ?p ?o}',
            "imatinib\\", "\n}\nSELECT * WHERE {", "x\" ; rdfs:label ?l . FILTER(true) #", "}", "%7D", "\u202e", "",
            "imatinib) || true || (", "?drug", "$drug", "'''", '"""', "\\u0022", "DROP ALL", "tkd:imatinib"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_payloads_match_nothing(oxigraph, payload):
    assert run(oxigraph, "resistance-by-drug", drug=payload).rows == []


def test_hostile_label_is_matched_exactly(tmp_path):
    hostile = 'evil "drug" <b>} UNION { ?s ?p ?o }'
    extra = tmp_path / "hostile.ttl"
    extra.write_text(f"""@prefix tkigraph: <https://w3id.org/tkigraph/ontology#> .
@prefix tkd: <https://w3id.org/tkigraph/kb/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
tkd:hostile a tkigraph:Drug ; rdfs:label {json.dumps(hostile)} ; tkigraph:inhibits tkd:ABL1 .
tkd:F_hostile a tkigraph:Finding ; tkigraph:variant tkd:BCR-ABL1_T315I ; tkigraph:drug tkd:hostile ;
    tkigraph:effect tkigraph:Resistant ;
    tkigraph:mechanism tkigraph:OnTargetMutation ; tkigraph:evidenceLevel tkigraph:InVitro ; tkigraph:statement "synthetic" .
tkd:BCR-ABL1_T315I rdfs:label "BCR-ABL1 T315I" .
""")
    # rdflib reads the schema and this file only (the whole graph costs it 11 s and adds nothing here)
    for engine in (OxigraphEngine([*kb_files(), extra]), RdflibEngine(load_graph([extra], include_kb=False))):
        result = run(engine, "resistance-by-drug", drug=hostile)
        assert rows(result, "variantLabel") == {("BCR-ABL1 T315I",)}


def test_with_values_escapes_terms():
    text = with_values("SELECT ?x WHERE { ?x ?p ?drug }", {"drug": Literal('a" } . ?s ?p ?o . { "')})
    assert check_query(text) == "SELECT"
    assert '\\"' in text


# -- guard ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { OPTIONAL { SERVICE SILENT <http://127.0.0.1:1/> { ?s ?p ?o } } }",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "LOAD <http://example.org/data.ttl>", "DROP ALL",
    "SELECT * WHERE { ?s ?p }", "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
])
def test_guard_refuses(text):
    with pytest.raises(QueryError):
        check_query(text)


# -- the CLI --------------------------------------------------------------------------------------
def test_query_cli_formats(invoke):
    text = "SELECT ?l WHERE { tkd:imatinib rdfs:label ?l }"
    assert invoke("query", text, "--format", "csv").output == "l\nimatinib\n"
    assert invoke("query", text, "--format", "tsv").output == "l\nimatinib\n"
    data = json.loads(invoke("query", text, "--format", "json").output)
    assert data["results"]["bindings"][0]["l"]["value"] == "imatinib"
    table = invoke("query", text, "--format", "table").output
    assert "imatinib" in table and "(1 row)" in table
    turtle = invoke("query", "CONSTRUCT { tkd:imatinib rdfs:label ?l } WHERE { tkd:imatinib rdfs:label ?l }").output
    assert len(Graph().parse(data=turtle, format="turtle")) == 1
    assert invoke("query", "ASK { tkd:imatinib a tkigraph:Drug }", "--format", "json").output.count("true") == 1


def test_query_cli_rdflib_engine_and_file(invoke, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?f a tkigraph:Finding }")
    a = invoke("query", "-f", str(path), "--format", "csv").output
    b = invoke("query", "-f", str(path), "--format", "csv", "--engine", "rdflib").output
    assert a == b and int(a.split()[1]) > 700


def test_query_cli_errors(invoke):
    assert invoke("query", "resistance-by-drg").exit_code == 2
    missing = invoke("query", "resistance-by-drug")
    assert missing.exit_code == 1 and "--param drug=" in missing.output
    service = invoke("query", "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }")
    assert service.exit_code == 1 and "SERVICE is not allowed" in service.output
    bad = invoke("query", "fold-change-above", "--param", "threshold=ten")
    assert bad.exit_code == 1 and "number" in bad.output
    # a mistyped query is reported as SPARQL with its position, not as an unknown named query
    typo = invoke("query", "SELEC ?x WHERE { ?x ?p ?o }")
    assert typo.exit_code == 1 and "invalid SPARQL" in typo.output and "line 1" in typo.output
    assert "named query" not in typo.output


def test_queries_lists_the_library(invoke):
    output = invoke("queries").output
    assert "resistance-by-drug" in output and "--param drug=" in output


# -- exports ------------------------------------------------------------------------------------------
# (the round trips of every export format are in tests/test_export.py)

def test_graph_exports(kb, tmp_path, invoke):
    import networkx as nx

    from tkigraph.graph import to_networkx
    nxg = to_networkx(kb)
    out = tmp_path / "g.graphml"
    assert invoke("export", "--format", "graphml", "-o", str(out)).exit_code == 0
    back = nx.read_graphml(out, force_multigraph=True)
    assert back.number_of_nodes() == nxg.number_of_nodes() and back.number_of_edges() == nxg.number_of_edges()
    assert back.nodes["tkd:imatinib"]["label"] == "imatinib"
    data = json.loads(invoke("export", "--format", "nodelink").output)
    assert data["graph"]["generator"].startswith("tkigraph")
    linked = nx.node_link_graph(data, edges="edges")
    assert linked.number_of_edges() == nxg.number_of_edges()
    csv_text = invoke("export", "--format", "csv").output
    assert csv_text.count("\n") == len(kb.graph) + 1


# -- the endpoint (tkigraph serve) -------------------------------------------------------------------
def _serving(timeout: float):
    """An endpoint over the shipped store (its URL), stopped when the generator closes."""
    from tkigraph.sparql.server import QueryPool, make_server
    from tkigraph.storage.oxigraph import kb_store

    _, location = kb_store()
    pool = QueryPool(location, workers=2, timeout=timeout, max_rows=5000)
    server = make_server(pool, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    pool.close()


@pytest.fixture(scope="module")
def endpoint():
    """An endpoint whose time limit no legitimate test query reaches, even on a loaded machine: a
    short limit once turned the 413 of a capped result into a 503 under load (issue 13)."""
    yield from _serving(timeout=120.0)


@pytest.fixture()
def short_endpoint():
    """An endpoint with a 2 s time limit, for the test of that limit."""
    yield from _serving(timeout=2.0)


def http(url, data=None, accept="application/sparql-results+json", ctype="application/x-www-form-urlencoded"):
    body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
    request = urllib.request.Request(url, data=body, headers={"Accept": accept, "Content-Type": ctype})
    try:
        with urllib.request.urlopen(request, timeout=180) as response:
            return response.status, response.headers.get("Content-Type"), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type"), exc.read().decode()


def test_endpoint_answers_get_and_post(endpoint):
    query = "SELECT ?l WHERE { tkd:imatinib rdfs:label ?l }"
    status, ctype, body = http(f"{endpoint}/query?" + urllib.parse.urlencode({"query": query}))
    assert status == 200 and "json" in ctype and json.loads(body)["results"]["bindings"][0]["l"]["value"] == "imatinib"
    status, ctype, body = http(f"{endpoint}/query", {"query": query}, accept="text/csv")
    assert (status, body.split()) == (200, ["l", "imatinib"])
    status, _, body = http(f"{endpoint}/query", query.encode(), accept="text/tab-separated-values",
                           ctype="application/sparql-query")
    assert status == 200 and '"imatinib"' in body
    status, _, body = http(f"{endpoint}/query", {"query": query}, accept="application/sparql-results+xml")
    assert status == 200 and "<literal" in body
    status, ctype, body = http(f"{endpoint}/query", {"query": "CONSTRUCT { tkd:imatinib rdfs:label ?l } WHERE "
                                                     "{ tkd:imatinib rdfs:label ?l }"}, accept="text/turtle")
    assert status == 200 and len(Graph().parse(data=body, format="turtle")) == 1


def test_endpoint_matches_local_engine(endpoint, oxigraph):
    text = named_queries()["region-mutations"].text.replace("?region)", '"gatekeeper")')
    status, _, body = http(f"{endpoint}/query", {"query": text})
    remote = {b["variantLabel"]["value"] for b in json.loads(body)["results"]["bindings"]}
    local = {str(r) for r in rows(run(oxigraph, "region-mutations"), "variantLabel")}
    assert status == 200 and remote == {x[2:-3] for x in local} | remote and "BCR-ABL1 T315I" in remote


def test_endpoint_refuses_updates_and_service(endpoint):
    assert http(f"{endpoint}/query", {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})[0] == 403
    assert http(f"{endpoint}/update", b"DROP ALL", ctype="application/sparql-update")[0] == 403
    status, _, body = http(f"{endpoint}/query", {"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"})
    assert status == 403 and "SERVICE" in body
    assert http(f"{endpoint}/query", {"query": "SELECT * WHERE { ?s ?p }"})[0] == 400


def test_endpoint_stops_a_runaway_query_and_stays_up(short_endpoint):
    started = time.monotonic()
    status, _, body = http(f"{short_endpoint}/query",
                           {"query": "SELECT (COUNT(*) AS ?n) WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"})
    assert status == 503 and "stopped after 2 s" in body
    assert time.monotonic() - started < 60  # stopped (the query alone runs for hours), however loaded the machine
    status, _, body = http(f"{short_endpoint}/query", {"query": "ASK { tkd:imatinib a tkigraph:Drug }"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_endpoint_caps_results(endpoint):
    status, _, body = http(f"{endpoint}/query", {"query": "SELECT * WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"})
    assert status == 413 and "5000" in body


def test_endpoint_page(endpoint):
    status, ctype, body = http(f"{endpoint}/", accept="text/html")
    assert status == 200 and "text/html" in ctype and "<textarea" in body and "resistance-by-drug" not in body


# -- any SPARQL server: push to a real Oxigraph server, then ask it ------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_endpoint(url: str, seconds: float) -> bool:
    """Poll a SPARQL endpoint with ASK {} until it answers; False if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2)
            return True
        except Exception:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    binary = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if binary is None:
        pytest.skip("the oxigraph server (PyPI package `oxigraph`, in the test extra) is not installed")
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(tmp_path_factory.mktemp("oxdb")),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    wait_for_endpoint(url, 60)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def pushed(oxigraph_server, kb):
    from tkigraph.sparql.remote import push
    assert push(kb.store, oxigraph_server) == len(kb.graph)
    return oxigraph_server


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_remote_named_queries_match_local(pushed, oxigraph, name):
    assert normalised(run(RemoteEngine(pushed), name)) == normalised(run(oxigraph, name))


@pytest.mark.parametrize(("drug", "variant"), [("imatinib", "T315I"), ("osimertinib", "T790M/C797S in cis"),
                                               ("erlotinib", "E746_A750del"), ("imatinib", "ABCB1"),
                                               ("quizartinib", "D835")])
def test_remote_explain_matches_local(pushed, invoke, drug, variant):
    local = invoke("explain", drug, variant, "--format", "json").output
    remote = invoke("explain", drug, variant, "--format", "json", "--endpoint", pushed).output
    assert json.loads(remote) == json.loads(local)


def test_remote_show_matches_local(pushed, invoke):
    for name in ("STI-571", "BCR-ABL1 T315I", "pubmed:11423618"):
        assert invoke("show", name, "--format", "json", "--endpoint", pushed).output == \
            invoke("show", name, "--format", "json").output


def test_push_cli_and_unreachable_endpoint(invoke, pushed):
    assert "pushed" in invoke("push", "--endpoint", pushed).output
    result = invoke("query", "ASK {}", "--endpoint", "http://127.0.0.1:9/query")
    assert result.exit_code == 1 and "cannot reach" in result.output


def test_fixture_data_dir_exists():
    assert (DATA / "mini_kb.ttl").is_file()


def test_local_query_is_stopped_at_its_time_limit_and_the_cli_carries_on(invoke):
    started = time.monotonic()
    result = invoke("query", "SELECT (COUNT(*) AS ?n) WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}", "--timeout", "1")
    assert result.exit_code == 1 and "query stopped after 1 s" in result.output
    assert time.monotonic() - started < 60  # stopped (the query alone runs for hours), however loaded the machine
    assert invoke("query", "ASK { tkd:imatinib a tkigraph:Drug }", "--format", "json").exit_code == 0


def test_local_query_result_cap(invoke):
    result = invoke("query", "SELECT ?s WHERE { ?s ?p ?o }", "--max-rows", "10")
    assert result.exit_code == 1 and "more than --max-rows 10" in result.output


RUNAWAY = {
    "cartesian": ("oxigraph", "SELECT (COUNT(*) AS ?n) WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i}"),
    "path-over-cycle": ("rdflib", "SELECT (COUNT(*) AS ?n) WHERE { ?a (tkigraph:variantOf|^tkigraph:variantOf)* ?b . "
                                  "?b (tkigraph:inhibits|^tkigraph:inhibits)* ?c . ?c (rdfs:label|^rdfs:label)* ?d }"),
    "catastrophic-regex": ("rdflib", 'SELECT ?s WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "^(a+)+$")) '
                                     'BIND("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" AS ?x) FILTER(REGEX(?x, "^(a+)+$")) }'),
    "deep-nesting": ("oxigraph", "SELECT * WHERE " + "{ " * 400 + "?s ?p ?o" + " }" * 400),
}


@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_runaway_queries_end_and_the_cli_stays_usable(invoke, name):
    engine, text = RUNAWAY[name]
    started = time.monotonic()
    result = invoke("query", text, "--engine", engine, "--timeout", "2", "--format", "csv")
    assert time.monotonic() - started < 30
    assert "Traceback" not in result.output
    assert result.exit_code == 0 or "query stopped after 2 s" in result.output or "error:" in result.output
    assert invoke("query", "ASK { tkd:imatinib a tkigraph:Drug }", "--format", "json").exit_code == 0


def test_query_reads_a_small_store_from_its_snapshot_with_the_same_answers(invoke, monkeypatch, tmp_path):
    """`tkigraph query` runs on an in-memory copy of a small store, read from the N-Quads snapshot written
    beside it (issue 13's query cost); its answers are the on-disk store's, in every engine path."""
    from tkigraph.storage.oxigraph import cached_snapshot, kb_store

    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    args = ("query", "resistance-by-drug", "--param", "drug=imatinib", "--format", "csv")
    assert cached_snapshot() is None
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    folder, snapshot = cached_snapshot()
    assert snapshot.is_file() and snapshot.stat().st_size > 0
    assert invoke(*args).output == first.output  # the second reads the snapshot without opening the store
    store, _ = kb_store()
    on_disk = OxigraphEngine(store=store, location=folder)
    disk_rows = run(on_disk, "resistance-by-drug", drug="imatinib").rows
    assert len(first.output.strip().splitlines()) == len(disk_rows) + 1
    assert invoke(*args[:-2], "--timeout", "0", "--format", "csv").output == first.output  # no fork: same answer


def test_query_json_is_written_by_pyoxigraph_and_still_limited(invoke):
    """`--format json` on the local store is pyoxigraph's own SPARQL 1.1 JSON writer (issue 13), with the same
    bindings as the rdflib engine's answer, and `--max-rows` still refuses a larger result."""
    args = ("query", "resistance-by-drug", "--param", "drug=imatinib", "--format", "json")
    ours = invoke(*args)
    assert ours.exit_code == 0 and ours.output.startswith('{"head":{"vars":["drug"')  # pyoxigraph's compact form
    rdflib = invoke(*args, "--engine", "rdflib", "--timeout", "0")  # no time limit: a loaded machine is slow
    assert normalised_json(json.loads(ours.output)) == normalised_json(json.loads(rdflib.output))
    refused = invoke(*args, "--max-rows", "3")
    assert refused.exit_code != 0 and "more than --max-rows 3" in refused.output


def normalised_json(results: dict) -> list:
    """Bindings as sorted rows of (variable, value), GROUP_CONCAT parts sorted (their order is the engine's)."""
    rows = []
    for row in results["results"]["bindings"]:
        cells = []
        for name, term in sorted(row.items()):
            value = term["value"]
            cells.append((name, ", ".join(sorted(value.split(", ")))))
        rows.append(tuple(cells))
    return sorted(rows)
