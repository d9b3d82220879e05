"""Pictures a person reads (issue 17): the resistance map of a drug, the legible network, the matrix as text.

Legibility is measured, twice: in Python on the positions computed before a page
opens, and in headless Chromium on the boxes the browser drew (label boxes do not
overlap, connectors do not cross labels, each group holds its alterations).
Screenshots of each page kind land in pytest's tmp folder, or in
``$TKIGRAPH_ARTIFACTS`` when that is set.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest

import tkigraph
from tkigraph import render
from tkigraph.cli import render as cli_render
from tkigraph.render.drugmap import CATEGORIES, label_boxes, layout
from tkigraph.render.drugmap import compute as compute_map
from tkigraph.render.geometry import (
    contains,
    crossings,
    overlapping_pairs,
    overlaps,
    segment_hits_box,
    text_width,
)
from tkigraph.render.layered import font_sizes, label_box
from tkigraph.render.matrix import compute
from tkigraph.render.matrix_text import LETTERS, to_csv, to_markdown, to_table
from tkigraph.storage.oxigraph import open_kb

from .constants import IMATINIB, T315I
from .test_render import CHROMIUM, PAYLOADS, body_attrs, browser, chromium, embedded

LORLATINIB = "tkd:lorlatinib"
#: the drugs whose default maps must read without one overlapping label (issue 17)
MAP_DRUGS = ["imatinib", "osimertinib", "lorlatinib"]
MECHANISM_OF = {m: key for key, _, ms in CATEGORIES for m in ms}


def node(kb, entity: str):
    """The graph node of a CURIE."""
    from tkigraph.namespaces import expand_iri

    return expand_iri(entity)


@pytest.fixture(scope="module")
def maps(kb):
    return {name: compute_map(kb, name) for name in MAP_DRUGS}


@pytest.fixture()
def cli_kb(monkeypatch, kb):
    monkeypatch.setattr(cli_render, "store_kb", lambda extra=(), source=None, snapshot=False: kb)
    return kb


def artifact(tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("TKIGRAPH_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


# -- geometry ------------------------------------------------------------------------
def test_geometry():
    assert overlaps((0, 0, 10, 10), (9, 9, 5, 5)) and not overlaps((0, 0, 10, 10), (10, 10, 5, 5))
    assert segment_hits_box((0, 0), (10, 10), (4, 4, 2, 2))
    assert not segment_hits_box((0, 0), (10, 0), (0, 0.5, 10, 2))  # runs along the outside
    assert segment_hits_box((5, -5), (5, 5), (0, 0, 10, 2))  # vertical, through
    assert overlapping_pairs([(0, 0, 5, 5), (20, 0, 5, 5), (3, 3, 5, 5)]) == [(0, 2)]
    assert contains((0, 0, 10, 10), (1, 1, 8, 8)) and not contains((0, 0, 10, 10), (5, 5, 8, 8))
    assert text_width("imatinib", 13) < text_width("IMATINIB", 13) < text_width("IMATINIB", 13, bold=True)


# -- the resistance map ----------------------------------------------------------------
@pytest.mark.parametrize("name", MAP_DRUGS)
def test_map_layout_is_legible(maps, name):
    placed = layout(maps[name])
    boxes = label_boxes(placed)
    assert len(boxes) > len(maps[name].items)
    assert overlapping_pairs(boxes) == [], "labels overlap"
    assert crossings([e["points"] for e in placed["edges"]], boxes) == [], "a connector crosses a label"
    groups = [tuple(g["box"]) for g in placed["groups"]]
    assert overlapping_pairs(groups + [tuple(placed["drug"]["box"])]) == []
    for group in placed["groups"]:
        for item in group["items"]:
            assert contains(tuple(group["box"]), tuple(item["box"])), item["text"]
            assert contains(tuple(item["box"]), tuple(item["label_box"]), slack=2), item["text"]
        assert contains(tuple(group["box"]), tuple(group["title_box"]))
    # each connector joins the drug to its group: no connector runs through another group
    for edge in placed["edges"]:
        others = [tuple(g["box"]) for g in placed["groups"] if g["key"] != edge["group"]]
        assert crossings([edge["points"]], others) == [], edge["group"]
    width, height = placed["size"]
    assert width <= 1600 and height <= 1000, "the map fits a 1600x1000 window at full size"


def test_map_groups_alterations_by_mechanism(kb, maps):
    osimertinib = {i.entity.id: i for i in maps["osimertinib"].items}
    assert osimertinib["tkd:EGFR_C797S"].category == "on_target"
    assert osimertinib["tkd:MET_amplification"].category == "bypass"
    imatinib = {i.entity.id: i for i in maps["imatinib"].items}
    assert imatinib[T315I].cell.verdict == "resistant" and imatinib[T315I].gene == "BCR-ABL1"
    assert imatinib[T315I].short == "T315I"
    for name, drug_map in maps.items():
        drug = node(kb, drug_map.drug.id)
        for item in drug_map.items:
            found = [kb.evidence(f) for f in kb.findings_of(variant=node(kb, item.entity.id), drug=drug)]
            mechanisms = {e.mechanism.id for e in found if e.mechanism}
            named = {MECHANISM_OF[m] for m in mechanisms if m in MECHANISM_OF}
            assert item.category in (named or {"other"}), (name, item.entity.label)


def test_map_verdicts_agree_with_explain(kb, maps):
    for name in ("imatinib", "osimertinib"):
        for item in maps[name].items[::2]:
            assert item.cell.verdict == tkigraph.explain(kb, name, item.entity.id).verdict, (name, item.entity.label)


def test_map_shows_alternatives_of_the_class(maps):
    t315i = next(i for i in maps["imatinib"].items if i.entity.id == T315I)
    drugs = {a["drug"] for a in t315i.alternatives}
    assert {"ponatinib", "asciminib"} <= drugs and "imatinib" not in drugs


def test_map_with_disease_keeps_its_findings(kb):
    everything = compute_map(kb, "osimertinib", alternatives=False)
    nsclc = compute_map(kb, "osimertinib", disease="NSCLC", alternatives=False)
    assert nsclc.disease is not None and nsclc.items
    assert {i.entity.id for i in nsclc.items} <= {i.entity.id for i in everything.items}
    page = render.drug_map_html(kb, "osimertinib", disease="NSCLC")
    assert "non-small cell lung" in embedded(page)["meta"]["title"]


def test_map_page_is_self_contained_and_escaped(kb, evil):
    page = render.drug_map_html(kb, "lorlatinib")
    external = r"<script[^>]+src=|<link[^>]+href=|(?:src|href)\s*=\s*[\"']?(?:https?:)?//"
    assert not re.search(external, page, re.IGNORECASE)
    data = embedded(page)
    assert {LORLATINIB} <= {n["id"] for n in data["nodes"]} and data["layout"]["groups"]
    hostile = render.drug_map_html(evil, "tkd:evil_drug")
    for payload in PAYLOADS[:4]:
        assert payload not in hostile
    assert PAYLOADS[0] in embedded(hostile)["meta"]["drug"]["label"]


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    from .test_render import MINI_KB, write_payloads

    path = tmp_path_factory.mktemp("payload-map") / "payload.ttl"
    write_payloads(path)
    return open_kb((str(MINI_KB), str(path)), include_kb=False)


# -- the network -------------------------------------------------------------------------
def test_findings_fold_into_edges(kb):
    data = embedded(render.graph_html(kb, focus="imatinib"))
    assert not [n for n in data["nodes"] if n["type"] == "finding"]
    supported = [e for e in data["edges"] if e.get("findings")]
    assert supported and all(f in data["evidence"] for e in supported for f in e["findings"])
    edge = next(e for e in supported if e["from"] == T315I and e["to"] == IMATINIB)
    assert edge["kind"] == "resistance"
    typed = embedded(render.graph_html(kb, focus="imatinib", types=["drug", "variant", "finding"]))
    assert any(n["type"] == "finding" for n in typed["nodes"])


def test_node_cap_says_what_is_left_out(kb):
    data = embedded(render.graph_html(kb, max_nodes=60))
    assert len(data["nodes"]) == 60
    hidden = data["meta"]["hidden"]
    assert hidden["count"] > 0 and sum(hidden["types"].values()) == hidden["count"]
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    focused = embedded(render.graph_html(kb, focus="BCR-ABL1 T315I", depth=2, max_nodes=20))
    assert T315I in {n["id"] for n in focused["nodes"]}
    assert 'id="note"' in render.graph_html(kb, max_nodes=60)


def test_network_layout_is_fixed_and_labels_do_not_overlap(kb):
    page = render.graph_html(kb, focus="imatinib")
    assert render.graph_html(kb, focus="imatinib") == page  # the same positions every time
    data = embedded(page)
    assert all(isinstance(n["x"], float | int) and isinstance(n["y"], float | int) for n in data["nodes"])
    fonts = font_sizes({n["id"]: n["value"] for n in data["nodes"]})
    boxes = [label_box(n, fonts[n["id"]]) for n in data["nodes"]]
    assert overlapping_pairs(boxes) == []
    columns = {}
    for n in data["nodes"]:
        columns.setdefault(n["type"], set()).add(n["x"])
    assert max(columns["drug"]) < min(columns["variant"]) < max(columns["variant"]) < min(columns["kinase"])


# -- the matrix as text ---------------------------------------------------------------------
def test_matrix_json_agrees_with_explain(runner, cli_kb):
    result = runner.invoke(cli_render.matrix, ["--target", "ABL1", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    drugs = [d["id"] for d in data["drugs"]]
    assert data["rows"] and len(drugs) > 3
    for row in data["rows"]:
        assert set(row["cells"]) == set(drugs)
        for drug, cell in row["cells"].items():
            assert cell["verdict"] == tkigraph.explain(cli_kb, drug, row["variant"]["id"]).verdict, \
                (row["variant"]["label"], drug)


def test_matrix_rows_are_ordered_by_region(kb):
    matrix = compute(kb, "ABL1")
    regions = [matrix.region(v.id) for v in matrix.variants]
    blocks = [r for n, r in enumerate(regions) if n == 0 or regions[n - 1] != r]
    assert len(blocks) == len(set(blocks)), "each region is one block of rows"
    assert blocks.index("P-loop (glycine-rich loop)") < blocks.index("gatekeeper") < blocks.index("activation loop")
    assert regions[[v.id for v in matrix.variants].index(T315I)] == "gatekeeper"


def test_matrix_table_is_plain_when_piped(runner, cli_kb, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = runner.invoke(cli_render.matrix, ["--target", "ABL1"], catch_exceptions=False)
    assert result.exit_code == 0 and "\x1b[" not in result.output
    t315i = next(line for line in result.output.splitlines() if "BCR-ABL1 T315I " in line)
    letters = t315i.split("T315I", 1)[1].split()
    assert letters[0] == "R" and set(letters) <= {"R", "r", "S", ".", "R*", "r*", "S*"}  # imatinib comes first
    assert "R resistant" in result.output
    matrix = compute(cli_kb, "ABL1")
    assert "\x1b[97;41m" in to_table(matrix, colour=True)


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    class Terminal:
        @staticmethod
        def isatty():
            return True

    monkeypatch.setattr("sys.stdout", Terminal())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_render.colour_wanted()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli_render.colour_wanted()


def test_matrix_csv_and_markdown(kb):
    matrix = compute(kb, "ABL1")
    rows = to_csv(matrix).splitlines()
    assert rows[0].startswith("region,variant,variant_id,imatinib")
    assert len(rows) == len(matrix.variants) + 1
    markdown = to_markdown(matrix)
    assert "| region | variant | imatinib |" in markdown
    assert "| gatekeeper | BCR-ABL1 T315I | R |" in markdown
    assert set(LETTERS) == {"resistant", "reduced_sensitivity", "sensitive", "no_evidence"}
    assert markdown.rstrip().endswith("R resistant · r reduced sensitivity · S sensitive · . no evidence · \\* conflicting evidence")


def test_every_verdict_has_one_style_that_tells_it_apart():
    """One table says how each verdict looks (issue 13); within each of its columns no two verdicts look alike."""
    from tkigraph.explainer.style import VERDICT_STYLE
    from tkigraph.explainer.verdict import Verdict

    assert list(VERDICT_STYLE) == list(Verdict), "give the new verdict a row in explainer/style.py"
    for column in ("words", "label", "letter", "row_letter", "colour", "tint", "terminal", "ansi", "severity"):
        values = [getattr(style, column) for style in VERDICT_STYLE.values()]
        assert len(set(values)) == len(values), f"two verdicts share a {column} in explainer/style.py: {values}"


def test_matrix_png_option(runner, cli_kb, tmp_path):
    result = runner.invoke(cli_render.matrix, ["--target", "ALK", "--png", str(tmp_path / "alk.png")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "alk.png").read_bytes().startswith(b"\x89PNG")
    assert runner.invoke(cli_render.matrix, ["--target", "ALK", "--png", str(tmp_path / "alk.svg")]).exit_code == 2


# -- the render command chooses the picture ---------------------------------------------
@pytest.mark.parametrize("args, kind", [
    (["--drug", "osimertinib", "--disease", "NSCLC"], "map"),
    (["--focus", "imatinib"], "map"),
    (["--focus", "imatinib", "--view", "graph"], "graph"),
    (["--focus", "imatinib", "--types", "drug,variant"], "graph"),
    (["--focus", "BCR-ABL1 T315I"], "graph"),
])
def test_render_picks_the_map_for_a_drug(runner, cli_kb, tmp_path, args, kind):
    out = tmp_path / "page.html"
    result = runner.invoke(cli_render.render, [*args, "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = embedded(out.read_text(encoding="utf-8"))
    assert ("layout" in data) == (kind == "map")
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_view_map_needs_a_drug(runner, cli_kb, tmp_path):
    result = runner.invoke(cli_render.render, ["--view", "map", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2


# -- in a real browser ------------------------------------------------------------------------
def _boxes(attrs: dict, key: str) -> list:
    return json.loads(html.unescape(attrs[key]))


@browser
@pytest.mark.parametrize("name", MAP_DRUGS)
def test_map_reads_at_a_glance_in_chromium(kb, tmp_path, name):
    page = tmp_path / f"{name}.html"
    render.write_drug_map(kb, page, name)
    dom, console = chromium(tmp_path, page.as_uri(), "--window-size=1600,1000", "--dump-dom")
    attrs = body_attrs(dom)
    assert attrs["data-state"] == "ready" and console == []
    labels = _boxes(attrs, "data-labels")
    boxes = [tuple(b[:4]) for b in labels]
    assert len(boxes) > int(attrs["data-items"])
    assert overlapping_pairs(boxes) == [], [(labels[i], labels[j]) for i, j in overlapping_pairs(boxes)]
    assert crossings(_boxes(attrs, "data-edges"), boxes) == []
    for group in _boxes(attrs, "data-groups"):
        assert group["chips"]
        for chip in group["chips"]:
            assert contains(tuple(group["box"]), tuple(chip[:4])), (group["key"], chip[4])
        inside = [b for b in labels if b[5] == group["key"]]
        assert all(contains(tuple(group["box"]), tuple(b[:4]), slack=1) for b in inside), group["key"]
    assert float(attrs["data-scale"]) >= 0.75, "labels drawn at three quarters of their size or more"
    shot = artifact(tmp_path, f"map_{name}.png")
    chromium(tmp_path, page.as_uri(), "--window-size=1600,1000", f"--screenshot={shot}")
    assert shot.stat().st_size > 20000


@browser
def test_map_opens_evidence_and_shows_alternatives(kb, tmp_path):
    page = tmp_path / "imatinib.html"
    render.write_drug_map(kb, page, "imatinib")
    dom, console = chromium(tmp_path, page.as_uri() + "#item=" + T315I, "--dump-dom")
    assert body_attrs(dom)["data-opened"] == T315I and console == []
    assert "BCR-ABL1 T315I × imatinib" in dom and "ponatinib" in dom and "pubmed.ncbi.nlm.nih.gov" in dom


@browser
@pytest.mark.parametrize("focus", ["imatinib", "BCR-ABL1 T315I"])
def test_network_is_drawn_where_python_put_it(kb, tmp_path, focus):
    page = tmp_path / "graph.html"
    render.write_graph(kb, page, focus=focus, depth=1)
    dom, console = chromium(tmp_path, page.as_uri(), "--window-size=1600,1000", "--dump-dom")
    attrs = body_attrs(dom)
    assert attrs["data-state"] == "ready" and console == []
    assert float(attrs["data-moved"]) <= 1, "nodes moved away from the computed layout (vis rounds to whole px)"
    boxes = [tuple(b[:4]) for b in _boxes(attrs, "data-boxes")]
    assert len(boxes) == int(attrs["data-nodes"])
    assert overlapping_pairs(boxes) == []


@browser
@pytest.mark.parametrize("kind", ["map", "graph", "whole", "matrix"])
def test_screenshot_of_each_page_kind(kb, tmp_path, kind):
    page = tmp_path / f"{kind}.html"
    if kind == "map":
        render.write_drug_map(kb, page, "osimertinib", disease="NSCLC")
    elif kind == "graph":
        render.write_graph(kb, page, focus="BCR-ABL1 T315I", depth=2)
    elif kind == "whole":
        render.write_graph(kb, page)
    else:
        render.write_matrix(kb, page, "EGFR")
    shot = artifact(tmp_path, f"page_{kind}.png")
    chromium(tmp_path, page.as_uri(), "--window-size=1600,1000", f"--screenshot={shot}")
    from matplotlib.image import imread

    pixels = imread(shot)
    assert pixels.shape[:2] == (1000, 1600)
    assert len({tuple(p) for p in pixels[::20, ::20].reshape(-1, pixels.shape[-1]).tolist()}) > 20  # not blank


def test_chromium_is_found_or_the_browser_tests_say_why():
    assert CHROMIUM is None or Path(CHROMIUM).exists()


@browser
def test_an_edge_unfolds_its_findings(kb, tmp_path):
    page = tmp_path / "imatinib.html"
    render.write_graph(kb, page, focus="imatinib", depth=1)
    data = embedded(page.read_text(encoding="utf-8"))
    edge = next(e for e in data["edges"] if e["from"] == T315I and e["to"] == IMATINIB and e.get("findings"))
    dom, console = chromium(tmp_path, page.as_uri() + "#edge=" + edge["id"], "--dump-dom")
    attrs = body_attrs(dom)
    assert console == [] and attrs["data-expanded"] == edge["id"]
    assert int(attrs["data-drawn-nodes"]) == len(data["nodes"]) + len(edge["findings"])
    assert "BCR-ABL1 T315I → imatinib" in dom and "pubmed.ncbi.nlm.nih.gov" in dom


@browser
def test_map_payloads_run_nothing(evil, tmp_path):
    page = tmp_path / "evil.html"
    render.write_drug_map(evil, page, "tkd:evil_drug")
    dom, console = chromium(tmp_path, page.as_uri() + "#item=tkd:EVILK_X1Y", "--dump-dom")
    attrs = body_attrs(dom)
    assert attrs["data-state"] == "ready" and attrs["data-opened"] == "tkd:EVILK_X1Y"
    assert "data-pwned" not in attrs and console == []


def test_unknown_drug_exits_2(invoke, cli_kb, tmp_path):

    result = invoke("render", "--drug", "notatinib-xyz", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2 and "unknown" in result.output
    assert not (tmp_path / "x.html").exists()


def test_resistance_without_a_mechanism_is_still_drawn(mini):
    from tkigraph.render.drugmap import _category

    class Finding:
        def __init__(self, effect, mechanism=None):
            self.effect, self.mechanism, self.level_rank = effect, mechanism, 4

    class Mechanism:
        id = "tkigraph:TargetDependence"

    assert _category([Finding("resistant")]) == "other"
    assert _category([Finding("sensitive", Mechanism())]) is None
    assert compute_map(mini, "alphatinib", alternatives=False).drug.label == "alphatinib"


@pytest.mark.parametrize("args", [["explain", "imatinib", "no-such-variant-xyz"], ["validate"]])
def test_no_color_silences_every_ansi_colour(runner, monkeypatch, args):
    """https://no-color.org: with NO_COLOR set, no command or error message writes ANSI colour, even to a
    terminal (click's color=True stands for one)."""
    from tkigraph.cli import cli

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in runner.invoke(cli, args, color=True).output
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(cli, args, color=True)
    assert "\x1b[" not in result.output and result.output.strip()


def test_matrix_json_is_indented_json_of_its_dict(kb):
    """``--format json`` writes :func:`to_dict` as ``json.dumps(indent=2)`` does (a faster writer, issue 19)."""
    from tkigraph.render.matrix_text import to_dict, to_json

    for target in ("ABL1", "EGFR"):
        matrix = compute(kb, target)
        assert to_json(matrix) == json.dumps(to_dict(matrix), ensure_ascii=False, indent=2) + "\n"
