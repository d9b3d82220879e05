"""What an import keeps while it reads grows slowly with its file, and says the same as before (issue 19).

Merged identifiers are kept compactly (sources/compact.py), rejected rows past the first few wait
in a temporary file (sources/rejects.py), evidence ids in a sorted array (sources/seen.py), and
the written Turtle is checked by the loader's parsers without keeping their triples.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from tkigraph.errors import InputFileError
from tkigraph.rdfterms import DCTERMS, PROV, RDF, RDFS, TKD, TKG
from tkigraph.sources import rejects, seen
from tkigraph.sources.civic import import_file
from tkigraph.sources.install import rejects_text
from tkigraph.sources.safe import guarded_graph
from tkigraph.sources.storage import loader_accepts
from tkigraph.sources.table import Reject
from tkigraph.storage.files import new_graph
from tkigraph.storage.turtle import canonical_turtle

from .test_civic import HEADER_2021, finding, row_2021, write

FINDING = TKD.civic_EID1_1
PAGE = "https://civicdb.org/links/evidence_items/{}"


def test_compact_triples_read_as_any_other(tmp_path):
    graph, plain = guarded_graph(), new_graph()
    core = [(FINDING, RDF.type, TKG.Finding), (FINDING, DCTERMS.identifier, Literal("EID1")),
            (FINDING, PROV.wasDerivedFrom, URIRef(PAGE.format(1)))]
    more = [(FINDING, DCTERMS.identifier, Literal("EID2")), (FINDING, PROV.wasDerivedFrom, URIRef(PAGE.format(2)))]
    for triple in core:
        graph.add(triple)
    for triple in more:
        assert graph.add_compact(triple)
    assert not graph.add_compact(more[0]) and not graph.add_compact(core[1])  # held already
    graph.add(more[0])  # a plain add of a compact triple does not hold it twice
    for triple in core + more:
        plain.add(triple)
    assert len(graph) == len(plain) == 5 and set(graph) == set(plain)
    assert set(graph.objects(FINDING, DCTERMS.identifier)) == {Literal("EID1"), Literal("EID2")}
    assert more[1] in graph and graph.value(None, PROV.wasDerivedFrom, URIRef(PAGE.format(2))) == FINDING
    assert (FINDING, DCTERMS.identifier, URIRef("EID2")) not in graph  # an IRI is not the literal of that text
    assert canonical_turtle(graph) == plain.serialize(format="longturtle")


def test_a_rolled_back_row_takes_its_compact_triples_with_it():
    graph = guarded_graph()
    graph.add((FINDING, DCTERMS.identifier, Literal("EID1")))
    graph.begin_row()
    graph.add_compact((FINDING, DCTERMS.identifier, Literal("EID2")))
    assert graph.rollback_row()
    assert set(graph) == {(FINDING, DCTERMS.identifier, Literal("EID1"))} and len(graph) == 1


def test_canonical_turtle_is_longturtle_byte_for_byte():
    graph = Graph()
    node, shared = BNode(), BNode()
    graph.add((TKD.imatinib, RDFS.label, Literal("imatinib")))
    graph.add((TKD.imatinib, TKG.hasComponent, node))  # nested: referenced once
    graph.add((node, RDFS.label, Literal("part", lang="en")))
    for subject in (TKD.a, TKD.b):  # referenced twice: written on its own
        graph.add((subject, TKG.drug, shared))
        graph.add((subject, TKG.drug, TKD.imatinib))  # a subject referenced as an object: ordered by count
    graph.add((shared, RDFS.label, Literal("shared")))
    assert canonical_turtle(graph) == graph.serialize(format="longturtle")


def test_merged_copies_list_every_identifier(kb, tmp_path):
    rows = [row_2021(evidence_id=str(920001 + n)) for n in range(5)]  # five copies of one claim
    graph, account = import_file(write(tmp_path / "copies.tsv", HEADER_2021, rows), kb)
    assert (account.imported, account.merged) == (1, 4) and account.balanced()
    assert {str(i) for i in graph.objects(finding("920001"), DCTERMS.identifier)} == {
        f"EID{920001 + n}" for n in range(5)}


def test_rejected_rows_past_the_first_are_all_reported(kb, tmp_path, monkeypatch):
    monkeypatch.setattr(rejects, "KEPT", 3)
    rows = [row_2021(evidence_id=f"9300{n:02d}", evidence_level="Z") for n in range(30)]
    graph, account = import_file(write(tmp_path / "bad.tsv", HEADER_2021, rows), kb)
    assert len(account.rejected) == 30 and account.balanced()
    assert [r.line for r in account.rejected] == list(range(2, 32))
    assert list(account.rejected) == list(account.rejected)  # read again, the same
    assert "rejected 30" in account.summary() and "... and 10 more rejected rows" in account.summary()
    report = rejects_text(account).splitlines()
    assert len(report) == 31 and report[-1].startswith("31\t930029\tevidence_level 'Z'")


def test_rejects_compare_as_a_list(monkeypatch):
    monkeypatch.setattr(rejects, "KEPT", 1)
    kept = rejects.Rejects()
    assert kept == [] and not kept
    for n in (2, 3):
        kept.append(Reject(n, f"reason \t{n}", "id"))
    assert kept == [Reject(2, "reason \t2", "id"), Reject(3, "reason \t3", "id")] and len(kept) == 2


def test_seen_ids_survive_the_merge_into_the_sorted_array(monkeypatch):
    monkeypatch.setattr(seen, "RECENT", 4)
    ids = seen.SeenIds()
    for ident in ("7", "3", "11", "5", "2", "0", "007", "\u0663"):  # leading zeros and Arabic digits stay text
        assert ident not in ids
        ids.add(ident)
    assert all(i in ids for i in ("7", "3", "11", "5", "2", "0", "007", "\u0663"))
    assert "4" not in ids and "07" not in ids and "9" * 30 not in ids


@pytest.mark.parametrize("text", [
    '<https://x.example/a> <https://x.example/b> "\\u202e" .\n',   # a forbidden character, escaped
    '<https://x.example/a[]b> <https://x.example/b> "x" .\n',      # an IRI only rdflib accepts
    '<https://x.example/a> <https://x.example/b> "open .\n',       # a syntax error
    'ex:a ex:b "x" .\n',                                             # an undeclared prefix
])
def test_the_loader_check_refuses_what_loading_refuses(tmp_path, text):
    from tkigraph.storage.files import parse_into

    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError):
        parse_into(new_graph(), path)
    with pytest.raises(InputFileError):
        loader_accepts(path)
