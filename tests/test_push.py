"""push and --endpoint (issue 18): a named graph of their own, and credentials.

Against a real Oxigraph server (the one tests/test_sparql.py starts) whose
default graph already holds triples of its own, as Virtuoso's does: push must
replace only tkigraph's named graph, and reading must count only that graph.
Credentials are checked against a loopback stub that demands HTTP Basic,
Digest or a bearer token, and records what it was sent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tkigraph.errors import TkigraphError
from tkigraph.export import ExportSource, dump
from tkigraph.sparql.engine import RemoteEngine, ask_answer
from tkigraph.sparql.remote import (
    DEFAULT_GRAPH,
    Credentials,
    GraphEngine,
    credentials_from,
    push,
    remote_engine,
    store_url_for,
    target_url,
)

from .test_sparql import oxigraph_server  # noqa: F401 (the fixture: a real Oxigraph server on loopback)

#: triples a server keeps for itself in its default graph (Virtuoso: thousands), which tkigraph must not count
SERVER_OWN = b"<urn:server:a> <urn:server:p> <urn:server:b> .\n<urn:server:c> <urn:server:p> \"x\" .\n"
OTHER_GRAPH = "https://example.org/graphs/mine"
PASSWORD = "s3cret-Pa55"


def count(endpoint: str, where: str = "{ ?s ?p ?o }") -> int:
    """Triples matching ``where``, asked of the server directly (not through tkigraph)."""
    query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {where}"}).encode()
    request = urllib.request.Request(endpoint, data=query, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(json.loads(response.read())["results"]["bindings"][0]["n"]["value"])


def put_default_graph(endpoint: str, body: bytes) -> None:
    url = endpoint.replace("/query", "/store") + "?default"
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=30).read()


@pytest.fixture(scope="module")
def server(oxigraph_server):  # noqa: F811 (the imported fixture)
    put_default_graph(oxigraph_server, SERVER_OWN)
    return oxigraph_server


@pytest.fixture(scope="module")
def kb_triples():
    """How many triples tkigraph pushes (the curated knowledge base with its derived triples)."""
    return sum(1 for line in dump("ntriples", ExportSource()).splitlines() if line and not line.startswith(b"#"))


# -- a real Oxigraph server ----------------------------------------------------------------------------------
def test_push_fills_tkigraphs_named_graph_and_leaves_the_servers_own(invoke, server, kb_triples):
    result = invoke("push", "--endpoint", server, "--source", "curated")
    assert result.exit_code == 0, result.output
    assert f"pushed {kb_triples} triples into {DEFAULT_GRAPH}" in result.output
    assert count(server, f"{{ GRAPH <{DEFAULT_GRAPH}> {{ ?s ?p ?o }} }}") == kb_triples
    assert count(server) == 2, "the server's own default graph was touched"


def test_reading_counts_only_the_pushed_graph(invoke, server, kb_triples):
    engine = remote_engine(server)
    assert engine.graph == DEFAULT_GRAPH
    assert int(engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]) == kb_triples
    assert int(RemoteEngine(server).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"]) == 2
    local = invoke("explain", "imatinib", "T315I", "--format", "json").output
    remote = invoke("explain", "imatinib", "T315I", "--format", "json", "--endpoint", server).output
    assert json.loads(remote) == json.loads(local)
    assert invoke("show", "Gleevec", "--format", "json", "--endpoint", server).output == \
        invoke("show", "Gleevec", "--format", "json").output


def test_query_endpoint_reads_the_pushed_graph_or_the_one_named(invoke, server, kb_triples):
    assert invoke("push", "--endpoint", server, "--source", "curated").exit_code == 0
    assert invoke("push", "--endpoint", server, "--source", "curated", "--graph", OTHER_GRAPH).exit_code == 0
    assert push(SERVER_OWN, server, graph=OTHER_GRAPH) == 2
    counting = ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv", "--endpoint", server)
    assert invoke(*counting).output.split() == ["n", str(kb_triples)]
    assert invoke(*counting, "--graph", OTHER_GRAPH).output.split() == ["n", "2"]
    named = invoke("query", "resistance-by-drug", "--param", "drug=imatinib", "--format", "json", "--endpoint", server)
    local = invoke("query", "resistance-by-drug", "--param", "drug=imatinib", "--format", "json", "--source", "curated")
    assert named.exit_code == 0 and _concat_sorted(json.loads(named.output)) == _concat_sorted(json.loads(local.output))
    asked = invoke("query", "ASK { tkd:imatinib a tkigraph:Drug }", "--endpoint", server, "--graph", OTHER_GRAPH)
    assert asked.output.strip() == "false", "--graph did not reach the server"


def _concat_sorted(results: dict) -> dict:
    """SPARQL JSON results with each GROUP_CONCAT value's parts sorted: SPARQL leaves their order to the engine
    (the on-disk server and an in-memory copy list "clinical, in vitro" in either order)."""
    for row in results["results"]["bindings"]:
        for term in row.values():
            if ", " in term["value"]:
                term["value"] = ", ".join(sorted(term["value"].split(", ")))
    return results


def test_show_and_explain_read_the_graph_named(invoke, server):
    assert push(SERVER_OWN, server, graph=OTHER_GRAPH) == 2
    result = invoke("show", "Gleevec", "--endpoint", server, "--graph", OTHER_GRAPH)
    assert result.exit_code == 2 and "Gleevec" in result.output  # not in that graph: unknown name, with a hint
    result = invoke("explain", "imatinib", "T315I", "--endpoint", server, "--graph", OTHER_GRAPH)
    assert result.exit_code == 2


@pytest.mark.parametrize("command", [("query", "ASK {}"), ("explain", "imatinib", "T315I"), ("show", "imatinib")])
@pytest.mark.parametrize("option", [("--graph", OTHER_GRAPH), ("--user", "loader"), ("--token-env", "T")])
def test_remote_options_without_an_endpoint_are_refused(invoke, command, option):
    result = invoke(*command, *option)
    assert result.exit_code == 1 and f"{option[0]} applies to a remote endpoint only" in result.output
    assert "--endpoint URL" in result.output


def test_bad_graph_iri_is_refused_before_any_request(invoke):
    result = invoke("query", "ASK {}", "--endpoint", "http://127.0.0.1:9/query", "--graph", "not an iri")
    assert result.exit_code == 1 and "not an absolute IRI" in result.output


def test_push_into_a_graph_of_ones_choice(invoke, server, kb_triples):
    result = invoke("push", "--endpoint", server, "--source", "curated", "--graph", OTHER_GRAPH)
    assert result.exit_code == 0, result.output
    assert count(server, f"{{ GRAPH <{OTHER_GRAPH}> {{ ?s ?p ?o }} }}") == kb_triples
    engine = remote_engine(server, graph=OTHER_GRAPH)
    assert int(engine.query("ASK { tkd:imatinib a tkigraph:Drug }").boolean)


def test_push_replaces_the_graph_it_names(server):
    assert push(SERVER_OWN, server, graph=OTHER_GRAPH) == 2
    assert count(server, f"{{ GRAPH <{OTHER_GRAPH}> {{ ?s ?p ?o }} }}") == 2


def test_push_into_the_default_graph_when_asked(invoke, server, kb_triples):
    try:
        result = invoke("push", "--endpoint", server, "--source", "curated", "--default-graph")
        assert result.exit_code == 0 and "into the default graph" in result.output
        assert count(server) == kb_triples
    finally:
        put_default_graph(server, SERVER_OWN)


def test_a_store_url_naming_a_graph_is_used_as_it_is(invoke, server):
    store = server.replace("/query", "/store") + "?" + urllib.parse.urlencode({"graph": OTHER_GRAPH})
    result = invoke("push", "--endpoint", server, "--store", store, "--source", "curated")
    assert result.exit_code == 0 and "into the graph that --store names" in result.output
    both = invoke("push", "--endpoint", server, "--store", store, "--graph", DEFAULT_GRAPH)
    assert both.exit_code == 1 and "name the graph once" in both.output


@pytest.mark.parametrize(("args", "says"), [
    (["--graph", "not an iri"], "not an absolute IRI"),
    (["--graph", "https://example.org/a b"], "not an absolute IRI"),
    (["--graph", OTHER_GRAPH, "--default-graph"], "choose one"),
    (["--password-env", "TKG_TEST_PW"], "needs --user"),
    (["--user", "u", "--password-env", "TKG_TEST_UNSET"], "TKG_TEST_UNSET"),
    (["--token-env", "TKG_TEST_UNSET"], "not set"),
    (["--token-env", "T", "--user", "u"], "one way"),
])
def test_bad_options_are_refused_with_a_hint(invoke, args, says):
    result = invoke("push", "--endpoint", "http://127.0.0.1:9/query", *args)
    assert result.exit_code == 1 and says in result.output and "hint:" in result.output
    assert "Traceback" not in result.output


def test_a_password_is_never_an_option_nor_part_of_a_url(invoke):
    assert invoke("push", "--endpoint", "http://127.0.0.1:9/query", "--password", "x").exit_code == 2
    result = invoke("push", "--endpoint", f"http://user:{PASSWORD}@127.0.0.1:9/query")
    assert result.exit_code == 1 and "credentials in the URL" in result.output and PASSWORD not in result.output


def test_graph_store_urls():
    assert store_url_for("http://h:7878/query") == "http://h:7878/store"
    assert store_url_for("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud"
    assert store_url_for("http://h:8890/sparql", authenticated=True) == "http://h:8890/sparql-graph-crud-auth"
    assert target_url("http://h:7878/store", None) == "http://h:7878/store?default"
    assert target_url("http://h:7878/store", DEFAULT_GRAPH) == \
        "http://h:7878/store?graph=" + urllib.parse.quote(DEFAULT_GRAPH, safe="")
    assert target_url("http://h:8890/sparql-graph-crud-auth", DEFAULT_GRAPH).startswith(
        "http://h:8890/sparql-graph-crud-auth?graph-uri=https")
    # Virtuoso has no default graph to write (its default graph is the union of all graphs)
    assert target_url("http://h:8890/sparql-graph-crud", None) == target_url("http://h:8890/sparql-graph-crud",
                                                                              DEFAULT_GRAPH)


# -- credentials, against a stub that demands them -------------------------------------------------------------
class _Guarded(BaseHTTPRequestHandler):
    """A Graph Store and query endpoint behind Basic, Digest or bearer authentication."""

    scheme = "basic"
    user, password, token = "loader", PASSWORD, "tok-123"
    received: list[dict] = []
    realm, nonce = "tkigraph-test", "dcd98b7102dd2f0e8b11d0f600bfb0c093"

    def _authorised(self) -> bool:
        given = self.headers.get("Authorization", "")
        if self.scheme == "bearer":
            return given == f"Bearer {self.token}"
        if self.scheme == "basic":
            return given == "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', given.removeprefix("Digest ")))
        if not given.startswith("Digest ") or fields.get("username") != self.user:
            return False
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()
        ha1 = md5(f"{self.user}:{self.realm}:{self.password}")
        ha2 = md5(f"{self.command}:{fields['uri']}")
        expected = md5(f"{ha1}:{self.nonce}:{fields['nc']}:{fields['cnonce']}:{fields['qop']}:{ha2}")
        return fields.get("response") == expected

    def _challenge(self) -> None:
        self.send_response(401)
        if self.scheme == "basic":
            self.send_header("WWW-Authenticate", f'Basic realm="{self.realm}"')
        elif self.scheme == "digest":
            self.send_header("WWW-Authenticate", f'Digest realm="{self.realm}", nonce="{self.nonce}", '
                                                 'qop="auth", algorithm=MD5')
        else:
            self.send_header("WWW-Authenticate", f'Bearer realm="{self.realm}"')
        self.send_header("Content-Length", "12")
        self.end_headers()
        self.wfile.write(b"unauthorised")

    def _serve(self) -> None:
        if self.command == "PUT" and not self._authorised():
            # as Virtuoso does: refuse an unanswered upload before reading it, and hang up, so a
            # client still writing a large body sees "connection reset", never the challenge
            self.received.append({"method": "PUT", "path": self.path, "body": None,
                                  "authorization": self.headers.get("Authorization")})
            self.close_connection = True
            return self._challenge()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.received.append({"method": self.command, "path": self.path, "body": body,
                              "authorization": self.headers.get("Authorization")})
        if not self._authorised():
            return self._challenge()
        if self.command == "HEAD":
            self.send_response(200)
            self.end_headers()
            return None
        if self.command == "PUT":
            self.send_response(204)
            self.end_headers()
            return None
        answer = json.dumps({"head": {}, "boolean": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
        return None

    do_PUT = do_POST = do_HEAD = _serve

    def log_message(self, *args):
        pass


@pytest.fixture()
def guarded():
    """(set the scheme, URL of the query endpoint) of a fresh stub; what it got is in _Guarded.received."""
    _Guarded.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Guarded)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def use(scheme: str) -> str:
        _Guarded.scheme = scheme
        return f"http://127.0.0.1:{httpd.server_address[1]}/query"

    yield use
    httpd.shutdown()
    httpd.server_close()


def _puts():
    return [r for r in _Guarded.received if r["method"] == "PUT"]


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_push_answers_basic_and_digest_challenges(invoke, guarded, monkeypatch, scheme, kb_triples):
    endpoint = guarded(scheme)
    monkeypatch.setenv("TKG_TEST_PW", PASSWORD)
    result = invoke("push", "--endpoint", endpoint, "--source", "curated", "--user", "loader",
                    "--password-env", "TKG_TEST_PW")
    assert result.exit_code == 0, result.output
    asked, *_ = [r for r in _Guarded.received if r["method"] == "HEAD"]
    assert asked["authorization"] is None, "the password went out before the server asked for it"
    [last] = _puts()  # the upload went once, already answered: a server that hangs up on it never saw it twice
    assert last["authorization"].lower().startswith(scheme)
    assert last["path"] == "/store?graph=" + urllib.parse.quote(DEFAULT_GRAPH, safe="")
    assert last["body"].count(b"\n") == kb_triples
    assert PASSWORD not in result.output


def test_push_sends_a_bearer_token(invoke, guarded, monkeypatch):
    endpoint = guarded("bearer")
    monkeypatch.setenv("TKG_TEST_TOKEN", "tok-123")
    result = invoke("push", "--endpoint", endpoint, "--source", "curated", "--token-env", "TKG_TEST_TOKEN")
    assert result.exit_code == 0, result.output
    assert [r["authorization"] for r in _puts()] == ["Bearer tok-123"]
    assert "tok-123" not in result.output


def test_push_asks_for_the_password_without_echoing_it(runner, guarded):
    from tkigraph.cli import cli

    endpoint = guarded("basic")
    result = runner.invoke(cli, ["push", "--endpoint", endpoint, "--source", "curated", "--user", "loader"],
                           input=PASSWORD + "\n", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "password for loader" in result.output and PASSWORD not in result.output


def test_push_without_a_password_to_read_says_how_to_give_one(runner):
    from tkigraph.cli import cli

    result = runner.invoke(cli, ["push", "--endpoint", "http://127.0.0.1:9/query", "--user", "loader"], input="",
                           catch_exceptions=False)
    assert result.exit_code == 1 and "--password-env" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("args", "says"), [
    ([], "pass --user NAME"),
    (["--user", "loader", "--password-env", "TKG_TEST_PW"], "check the user and password"),
])
def test_refused_push_says_what_to_do(invoke, guarded, monkeypatch, args, says):
    endpoint = guarded("basic")
    monkeypatch.setenv("TKG_TEST_PW", "wrong")
    result = invoke("push", "--endpoint", endpoint, "--source", "curated", *args)
    assert result.exit_code == 1 and "HTTP 401" in result.output and says in result.output
    assert "wrong" not in result.output.replace("wrong password", "")


def test_push_to_virtuoso_with_a_user_uses_its_authenticated_graph_store(guarded, kb_triples):
    endpoint = guarded("digest").replace("/query", "/sparql")
    assert push(dump("ntriples"), endpoint, graph=DEFAULT_GRAPH,
                auth=Credentials("loader", PASSWORD)) == kb_triples
    assert _puts()[-1]["path"] == "/sparql-graph-crud-auth?graph-uri=" + urllib.parse.quote(DEFAULT_GRAPH, safe="")


def test_reading_sends_the_graph_and_the_credentials(guarded):
    endpoint = guarded("basic")
    engine = GraphEngine(endpoint, graph=OTHER_GRAPH, auth=Credentials("loader", PASSWORD))
    assert engine.query("ASK { ?s ?p ?o }").boolean is True
    form = urllib.parse.parse_qs(_Guarded.received[-1]["body"].decode())
    assert form["default-graph-uri"] == [OTHER_GRAPH] and "ASK" in form["query"][0]
    assert _Guarded.received[-1]["authorization"].startswith("Basic ")


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_query_endpoint_answers_the_challenge_and_sends_the_graph(invoke, guarded, monkeypatch, scheme):
    endpoint = guarded(scheme)
    monkeypatch.setenv("TKG_TEST_PW", PASSWORD)
    result = invoke("query", "ASK { ?s ?p ?o }", "--endpoint", endpoint, "--graph", OTHER_GRAPH,
                    "--user", "loader", "--password-env", "TKG_TEST_PW")
    assert result.exit_code == 0 and result.output.strip() == "true", result.output
    last = _Guarded.received[-1]
    assert last["authorization"].lower().startswith(scheme)
    assert urllib.parse.parse_qs(last["body"].decode())["default-graph-uri"] == [OTHER_GRAPH]
    assert PASSWORD not in result.output


def test_query_endpoint_with_a_token_and_without_credentials(invoke, guarded, monkeypatch):
    endpoint = guarded("bearer")
    monkeypatch.setenv("TKG_TEST_TOKEN", "tok-123")
    result = invoke("query", "ASK {}", "--endpoint", endpoint, "--graph", OTHER_GRAPH, "--token-env", "TKG_TEST_TOKEN")
    assert result.exit_code == 0 and result.output.strip() == "true"
    assert _Guarded.received[-1]["authorization"] == "Bearer tok-123"
    refused = invoke("query", "ASK {}", "--endpoint", endpoint, "--graph", OTHER_GRAPH)
    assert refused.exit_code == 1 and "HTTP 401" in refused.output and "Traceback" not in refused.output


@pytest.mark.parametrize("command", [("query", "ASK {}", "--graph", OTHER_GRAPH), ("push", "--source", "curated")])
def test_credentials_come_from_netrc_when_no_option_gives_them(invoke, guarded, monkeypatch, tmp_path, command):
    endpoint = guarded("basic")
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1\n  login loader\n  password {PASSWORD}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    result = invoke(*command[:1], "--endpoint", endpoint, *command[1:])
    assert result.exit_code == 0, result.output
    assert _Guarded.received[-1]["authorization"].startswith("Basic ") and PASSWORD not in result.output


def test_a_netrc_for_another_host_sends_nothing(monkeypatch, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine example.org login loader password {PASSWORD}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert credentials_from(endpoint="http://127.0.0.1:7878/query") == Credentials()
    assert credentials_from(endpoint="https://example.org/sparql") == Credentials("loader", PASSWORD)
    assert credentials_from("loader", endpoint="https://example.org/sparql") == Credentials("loader", PASSWORD)
    with pytest.raises(TkigraphError, match="no password for --user other"):  # netrc's password is loader's
        credentials_from("other", endpoint="https://example.org/sparql")
    netrc.write_text("mashine example.org")  # a misspelt keyword
    with pytest.raises(TkigraphError, match="cannot read the netrc file"):
        credentials_from(endpoint="https://example.org/sparql")


@pytest.mark.parametrize(("answer", "expected"), [
    ({"head": {}, "boolean": True}, True),
    ({"head": {}, "boolean": False}, False),
    # Virtuoso 7 answers ASK as a SELECT of ?__ASK_RETVAL: one row 1 for true, no row for false
    ({"head": {"link": [], "vars": ["__ASK_RETVAL"]}, "results": {"bindings": [
        {"__ASK_RETVAL": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                          "value": "1"}}]}}, True),
    ({"head": {"link": [], "vars": ["__ASK_RETVAL"]}, "results": {"bindings": []}}, False),
    ({"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": {"type": "literal",
                                                                                      "value": "0"}}]}}, False),
])
def test_ask_answers_in_either_shape(answer, expected):
    assert ask_answer(answer) is expected


def test_ask_without_a_boolean_is_an_error_not_false():
    with pytest.raises(TkigraphError, match="no boolean answer"):
        ask_answer({"head": {"vars": ["x"]}, "results": {"bindings": []}})


def test_credentials_never_show_their_secrets(monkeypatch):
    monkeypatch.setenv("TKG_TEST_PW", PASSWORD)
    credentials = credentials_from("loader", "TKG_TEST_PW")
    assert credentials.password == PASSWORD
    assert PASSWORD not in repr(credentials) and PASSWORD not in str(credentials)
    assert "tok" not in repr(Credentials(token="tok"))


# -- a real Virtuoso, with a user that may write (not anonymous write) -------------------------------------------
@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """(query endpoint, user, password) of Debian's Virtuoso 7 on loopback, with a user granted SPARQL_UPDATE."""
    import shutil
    import subprocess

    from .test_sparql import free_port, wait_for_endpoint
    from .test_virtuoso import INI

    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not isql:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin; .ci/run does it)")
    folder = tmp_path_factory.mktemp("virtuoso-auth")
    isql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(d=folder, isql=isql_port, http=http_port))
    process = subprocess.Popen([server, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        if not wait_for_endpoint(endpoint, 60):
            pytest.fail("Virtuoso did not come up within 60 s")
        setup = (f"DB.DBA.USER_CREATE('loader', '{PASSWORD}'); GRANT SPARQL_UPDATE TO \"loader\"; "
                 "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('loader', 7);")
        subprocess.run([isql, f"127.0.0.1:{isql_port}", "dba", "dba", f"exec={setup}"],
                       check=True, capture_output=True, timeout=60)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.slow
def test_virtuoso_refuses_anonymous_push_and_takes_a_users(invoke, virtuoso, monkeypatch, kb_triples):
    anonymous = invoke("push", "--endpoint", virtuoso, "--source", "curated")
    assert anonymous.exit_code == 1 and "--user" in anonymous.output
    monkeypatch.setenv("TKG_TEST_PW", PASSWORD)
    result = invoke("push", "--endpoint", virtuoso, "--source", "curated", "--user", "loader",
                    "--password-env", "TKG_TEST_PW")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    everything = int(RemoteEngine(virtuoso).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"])
    ours = int(remote_engine(virtuoso).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"])
    assert ours == kb_triples < everything, "Virtuoso's own triples were counted"
    local = invoke("explain", "imatinib", "T315I", "--format", "json").output
    assert json.loads(invoke("explain", "imatinib", "T315I", "--format", "json", "--endpoint", virtuoso).output) == \
        json.loads(local)


@pytest.mark.slow
def test_virtuoso_ask_is_answered_true_and_false(invoke, virtuoso, monkeypatch):
    monkeypatch.setenv("TKG_TEST_PW", PASSWORD)
    assert invoke("push", "--endpoint", virtuoso, "--source", "curated", "--user", "loader",
                  "--password-env", "TKG_TEST_PW").exit_code == 0
    engine = remote_engine(virtuoso)
    assert engine.query("ASK { tkd:imatinib a tkigraph:Drug }").boolean is True
    assert engine.query("ASK { tkd:imatinib a tkigraph:Variant }").boolean is False
    assert RemoteEngine(virtuoso).query("ASK { ?s ?p ?o }").boolean is True
    assert invoke("query", "ASK { tkd:imatinib a tkigraph:Drug }", "--endpoint", virtuoso).output.strip() == "true"
    assert invoke("query", "ASK { tkd:imatinib a tkigraph:Variant }", "--endpoint", virtuoso).output.strip() == "false"


@pytest.mark.slow
def test_virtuoso_reads_behind_digest_with_a_user(invoke, virtuoso, monkeypatch, kb_triples):
    """Virtuoso's /sparql-auth demands HTTP Digest: query, explain and show read there as the user."""
    monkeypatch.setenv("TKG_TEST_PW", PASSWORD)
    assert invoke("push", "--endpoint", virtuoso, "--source", "curated", "--user", "loader",
                  "--password-env", "TKG_TEST_PW").exit_code == 0
    guarded = virtuoso + "-auth"
    login = ("--user", "loader", "--password-env", "TKG_TEST_PW")
    refused = invoke("query", "ASK {}", "--endpoint", guarded)
    assert refused.exit_code == 1 and "HTTP 401" in refused.output and "Traceback" not in refused.output
    counted = invoke("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv",
                     "--endpoint", guarded, *login)
    assert counted.exit_code == 0, counted.output
    assert counted.output.split() == ["n", str(kb_triples)], "Virtuoso's own triples were counted"
    assert PASSWORD not in counted.output
    local = json.loads(invoke("explain", "imatinib", "T315I", "--format", "json", "--source", "curated").output)
    remote = invoke("explain", "imatinib", "T315I", "--format", "json", "--endpoint", guarded, *login)
    assert json.loads(remote.output) == local
    assert invoke("show", "Gleevec", "--format", "json", "--endpoint", guarded, *login).output == \
        invoke("show", "Gleevec", "--format", "json", "--source", "curated").output
