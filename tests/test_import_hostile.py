"""Hostile rows never brick the graph: each is rejected with its line and reason, or made safe (issue 20)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from tkigraph.errors import TkigraphError
from tkigraph.rdfterms import PROV, PUBMED, TKD, TKG
from tkigraph.sources.civic import import_file
from tkigraph.sources.safe import MAX_FIELD_CHARS, UnsafeTerm, guarded_graph, safe_url

from .test_civic import CURRENT_HEADER, OLD_HEADER, current_row, old_row, write

NUL, ESC, DEL, NEL, RLO, LRI = "\x00", "\x1b", "\x7f", "\x85", "\u202e", "\u2066"
QUOTES = 'He said """stop""" and \'\'\'go\'\'\' \\ "quoted" \\n not a newline'

#: (evidence id, fields, expected: "imported" or a fragment of the reject reason) in the 2018 layout
OLD_CORPUS = [
    ("900101", {"evidence_statement": f"NUL{NUL}here"}, "U+0000"),
    ("900102", {"disease": f"Lung{ESC}[31m cancer"}, "U+001B"),
    ("900103", {"citation": f"Pao et al., 2005, {RLO}gnitsop"}, "U+202E"),
    ("900104", {"drugs": f"Erlotinib{LRI}"}, "U+2066"),
    ("900105", {"variant": f"T790M{DEL}"}, "U+007F"),
    ("900106", {"evidence_statement": f"next{NEL}line"}, "U+0085"),
    ("900107", {"evidence_civic_url": "https://civic.example/evidence/1>x"}, "imported"),
    ("900108", {"evidence_civic_url": "https://civic.example/evidence/ 2 3"}, "imported"),
    ("900109", {"evidence_civic_url": "javascript:alert(1)"}, "not an http(s) URL"),
    ("900110", {"doid": "3908> <urn:x"}, "doid '3908> <urn:x' is not a number"),
    ("9001>11", {}, "is not a number"),
    ("900112", {"gene": "EG FR> <urn:x", "variant": "T790M"}, "is not a gene symbol"),
    ("900120", {"variant": "T790M> <urn:x \"q\""}, "imported"),
    ("900113", {"evidence_statement": QUOTES}, "imported"),
    ("900114", {"evidence_statement": "x" * (MAX_FIELD_CHARS + 1)}, "characters long"),
    ("900115", {"evidence_statement": "long " * 3000}, "imported"),
    ("900116", {"citation": "<!DOCTYPE html><html>"}, "DOCTYPE"),
    ("900117", {"evidence_civic_url": "https://civic.example/a%zz\"{b}|c"}, "imported"),
    ("900118", {"pubmed_id": "99999999", "evidence_civic_url": "ftp://x/y"}, "not an http(s) URL"),
    ("900119", {"phenotypes": f"unused column{NUL}"}, "U+0000"),
]

#: the same in the 2022 molecular-profile layout
CURRENT_CORPUS = [
    ("910101", {"molecular_profile": f"EGFR T790M{RLO}"}, "U+202E"),
    ("910102", {"source_type": "ASCO", "citation_id": "1 > <urn:x>"}, "imported"),
    ("910103", {"therapies": f"Osimertinib, {ESC}Erlotinib", "therapy_interaction_type": "Substitutes"}, "U+001B"),
    ("910104", {"doid": "DOID:3908"}, "imported"),
    ("910105", {"evidence_civic_url": "https://civicdb.org/links/evidence_items/910105\u00a0<script>"}, "imported"),
]


def corpus_file(tmp_path):
    """The two hostile files (each row cites its own PubMed id, so no row merges into another)."""
    old = write(tmp_path / "hostile_2018.tsv", OLD_HEADER,
                [old_row(evidence_id=eid, **{"pubmed_id": eid[:6], **fields}) for eid, fields, _ in OLD_CORPUS])
    new = write(tmp_path / "hostile_2022.tsv", CURRENT_HEADER,
                [current_row(evidence_id=eid, **{"citation_id": eid, **fields}) for eid, fields, _ in CURRENT_CORPUS])
    return old, new


@pytest.mark.parametrize("layout", [0, 1])
def test_each_hostile_row_is_rejected_with_its_line_or_made_safe(kb, tmp_path, layout):
    corpus = (OLD_CORPUS, CURRENT_CORPUS)[layout]
    graph, account = import_file(corpus_file(tmp_path)[layout], kb)
    assert account.balanced() and account.rows_read == len(corpus)
    reasons = {r.line: r.reason for r in account.rejected}
    for line, (eid, _, expected) in enumerate(corpus, 2):
        if expected == "imported":
            assert line not in reasons, f"line {line} (EID {eid}) was rejected: {reasons.get(line)}"
            assert (TKD[f"civic_EID{eid}_1"], TKG.variant, None) in graph, f"EID {eid} gave no finding"
        else:
            assert expected in reasons.get(line, ""), f"line {line} (EID {eid}): {reasons.get(line)!r}"
    for reason in reasons.values():  # a reason never carries the raw hostile character itself
        assert not any(c in reason for c in (NUL, ESC, DEL, NEL, RLO, LRI))


def test_urls_are_percent_encoded_and_quotes_survive(kb, tmp_path):
    graph, _ = import_file(corpus_file(tmp_path)[0], kb)
    assert graph.value(TKD.civic_EID900107_1, PROV.wasDerivedFrom) == URIRef("https://civic.example/evidence/1%3Ex")
    assert graph.value(TKD.civic_EID900108_1, PROV.wasDerivedFrom) == URIRef("https://civic.example/evidence/%202%203")
    assert str(graph.value(TKD.civic_EID900113_1, TKG.statement)) == QUOTES
    assert (PUBMED["99999999"], None, None) not in graph  # the rejected row's publication was rolled back


def test_after_a_hostile_import_explain_and_stats_still_work(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("TKIGRAPH_DATA_DIR", str(tmp_path / "data"))
    old, new = corpus_file(tmp_path)
    result = invoke("import", "civic", old, "--format", "json")
    assert result.exit_code == 0, result.output
    account = json.loads(result.output)
    expected_rejects = sum(1 for _, _, e in OLD_CORPUS if e != "imported")
    assert account["rejected"] == expected_rejects and account["rows_read"] == len(OLD_CORPUS)
    rejects = (tmp_path / "data" / "sources" / "civic_rejects.tsv").read_text(encoding="utf-8").splitlines()
    assert rejects[0] == "line\tid\treason" and len(rejects) == 1 + expected_rejects
    assert all(len(line.split("\t")) == 3 for line in rejects)
    for args in (("explain", "imatinib", "T315I"), ("stats",), ("explain", "erlotinib", "T790M", "--source", "civic")):
        run = invoke(*args)
        assert run.exit_code == 0, f"{args}: {run.output}"
    assert "resistant" in invoke("explain", "imatinib", "T315I").output.lower()
    second = invoke("import", "civic", new)
    assert second.exit_code == 0 and invoke("stats").exit_code == 0


def test_the_guarded_graph_refuses_what_the_loader_refuses():
    graph = guarded_graph()
    for bad in (Literal(f"a{NUL}"), Literal(f"b{RLO}"), URIRef("https://x.example/a b"), URIRef("https://x/>"),
                URIRef(f"https://x.example/{RLO}")):
        with pytest.raises(UnsafeTerm):
            graph.add((TKD.s, TKG.statement, bad) if isinstance(bad, Literal) else (bad, TKG.drug, TKD.o))
    graph.begin_row()
    graph.add((TKD.s, TKG.statement, Literal("ok")))
    assert graph.rollback_row() and len(graph) == 0
    assert safe_url("http://a.example/x y") == "http://a.example/x%20y"


def test_turtle_the_loader_refuses_is_never_installed(tmp_path, monkeypatch):
    from tkigraph.sources import install

    monkeypatch.setenv("TKIGRAPH_DATA_DIR", str(tmp_path))
    folder = tmp_path / "sources"
    folder.mkdir()
    with pytest.raises(TkigraphError, match="loader refuses"):
        install.check_loadable("civic", "<https://x.example/a> <https://x.example/b> \"\\u202e\" .\n", folder)
    monkeypatch.setenv("TKIGRAPH_MAX_FILE_MB", "0.0001")
    with pytest.raises(TkigraphError, match="more than the loader accepts"):
        install.check_loadable("civic", "# " + "x" * 1000 + "\n", folder)
    assert list(folder.iterdir()) == []  # no check file left behind


# -- whatever the text of a row, the imported Turtle loads ---------------------------------------
HOSTILE_TEXT = st.text(alphabet=st.sampled_from(list("aZ09 <>\"'{}|\\^`%#:/.-_\t;,()") + [NUL, ESC, DEL, NEL, RLO, LRI,
                                                                                             "\u00e9", "\u200b"]),
                       max_size=20)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(*[HOSTILE_TEXT] * 5), min_size=1, max_size=4))
def test_fuzzed_rows_always_give_turtle_the_loader_accepts(tmp_path_factory, kb, rows):
    from tkigraph.sources.storage import loader_accepts

    folder = tmp_path_factory.mktemp("fuzz")
    lines = [current_row(evidence_id=str(930000 + i), molecular_profile=f"EGFR {variant}", disease=disease,
                         doid="" if doid.isalpha() or not doid else doid,
                         evidence_statement=statement, evidence_civic_url=f"https://civicdb.org/{url}")
             for i, (variant, disease, doid, statement, url) in enumerate(rows)]
    lines = [line for line in lines if "\n" not in line and "\r" not in line]
    if not lines:
        return
    path = write(folder / "fuzz.tsv", CURRENT_HEADER, lines)
    graph, account = import_file(path, kb)
    assert account.balanced() and account.rows_read == len(lines)
    turtle = folder / "out.ttl"
    turtle.write_text(graph.serialize(format="longturtle"), encoding="utf-8")
    loader_accepts(turtle)  # raises InputFileError if the loader would refuse it
