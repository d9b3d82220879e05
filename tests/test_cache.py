"""The persistent graph cache is fast and never stale (issue 8)."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys

import pytest

from tkigraph.rdfterms import TKD, TKG
from tkigraph.storage.cache import cache_dir
from tkigraph.storage.files import load_graph

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
    import tkigraph.storage.files as store
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


def _settled(path, seconds=10):
    """Date the file's modification back, as if written ``seconds`` ago (its change time stays now)."""
    import os
    import time

    past = time.time_ns() - seconds * 10**9
    os.utime(path, ns=(past, past))


def test_a_settled_file_is_hashed_once(tmp_path, monkeypatch):
    import tkigraph.storage.cache as cache

    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "SETTLED", 0.0)  # the change time of a file just written counts as settled
    extra = tmp_path / "extra.ttl"
    extra.write_text(drug_ttl("cachetinib"))
    hashed = []
    real = cache._sha256
    monkeypatch.setattr(cache, "_sha256", lambda path: hashed.append(path) or real(path))
    first = cache.cache_key([extra], ())
    second = cache.cache_key([extra], ())
    assert first == second and hashed == [extra.resolve()]


def test_an_edit_that_keeps_size_and_modification_time_is_seen(tmp_path, monkeypatch):
    import os

    import tkigraph.storage.cache as cache

    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "SETTLED", 0.0)
    extra = tmp_path / "extra.ttl"
    extra.write_text(drug_ttl("cachetinib"))
    _settled(extra)
    before = os.stat(extra)
    first = cache.cache_key([extra], ())
    extra.write_text(drug_ttl("cachetinix"))  # same size
    os.utime(extra, ns=(before.st_atime_ns, before.st_mtime_ns))  # modification time put back
    assert os.stat(extra).st_size == before.st_size
    assert cache.cache_key([extra], ()) != first


def test_a_file_changed_just_now_is_hashed_every_time(tmp_path, monkeypatch):
    import tkigraph.storage.cache as cache

    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    extra = tmp_path / "extra.ttl"
    extra.write_text(drug_ttl("cachetinib"))
    hashed = []
    real = cache._sha256
    monkeypatch.setattr(cache, "_sha256", lambda path: hashed.append(path) or real(path))
    cache.cache_key([extra], ())
    cache.cache_key([extra], ())
    assert len(hashed) == 2  # within SETTLED seconds of its last change: its stat is not trusted yet


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is read without platformdirs on Linux only")
@pytest.mark.parametrize("xdg", [None, "", "relative/dir", "/abs/xdg"])
@pytest.mark.parametrize("home", ["/home/someone", "/home/someone/", "relative-home", None])
def test_user_dirs_are_the_ones_platformdirs_gives(xdg, home):
    """The data and cache folders read by the XDG rule are platformdirs' own (an unusual home is asked of it)."""
    script = ("import json, platformdirs\nfrom tkigraph.storage.userdirs import user_dir\n"
              "def answer(call):\n    try:\n        return str(call())\n    except RuntimeError:\n        return 'refused'\n"
              "print(json.dumps([[answer(lambda: user_dir(k)), answer(lambda: getattr(platformdirs, f'user_{k}_dir')"
              "('tkigraph'))] for k in ('data', 'cache')]))")
    env = {k: v for k, v in os.environ.items() if k not in {"HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"}}
    env.update({k: v for k, v in {"HOME": home, "XDG_DATA_HOME": xdg, "XDG_CACHE_HOME": xdg}.items() if v is not None})
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr[-1000:]
    answers = json.loads(done.stdout)
    assert len(answers) == 2
    for ours, theirs in answers:
        assert ours == theirs
