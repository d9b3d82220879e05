"""The graph page and the cross-resistance matrix: counts, escaping, no side effects, and a real browser.

Unit tests read the JSON each page embeds. Browser tests open the pages in
headless Chromium with the network off (``apt-get install -y chromium``); they
skip, saying so, when no Chromium is installed. Screenshots land in pytest's
tmp folder, or in ``$TKIGRAPH_ARTIFACTS`` when that is set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

import tkigraph
from tkigraph import render
from tkigraph.cli import render as cli_render
from tkigraph.errors import UnknownNameError
from tkigraph.graph import neighbourhood, to_networkx
from tkigraph.namespaces import expand_iri as expand
from tkigraph.render.matrix import compute, write
from tkigraph.render.network import graph_page, select
from tkigraph.render.page import Inline, script_json
from tkigraph.storage.oxigraph import open_kb

from .constants import ALPHATINIB, BETATINIB, DELTATINIB, GAMMATINIB, IMATINIB, MINI_KB, T315I

ALPHATINIB_ID, T10I_ID, DISEASE_A = "tkd:alphatinib", "tkd:PARTY-KINX_T10I", "tkd:diseaseA"
KINX = "KINX"

#: labels and statements that would run script if any of them reached the page as markup
PAYLOADS = [
    "<img src=x onerror=\"document.title='PWNED';document.body.setAttribute('data-pwned','img')\">",
    "</script><script>document.title='PWNED';document.body.setAttribute('data-pwned','script')</script>",
    "<svg/onload=\"document.body.setAttribute('data-pwned','svg')\">",
    "\" onmouseover=\"document.body.setAttribute('data-pwned','attr')\" x=\"",
    "@@VIS_JS@@ @@DATA@@ ]]> <!-- \u2028",
]

PAYLOAD_TTL = '''@prefix tkigraph: <https://w3id.org/tkigraph/ontology#> .
@prefix tkd: <https://w3id.org/tkigraph/kb/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
tkd:EVILK a tkigraph:Kinase ; rdfs:label """EVILK {0}""" ; skos:altLabel """{1}""" .
tkd:evil_drug a tkigraph:Drug ; rdfs:label """{0}""" ; skos:altLabel """{1}""", """{3}""" ;
    skos:exactMatch <javascript:document.title='PWNED'> ; tkigraph:inhibits tkd:EVILK .
tkd:EVILK_X1Y a tkigraph:PointSubstitution ; rdfs:label """{2}""" ; tkigraph:variantOf tkd:EVILK ; tkigraph:proteinChange "X1Y" .
tkd:evil_src a tkigraph:Publication ; dcterms:title """{4}""" ; tkigraph:firstAuthor """{0}""" .
tkd:F_evil a tkigraph:Finding ; tkigraph:variant tkd:EVILK_X1Y ; tkigraph:drug tkd:evil_drug ; tkigraph:effect tkigraph:Resistant ;
    tkigraph:evidenceLevel tkigraph:InVitro ; tkigraph:mechanism tkigraph:OnTargetMutation ; tkigraph:ic50FoldChange 12.5 ;
    tkigraph:statement """{1} {2}""" ; dcterms:source tkd:evil_src, <javascript:document.title='PWNED'> .
'''


def write_payloads(path: Path) -> None:
    """Write PAYLOAD_TTL with the payloads escaped as Turtle wants (a quote may not end a long string:
    Oxigraph holds to that, rdflib did not)."""
    escaped = (p.replace("\\", "\\\\").replace('"', '\\"') for p in PAYLOADS)
    path.write_text(PAYLOAD_TTL.format(*escaped), encoding="utf-8")


def embedded(page: str) -> dict:
    """The JSON a page carries in its <script type="application/json">."""
    match = re.search(r'<script type="application/json" id="tkg-data">(.*?)</script>', page, re.S)
    assert match, "the page has no embedded data"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def mini_graph(mini):
    return to_networkx(mini)


@pytest.fixture(scope="module")
def mini_page(mini, mini_graph):
    return graph_page(mini, select(mini, mini_graph))


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    path = tmp_path_factory.mktemp("payload") / "payload.ttl"
    write_payloads(path)
    return open_kb((str(MINI_KB), str(path)), include_kb=False)


@pytest.fixture(scope="module")
def store_snapshot():
    """The shipped knowledge base as the render commands read it: the Oxigraph store's snapshot."""
    return open_kb(snapshot=True)


