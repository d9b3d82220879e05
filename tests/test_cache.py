"""The persistent graph cache is fast and never stale (issue 8)."""

from __future__ import annotations

import pickle

from tkigraph.cache import cache_dir
from tkigraph.rdfterms import TKD, TKG
from tkigraph.store import load_graph

from .constants import MINI_KB


def drug_ttl(label: str) -> str:
    return ("@prefix tkigraph: <https://w3id.org/tkigraph/ontology#> .\n@prefix tkd: <https://w3id.org/tkigraph/kb/> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            f'tkd:cachetinib a tkigraph:Drug ; rdfs:label "{label}" .\n')


def test_edited_file_is_seen_on_the_next_load(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(drug_ttl("cachetinib"))
    first = load_graph([extra], include_kb=False)
    assert str(first.value(TKD.cachetinib, first.namespace_manager.expand_curie("rdfs:label"))) == "cachetinib"
    extra.write_text(drug_ttl("cachetinib edited"))
    second = load_graph([extra], include_kb=False)
    assert str(second.value(TKD.cachetinib, second.namespace_manager.expand_curie("rdfs:label"))) == "cachetinib edited"


def test_second_load_comes_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    load_graph([MINI_KB], include_kb=False)
    files = list((tmp_path / "cache").glob("graph-*.pickle"))
    assert len(files) == 1
    calls = []
    import tkigraph.store as store
    monkeypatch.setattr(store, "parse_into", lambda *a: calls.append(a))
    graph = load_graph([MINI_KB], include_kb=False)
    assert calls == [] and (TKD.F1, TKG.effect, TKG.Resistant) in graph
    assert (TKD["PARTY-KINX_T10I"], TKG.confersResistanceTo, TKD.alphatinib) in graph  # derived triples kept


def test_a_corrupt_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    load_graph([MINI_KB], include_kb=False)
    (cached,) = (tmp_path / "cache").glob("graph-*.pickle")
    cached.write_bytes(b"not a pickle")
    graph = load_graph([MINI_KB], include_kb=False)
    assert (TKD.F1, TKG.effect, TKG.Resistant) in graph
    assert isinstance(pickle.loads(cached.read_bytes()), type(graph))


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TKIGRAPH_NO_CACHE", "1")
    load_graph([MINI_KB], include_kb=False)
    assert not (tmp_path / "cache").exists()
    assert cache_dir() == tmp_path / "cache"
