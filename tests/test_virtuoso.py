"""Virtuoso, the engine behind many large public SPARQL services: push the knowledge base into
a real Virtuoso server on loopback and check that named queries, `explain` and `show` answer
exactly as they do locally (issue 5). `.ci/run` installs Debian's virtuoso-opensource-7-bin;
without it the tests skip, saying so."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tkigraph.sparql.engine import RemoteEngine

from .test_sparql import free_port, normalised, run, wait_for_endpoint

pytestmark = pytest.mark.slow

NAMED = ["resistance-by-drug", "drugs-for-variant", "cross-resistance-matrix", "region-mutations",
         "mechanisms-by-drug", "bypass-pathways", "fold-change-above", "compound-variants",
         "contradictory-findings", "unverified-citations"]

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DirsAllowed = ., {d}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, kb):
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not isql:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin; .ci/run does it)")
    folder = tmp_path_factory.mktemp("virtuoso")
    isql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, isql=isql_port, http=http_port))
    process = subprocess.Popen([server, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        if not wait_for_endpoint(endpoint, 60):
            pytest.fail("Virtuoso did not come up within 60 s")
        subprocess.run([isql, f"127.0.0.1:{isql_port}", "dba", "dba", 'exec=grant SPARQL_UPDATE to "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        from tkigraph.sparql.remote import push

        push(kb.store, endpoint)  # Graph Store URL guessed: /sparql-graph-crud?graph-uri=urn:tkigraph
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.parametrize("name", NAMED)
def test_virtuoso_named_queries_match_local(virtuoso, name):
    from tkigraph.sparql.engine import OxigraphEngine
    from tkigraph.storage.files import kb_files

    local = OxigraphEngine(kb_files())
    assert normalised(run(RemoteEngine(virtuoso), name)) == normalised(run(local, name))


@pytest.mark.parametrize(("drug", "variant"), [("imatinib", "T315I"), ("osimertinib", "T790M/C797S in trans"),
                                               ("lorlatinib", "G1202R")])
def test_virtuoso_explain_matches_local(virtuoso, invoke, drug, variant):
    local = json.loads(invoke("explain", drug, variant, "--format", "json").output)
    remote = json.loads(invoke("explain", drug, variant, "--format", "json", "--endpoint", virtuoso).output)
    assert remote == local


def test_virtuoso_show_matches_local(virtuoso, invoke):
    assert invoke("show", "Gleevec", "--format", "json", "--endpoint", virtuoso).output == \
        invoke("show", "Gleevec", "--format", "json").output