@pytest.fixture()
def cli_kb(monkeypatch, store_snapshot):
    """Run the commands on the already loaded shipped knowledge base (no reload per test)."""
    monkeypatch.setattr(cli_render, "store_kb", lambda extra=(), source=None, snapshot=False: store_snapshot)
    return store_snapshot


# -- the graph page ---------------------------------------------------------------
def test_page_holds_exactly_the_subgraph(mini, mini_graph, mini_page):
    data = embedded(mini_page)
    assert len(data["nodes"]) == mini_graph.number_of_nodes()
    assert len(data["edges"]) == mini_graph.number_of_edges()
    assert {n["id"] for n in data["nodes"]} == set(mini_graph)


def test_focus_keeps_the_neighbourhood(mini, mini_graph):
    sub = select(mini, mini_graph, focus=expand(ALPHATINIB_ID), depth=1)
    expected = neighbourhood(mini_graph, ALPHATINIB_ID, 1)
    data = embedded(graph_page(mini, sub, focus=ALPHATINIB_ID))
    assert (len(data["nodes"]), len(data["edges"])) == (expected.number_of_nodes(), expected.number_of_edges())
    assert data["meta"]["focus"] == ALPHATINIB_ID


def test_types_and_disease_narrow_the_graph(mini, mini_graph):
    sub = select(mini, mini_graph, types=["drug", "variant"])
    assert {t for _, t in sub.nodes(data="type")} == {"drug", "variant"}
    findings = {n for n, t in select(mini, mini_graph, disease=expand(DISEASE_A)).nodes(data="type") if t == "finding"}
    assert findings == {"tkd:F1", "tkd:F2", "tkd:F3"}


def test_edges_are_coloured_by_effect(mini_page):
    data = embedded(mini_page)
    kinds = {(e["from"], e["predicate"]): e["kind"] for e in data["edges"]}
    assert kinds[(T10I_ID, "tkigraph:confersResistanceTo")] == "resistance"
    assert kinds[(T10I_ID, "tkigraph:retainsSensitivityTo")] == "sensitivity"
    assert kinds[("tkd:F1", "tkigraph:drug")] == "resistance"
    assert kinds[(ALPHATINIB_ID, "tkigraph:inhibits")] == "inhibits"


def test_folded_edges_name_their_strongest_level_in_words(kb):
    """The edge panel reads "strongest evidence: guideline or label", not a raw CURIE (issue 18)."""
    data = embedded(render.graph_html(kb, focus="BCR-ABL1 T315I"))
    levels = {e["level"] for e in data["edges"] if e.get("findings")}
    assert levels and levels <= {"guideline or label", "clinical", "preclinical in vivo", "in vitro"}, levels
    assert "guideline or label" in levels


def test_findings_carry_evidence_with_pubmed_links(kb):
    data = embedded(render.graph_html(kb, focus="BCR-ABL1 T315I"))
    urls = [s["url"] for ev in data["evidence"].values() for s in ev["sources"] if s["url"]]
    assert any(re.fullmatch(r"https://pubmed\.ncbi\.nlm\.nih\.gov/\d+/", u) for u in urls)
    t315i = next(n for n in data["nodes"] if n["id"] == T315I)
    assert t315i["type"] == "variant"


def test_page_has_legend_search_and_no_external_resource(mini_page):
    for element in ('id="search"', 'id="legend-types"', 'id="legend-kinds"', 'id="fit"', 'id="details"'):
        assert element in mini_page
    assert "vis-network" in mini_page and "new vis.Network" in mini_page
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<iframe", mini_page, re.I)
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", mini_page, re.I)


def test_every_payload_is_escaped(evil):
    page = render.graph_html(evil)
    for payload in PAYLOADS[:4]:
        assert payload not in page
    for raw in ("<img src=x", "<svg/onload", "</script><script>document.title"):
        assert raw not in page
    data = embedded(page)
    labels = {n["label"] for n in data["nodes"]}
    assert PAYLOADS[0] in labels  # round-trips as text
    assert script_json({"a": "<&>"}) == '{"a":"\\u003c\\u0026\\u003e"}'
    for script in ("graph.js", "matrix.js"):  # our scripts never parse data as markup
        code = (Path(render.__file__).parent / "templates" / script).read_text(encoding="utf-8")
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", code), script


def test_inline_view_for_notebooks(mini):
    view = render.show_graph(mini, focus=ALPHATINIB)
    shown = view._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and "<script" not in shown
    assert isinstance(render.show_matrix(mini, KINX), Inline)


# -- the matrix ---------------------------------------------------------------------
def test_matrix_agrees_with_explain(mini):
    matrix = compute(mini, KINX)
    assert [d.label for d in matrix.drugs] == [ALPHATINIB, BETATINIB, DELTATINIB, GAMMATINIB]
    assert matrix.cell(T10I_ID, ALPHATINIB_ID).verdict == "resistant"
    assert matrix.cell(T10I_ID, ALPHATINIB_ID).fold == "50×"
    for variant in matrix.variants:
        for drug in matrix.drugs:
            assert matrix.cell(variant.id, drug.id).verdict == tkigraph.explain(mini, drug.id, variant.id).verdict, \
                (variant.label, drug.label)


def test_abl1_matrix_on_the_shipped_graph(kb):
    matrix = compute(kb, "ABL1")
    assert matrix.cell(T315I, IMATINIB).verdict == "resistant"
    assert matrix.cell(T315I, "tkd:ponatinib").verdict == "sensitive"
    for variant in matrix.variants[::5]:
        for drug in matrix.drugs[::2]:
            assert matrix.cell(variant.id, drug.id).verdict == tkigraph.explain(kb, drug.id, variant.id).verdict


def test_the_matrix_judges_every_cell_a_finding_can_reach(kb):
    """Only the cells a finding can reach are judged (issue 19): no verdict of the rule is missed."""
    from tkigraph.namespaces import TKG, curie
    from tkigraph.render.matrix import cell_verdict
    from tkigraph.resolve import Resolver

    matrix = compute(kb, "ABL1")
    genes = Resolver(kb).gene_scope(Resolver(kb).gene("ABL1"))
    variant_of = TKG.variantOf
    variants = {v for g in genes for v in kb.graph.subjects(variant_of, g)}
    drugs = [expand(d.id) for d in matrix.drugs]
    judged = {(curie(v), curie(d)): cell_verdict(kb, v, d).verdict for v in variants for d in drugs[::3]}
    assert judged, "the ABL1 matrix has cells to check"
    for (variant, drug), verdict in judged.items():
        assert matrix.cell(variant, drug).verdict == verdict, (variant, drug)


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".html", b"<!DOCTYPE")])
def test_matrix_formats(mini, tmp_path, suffix, magic):
    out = write(compute(mini, KINX), tmp_path / f"kinx{suffix}")
    assert out.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


# -- the commands -------------------------------------------------------------------
def test_render_writes_only_the_output(runner, cli_kb, tmp_path, monkeypatch):
    cwd, out_dir = tmp_path / "cwd", tmp_path / "out"
    cwd.mkdir()
    out_dir.mkdir()
    monkeypatch.chdir(cwd)
    result = runner.invoke(cli_render.render, ["--focus", "imatinib", "-o", str(out_dir / "g.html")],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert list(cwd.iterdir()) == []
    assert [p.name for p in out_dir.iterdir()] == ["g.html"]
    data = embedded((out_dir / "g.html").read_text(encoding="utf-8"))
    assert IMATINIB in {n["id"] for n in data["nodes"]}


def test_unknown_focus_exits_2(invoke, cli_kb, tmp_path):

    result = invoke("render", "--focus", "notatinib-xyz", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert "unknown" in result.output and not (tmp_path / "x.html").exists()
    with pytest.raises(UnknownNameError):
        render.graph_html(cli_kb, focus="notatinib-xyz")


def test_matrix_command(runner, cli_kb, tmp_path):
    result = runner.invoke(cli_render.matrix, ["--target", "BCR-ABL1", "-o", str(tmp_path / "abl.svg")])
    assert result.exit_code == 0, result.output
    assert "<svg" in (tmp_path / "abl.svg").read_text(encoding="utf-8")
    bad = runner.invoke(cli_render.matrix, ["--target", "ABL1", "-o", str(tmp_path / "abl.pdf")])
    assert bad.exit_code == 2


def test_help_teaches_with_examples(runner):
    for command in cli_render.COMMANDS:
        text = runner.invoke(command, ["--help"]).output
        assert "Examples:" in text and "tkigraph " in text


# -- in a real browser --------------------------------------------------------------
def _chromium() -> str | None:
    for name in (os.environ.get("TKIGRAPH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


CHROMIUM = _chromium()
browser = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: install it with `apt-get install -y chromium`")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars",
         # the network is off: no proxy answers and no host name resolves
         "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--host-resolver-rules=MAP * ~NOTFOUND"]


def chromium(tmp_path: Path, url: str, *extra: str, budget: int = 15000) -> tuple[str, list[str]]:
    """Run headless Chromium on ``url``: (its output, the console messages it logged)."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                           f"--virtual-time-budget={budget}", *extra, url],
                          capture_output=True, text=True, timeout=120)
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return proc.stdout, console


def body_attrs(dom: str) -> dict:
    tag = re.search(r"<body([^>]*)>", dom)
    assert tag, dom[:500]
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag.group(1)))


@browser
def test_graph_draws_in_chromium(mini, mini_page, tmp_path):
    page = tmp_path / "mini.html"
    page.write_text(mini_page, encoding="utf-8")
    dom, console = chromium(tmp_path, page.as_uri(), "--dump-dom")
    data = embedded(mini_page)
    attrs = body_attrs(dom)
    assert attrs["data-state"] == "ready"
    assert "<canvas" in dom
    assert (int(attrs["data-nodes"]), int(attrs["data-edges"])) == (len(data["nodes"]), len(data["edges"]))
    assert console == []


@browser
def test_search_finds_a_node(mini_page, tmp_path):
    page = tmp_path / "mini.html"
    page.write_text(mini_page, encoding="utf-8")
    dom, console = chromium(tmp_path, page.as_uri() + "#find=Alphavex", "--dump-dom")
    assert body_attrs(dom)["data-found"] == ALPHATINIB_ID
    assert ">alphatinib</h3>" in dom and console == []


@browser
def test_screenshot(kb, tmp_path):
    page = tmp_path / "imatinib.html"
    render.write_graph(kb, page, focus="imatinib")
    shot = Path(os.environ.get("TKIGRAPH_ARTIFACTS", tmp_path)) / "render_imatinib.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    chromium(tmp_path, page.as_uri(), "--window-size=1400,900", f"--screenshot={shot}")
    from matplotlib.image import imread

    pixels = imread(shot)
    assert pixels.shape[0] >= 800
    assert len({tuple(p) for p in pixels[::20, ::20].reshape(-1, pixels.shape[-1]).tolist()}) > 20  # not blank


@browser
@pytest.mark.parametrize("kind", ["graph", "matrix"])
def test_payloads_run_nothing(evil, tmp_path, kind):
    page = tmp_path / f"{kind}.html"
    if kind == "graph":
        render.write_graph(evil, page)
        fragment = "#find=" + quote(PAYLOADS[0])  # open the payload's card in the side panel too
    else:
        render.write_matrix(evil, page, "tkd:EVILK")
        fragment = "#cell=" + quote("tkd:EVILK_X1Y|tkd:evil_drug")
    dom, console = chromium(tmp_path, page.as_uri() + fragment, "--dump-dom")
    attrs = body_attrs(dom)
    assert attrs["data-state"] == "ready"
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert "data-pwned" not in attrs and title.strip() != "PWNED"  # a payload that ran would have set these
    assert attrs.get("data-found", attrs.get("data-opened"))  # the card with the payloads was shown
    assert console == []


# -- citations on the pages (issue 14) ------------------------------------------------
@pytest.fixture(scope="module")
def rules_page():
    from .constants import DATA

    rules = open_kb((str(MINI_KB), str(DATA / "mini_rules.ttl")), include_kb=False)
    return render.graph_html(rules, focus="PARTY-KINX D30H")


def test_page_evidence_carries_link_date_and_kind(rules_page, kb):
    """Issue 14 (wording and citations): every citation on a page carries its https link and full date,
    as the text, markdown and JSON of explain do; the Iclusig label (tkd:label_ponatinib_FDA) is a label."""
    sources = [s for ev in embedded(rules_page)["evidence"].values() for s in ev["sources"]]
    dated = next(s for s in sources if s["id"] == "tkd:src4")
    assert (dated["url"], dated["date"], dated["kind"]) == ("https://example.org/src4", "2019-05-14", "publication")
    shipped = embedded(render.graph_html(kb, focus="BCR-ABL1 T315I"))
    kinds = {s["id"]: s["kind"] for ev in shipped["evidence"].values() for s in ev["sources"]}
    assert kinds["tkd:label_ponatinib_FDA"] == "label"
    assert all(s["date"] for ev in shipped["evidence"].values() for s in ev["sources"] if s["id"].startswith("pubmed:"))


COMMON_JS = Path(tkigraph.__file__).parent / "render" / "templates" / "common.js"
DOM_STUB = """
function Node(tag) { this.tag = tag; this.children = []; this.textContent = ""; }
Node.prototype.appendChild = function (c) { this.children.push(c); return c; };
var document = { createElement: function (t) { return new Node(t); },
                 createTextNode: function (t) { var n = new Node("#text"); n.textContent = t; return n; } };
function flat(n) { return [n].concat.apply([n], n.children.map(flat)); }
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="no node.js")
def test_evidence_block_links_each_citation_and_shows_its_date(rules_page, tmp_path):
    """Issue 14 (wording and citations): the evidence panel of the graph, matrix and map pages (common.js)
    links each source to its https address and shows its full date; a non-https address is never a link."""
    ev = next(e for e in embedded(rules_page)["evidence"].values()
              if any(s["id"] == "tkd:src4" for s in e["sources"]))
    ev = {**ev, "sources": [*ev["sources"], {"id": "x:1", "citation": "Bad 2001", "url": "javascript:alert(1)",
                                             "date": "2001", "kind": "publication"},
                            {"id": "tkd:label_x", "citation": "X label", "url": "https://example.org/label",
                             "date": "2012-12-14", "kind": "label"}]}
    script = tmp_path / "block.js"
    script.write_text(DOM_STUB + COMMON_JS.read_text(encoding="utf-8") + f"""
var nodes = flat(TKG.evidenceBlock({json.dumps(ev)}));
console.log(JSON.stringify(nodes.map(function (n) {{ return [n.tag, n.textContent, n.href || null]; }})));
""", encoding="utf-8")
    out = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60, check=True).stdout
    nodes = json.loads(out)
    links = {text: href for tag, text, href in nodes if tag == "a"}
    assert any(href == "https://example.org/src4" and "tkd:src4" in text for text, href in links.items())
    assert not any("Bad 2001" in text for text in links)  # shown as text, not as a link
    texts = [text for _, text, _ in nodes]
    assert any("2019-05-14" in text for text in texts)
    assert " · 2012-12-14" in texts  # a date the citation does not name is shown beside it
    assert " · 2001" not in texts  # the year is already in the citation
