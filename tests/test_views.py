"""The Oxigraph store behind every reader (issues 8 and 13): the same triples as rdflib parses, the same answers
read pattern by pattern or from a snapshot, never stale, never half-built."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tkigraph
from tkigraph.explainer.render import to_dict
from tkigraph.namespaces import TKG, expand_iri
from tkigraph.storage import oxigraph as oxstore

from .conftest import VIEWS, load_view
from .constants import IMATINIB, MINI_KB, T315I

#: asked pairs covering exact, class, codon, compound (cis, trans, components), fusion, copy-number,
#: efflux, transformation and bypass findings, with and without a disease
PAIRS = [
    ("imatinib", "T315I", {}), ("ponatinib", "T315I", {}), ("asciminib", "T315I", {}),
    ("nilotinib", "Y253H", {}), ("dasatinib", "F317L", {}), ("imatinib", "E255K", {"disease": "CML"}),
    ("ponatinib", "T315I+E255V", {}), ("osimertinib", "T790M/C797S in cis", {}),
    ("osimertinib", "T790M/C797S in trans", {}), ("gefitinib", "T790M", {}), ("erlotinib", "L858R", {}),
    ("osimertinib", "MET amplification", {"disease": "NSCLC"}), ("gefitinib", "exon 19 deletion", {}),
    ("osimertinib", "small-cell transformation", {}), ("lorlatinib", "G1202R", {}), ("crizotinib", "EML4-ALK", {}),
    ("alectinib", "I1171N", {}), ("imatinib", "D816V", {}), ("gilteritinib", "D835", {}), ("imatinib", "ABCB1", {}),
    ("ibrutinib", "C481S", {}), ("selpercatinib", "G810R", {}), ("larotrectinib", "G595R", {}),
]


@pytest.fixture(scope="module")
def kbs():
    """The shipped knowledge base read each way (the store pattern by pattern, its snapshot)."""
    return {view: load_view(view) for view in VIEWS}


@pytest.mark.parametrize("drug,variant,options", PAIRS, ids=[f"{d}-{v}" for d, v, _ in PAIRS])
def test_explain_gives_the_same_answer_on_every_view(kbs, drug, variant, options):
    answers = {view: to_dict(tkigraph.explain(kb, drug, variant, **options)) for view, kb in kbs.items()}
    assert answers["store"]["evidence"], "a pair with evidence, so the comparison means something"
    assert answers["snapshot"] == answers["store"]


def _value(term) -> str:
    """A term as text, numbers by value (Oxigraph writes 325.0 as its canonical 325)."""
    try:
        return repr(float(term))
    except ValueError:
        return str(term)


def test_readers_answer_every_pattern_as_rdflib_parses_the_files(kbs, rdf_graph):
    """rdflib, an independent parser, is the reference: the store holds the same triples (derived ones included)."""
    from rdflib import URIRef

    rdf = rdf_graph
    subjects = sorted({str(s) for s in rdf.subjects() if isinstance(s, URIRef)})[::97]
    predicates = sorted({str(p) for p in rdf.predicates()})
    assert len(subjects) > 20 and len(predicates) > 20
    for view, kb in kbs.items():
        g = kb.graph
        assert len(g) == len(rdf)
        for s in subjects:
            expected = sorted((str(p), _value(o)) for p, o in rdf.predicate_objects(URIRef(s)))
            assert sorted((str(p), _value(o)) for p, o in g.predicate_objects(s)) == expected, (view, s)
        for p in predicates:
            expected = sorted((str(s), _value(o)) for s, o in rdf.subject_objects(URIRef(p)))
            assert sorted((str(s), _value(o)) for s, o in g.subject_objects(p)) == expected, (view, p)


def _answers(g, subjects, predicates, objects) -> list:
    """Every pattern call of the reader, on these terms (each asked twice: the second from memory)."""
    found = []
    for _ in range(2):
        for s in subjects:
            found += [list(g.predicate_objects(s)), [g.value(s, p) for p in predicates],
                      [list(g.objects(s, p)) for p in predicates], [(s, p, o) in g for p in predicates for o in objects]]
        for p in predicates:
            found += [[list(g.subjects(p, o)) for o in objects], [g.value(None, p, o) for o in objects],
                      [list(g.triples((None, p, o))) for o in objects]]
        found += [[list(g.subject_predicates(o)) for o in objects], [list(g.triples((s, None, None))) for s in subjects]]
    return found


@pytest.mark.parametrize("at_most", [1000, 3])
def test_the_remembering_reader_answers_as_the_store(kbs, monkeypatch, at_most):
    """The reader ``matrix`` and a drug's map use (issue 19) gives the store's answers, in its order: IRIs, blank
    nodes and literals (matched by value, as the store does: True, 50.0), asked twice; a subject with more triples
    than it remembers is read from the store each time."""
    from tkigraph import reader

    monkeypatch.setattr(reader, "REMEMBER_AT_MOST", at_most)
    store = kbs["store"]
    assert type(store.graph) is reader.StoreReader
    remembering = store.remembering()
    assert type(remembering.graph) is reader.RememberingReader and remembering.names is store.names
    assert kbs["snapshot"].remembering() is kbs["snapshot"], "a snapshot is already in memory"
    g = store.graph
    subjects = sorted(set(g.subjects(TKG.variant, None)))[::41] + [  # findings (one negated), a drug, a variant
        next(g.subjects(TKG.negated, True)), expand_iri(IMATINIB), expand_iri(T315I), "not an IRI",
        reader.Blank("nothing")]
    predicates = [TKG.variant, TKG.drug, TKG.effect, TKG.negated, TKG.ic50FoldChange, str(expand_iri("rdfs:label")),
                  str(expand_iri("rdf:type")), "no IRI"]
    objects = [None, True, False, 50.0, TKG.Resistant, TKG.Finding, expand_iri(IMATINIB),
               reader.Lit("imatinib", language="en"), reader.Lit("imatinib"), reader.Blank("nothing")]
    assert len(subjects) > 10
    expected = _answers(g, subjects, predicates, objects)
    assert _answers(remembering.graph, subjects, predicates, objects) == expected


def test_literals_keep_their_datatype_and_values():
    kb = load_view("store", str(MINI_KB), include_kb=False)
    fold = kb.graph.value(expand_iri("tkd:F1"), TKG.ic50FoldChange)
    assert fold is not None and float(fold) == 50.0 and fold.datatype.endswith("#decimal")


def _explain(data: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tkigraph", "explain", "alphatinib", "T10I", "--format", "json",
                           "--data", str(data)], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture()
def cache_env(tmp_path):
    env = {**os.environ, "TKIGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("TKIGRAPH_NO_CACHE", None)
    return env


def _mini_copy(tmp_path) -> Path:
    """The mini knowledge base's findings as an extra file over the shipped one."""
    data = tmp_path / "mine.ttl"
    data.write_text(MINI_KB.read_text(encoding="utf-8"), encoding="utf-8")
    return data


def test_an_edited_file_is_seen_on_the_next_explain(tmp_path, cache_env):
    data = _mini_copy(tmp_path)
    first = json.loads(_explain(data, cache_env).stdout)
    assert first["verdict"] == "resistant"
    text = data.read_text(encoding="utf-8")
    assert text.count("tkigraph:effect tkigraph:Resistant") >= 1
    data.write_text(text.replace("tkigraph:effect tkigraph:Resistant", "tkigraph:effect tkigraph:Sensitive"), encoding="utf-8")
    second = json.loads(_explain(data, cache_env).stdout)
    assert second["verdict"] == "sensitive"
    stores = [p for p in (tmp_path / "cache").glob("store-*") if p.is_dir()]
    assert len(stores) == 2, "one store per content"


def test_the_second_call_reopens_the_store_without_parsing(tmp_path, monkeypatch):
    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TKIGRAPH_NO_CACHE", raising=False)
    data = _mini_copy(tmp_path)
    _, folder = oxstore.kb_store([data])
    built = []
    monkeypatch.setattr(oxstore, "_build", lambda *args: built.append(args))
    assert oxstore.kb_store([data])[1] == folder and built == []


def test_a_damaged_store_is_rebuilt(tmp_path, cache_env):
    data = _mini_copy(tmp_path)
    assert _explain(data, cache_env).returncode == 0
    (store,) = [p for p in (tmp_path / "cache").glob("store-*") if p.is_dir()]
    for part in store.iterdir():
        if part.name != "CURRENT":
            part.unlink() if part.is_file() else None
    (store / "CURRENT").write_text("MANIFEST-999999\n")
    result = _explain(data, cache_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] == "resistant"


def test_an_unwritable_cache_directory_only_costs_speed(tmp_path, cache_env):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    result = _explain(_mini_copy(tmp_path), {**cache_env, "TKIGRAPH_CACHE_DIR": str(blocker / "cache")})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] == "resistant"


def test_a_bad_file_leaves_no_store_behind(tmp_path, cache_env):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b \"unclosed .\n", encoding="utf-8")
    result = _explain(bad, cache_env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "bad.ttl:2" in result.stderr and "hint:" in result.stderr
    kept = [p.name for p in (tmp_path / "cache").glob("*")]
    assert kept in ([], ["digests.json"]), "nothing half-built is kept (the shipped files' digests may be)"


def test_two_processes_building_the_same_store_both_succeed(tmp_path, cache_env):
    data = _mini_copy(tmp_path)
    command = [sys.executable, "-m", "tkigraph", "explain", "alphatinib", "T10I", "--data", str(data)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cache_env) for _ in range(3)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert len([p for p in (tmp_path / "cache").glob("store-*") if p.is_dir()]) == 1
    assert not list((tmp_path / "cache").glob(".building-*"))


def test_no_cache_builds_a_private_store(tmp_path, cache_env):
    env = {**cache_env, "TKIGRAPH_NO_CACHE": "1"}
    result = _explain(_mini_copy(tmp_path), env)
    assert result.returncode == 0 and json.loads(result.stdout)["verdict"] == "resistant"
    assert not (tmp_path / "cache").exists()


def test_only_the_newest_stores_are_kept(tmp_path, monkeypatch):
    """Stores of processes that have exited are evicted, the least recently used first (each build below is
    its own process, as each command is; a store this process holds open is never evicted, see below)."""
    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    script = ("import sys\nfrom tkigraph.storage import oxigraph as oxstore\noxstore.KEEP_STORES = 2\n"
              "oxstore.IN_USE_S = 0.0\noxstore.kb_store([sys.argv[1]], include_kb=False)\n")
    for i in range(4):
        data = tmp_path / f"extra{i}.ttl"
        data.write_text(f"<https://w3id.org/tkigraph/kb/x{i}> <http://www.w3.org/2000/01/rdf-schema#label> \"x{i}\" .\n")
        subprocess.run([sys.executable, "-c", script, str(data)], check=True, env=dict(os.environ), timeout=120)
    assert len([p for p in (tmp_path / "cache").glob("store-*") if p.is_dir()]) == 2


def test_a_store_in_use_is_not_removed_under_its_reader(tmp_path, monkeypatch):
    """Two processes sharing a cache: a store another one opened a moment ago survives eviction, and its reader
    still answers (a removed store made such a reader fail with FileNotFoundError)."""
    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(oxstore, "KEEP_STORES", 1)
    first = tmp_path / "first.ttl"
    first.write_text("<https://w3id.org/tkigraph/kb/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" .\n")
    reader, folder = oxstore.kb_store([first], include_kb=False)
    for i in range(3):
        data = tmp_path / f"other{i}.ttl"
        data.write_text(f"<https://w3id.org/tkigraph/kb/o{i}> <http://www.w3.org/2000/01/rdf-schema#label> \"o{i}\" .\n")
        oxstore.kb_store([data], include_kb=False)
    assert folder.is_dir()
    assert len(list(reader.query("SELECT * WHERE { ?s ?p ?o }"))) > 0


def test_a_store_held_open_is_never_removed_however_old(tmp_path, monkeypatch):
    """A long-lived reader (a notebook, the test session's fixtures, `serve`) keeps its store past the two-minute
    rule: an open store holds a shared lock that eviction, here or in another process, respects."""
    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(oxstore, "KEEP_STORES", 1)
    monkeypatch.setattr(oxstore, "IN_USE_S", 0.0)
    first = tmp_path / "first.ttl"
    first.write_text("<https://w3id.org/tkigraph/kb/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" .\n")
    reader, folder = oxstore.kb_store([first], include_kb=False)
    os.utime(folder, (1, 1))  # as if last used long ago
    others = []
    for i in range(3):
        data = tmp_path / f"other{i}.ttl"
        data.write_text(f"<https://w3id.org/tkigraph/kb/o{i}> <http://www.w3.org/2000/01/rdf-schema#label> \"o{i}\" .\n")
        others.append(oxstore.kb_store([data], include_kb=False)[1])
    assert folder.is_dir()
    assert len(list(reader.query("SELECT * WHERE { ?s ?p ?o }"))) > 0
    script = ("import os, sys, fcntl\nfd = os.open(sys.argv[1], os.O_RDWR)\n"
              "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n    print('held')\n")
    held = subprocess.run([sys.executable, "-c", script, str(folder.with_suffix(".lock"))], capture_output=True, text=True)
    assert held.stdout.strip() == "held", "another process sees the lock and would keep the store"


IMPORTS = """
import sys
from click.testing import CliRunner
from tkigraph.cli import cli
result = CliRunner().invoke(cli, sys.argv[1:], catch_exceptions=False)
assert result.exit_code == 0, result.output
heavy = sorted({name.split(".")[0] for name in sys.modules} & {"rdflib", "networkx", "pyvis", "pyshacl"})
print(",".join(heavy))
"""


@pytest.mark.parametrize("args,absent", [
    (["explain", "imatinib", "T315I"], {"rdflib", "networkx", "pyvis", "pyshacl"}),
    (["alternatives", "T315I"], {"rdflib", "networkx", "pyvis", "pyshacl"}),
    (["show", "imatinib"], {"rdflib", "networkx", "pyvis", "pyshacl"}),
    (["render", "-o", "{out}"], {"rdflib", "networkx", "pyvis", "pyshacl"}),
])
def test_fast_paths_do_not_import_heavy_libraries(tmp_path, cache_env, args, absent):
    argv = [a.replace("{out}", str(tmp_path / "graph.html")) for a in args]
    result = subprocess.run([sys.executable, "-c", IMPORTS, *argv], capture_output=True, text=True, env=cache_env,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not set(filter(None, result.stdout.strip().split(","))) & absent


WARM_IMPORTS = """
import sys
from tkigraph.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="tkigraph", standalone_mode=False)
finally:
    print("|" + ",".join(sorted(name for name in sys.modules if name in {
        "pickle", "difflib", "shutil", "tempfile", "importlib.resources", "platformdirs", "rdflib", "networkx"})),
        file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["explain", "imatinib", "T315I"], ["show", "imatinib"], ["stats"]])
def test_a_warm_call_imports_only_what_it_uses(tmp_path, cache_env, args):
    """A warm call (the store built) imports nothing a build, a pickle cache or a failed name needs: every
    command pays for each module it imports (issue 19: start-up is most of a warm call)."""
    env = {**cache_env, "HOME": str(tmp_path / "home")}  # the default data folder, by the XDG rule
    env.pop("TKIGRAPH_DATA_DIR", None)
    env.pop("XDG_DATA_HOME", None)
    subprocess.run([sys.executable, "-m", "tkigraph", *args], capture_output=True, env=env, check=True, timeout=300)
    warm = subprocess.run([sys.executable, "-c", WARM_IMPORTS, *args], capture_output=True, text=True, env=env,
                          timeout=300)
    assert warm.returncode == 0, warm.stderr[-2000:]
    assert warm.stdout.strip(), "the command printed its answer"
    assert warm.stderr.rsplit("|", 1)[-1].strip() == ""


@pytest.mark.parametrize("target", ["ABL1", "EGFR", "ALK"])
def test_matrix_is_the_same_on_every_view(kbs, target):
    from tkigraph.render.matrix import compute

    matrices = {view: compute(kb, target).to_dict() for view, kb in kbs.items()}
    assert len(matrices["store"]["cells"]) > 10
    assert matrices["snapshot"] == matrices["store"]


def test_whole_graph_page_data_is_the_same_on_every_view(kbs):
    from tkigraph.render.network import graph_data, select

    pages = {view: graph_data(kb, select(kb)) for view, kb in kbs.items()}
    assert len(pages["store"]["nodes"]) > 1000
    assert pages["snapshot"] == pages["store"]


def test_show_describes_entities_alike_on_every_view(kbs):
    from tkigraph.describe import describe
    from tkigraph.reader import is_iri

    def numbers_by_value(page: dict) -> dict:
        page["properties"] = {k: [_value(v) for v in values] for k, values in page["properties"].items()}
        return page

    store = kbs["store"]
    nodes = sorted({s for s in store.graph.subjects() if is_iri(s)})[::13]
    assert len(nodes) > 100
    for node in nodes:
        expected = numbers_by_value(describe(store, node))
        assert numbers_by_value(describe(kbs["snapshot"], node)) == expected, node


def test_an_edit_of_the_shipped_knowledge_base_is_seen_on_the_next_explain(tmp_path, monkeypatch, invoke):
    """The cache key covers the curated files themselves, not only --data files."""
    import shutil

    from tkigraph.storage import files as store

    copy = tmp_path / "ontology"
    shutil.copytree(store.ontology_dir(), copy)
    monkeypatch.setattr(store, "ontology_dir", lambda: copy)
    monkeypatch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    first = json.loads(invoke("explain", "imatinib", "T315I", "--format", "json").output)
    finding = {e["finding"]: e for e in first["evidence"]}["tkd:F_BCR-ABL1_T315I_imatinib_1"]
    assert finding["effect"] == "resistant"
    abl = copy / "kb" / "abl.ttl"
    text = abl.read_text(encoding="utf-8")
    marker = "tkd:F_BCR-ABL1_T315I_imatinib_1\n    a tkigraph:Finding ;"
    assert marker in text
    abl.write_text(text.replace(marker, marker + "\n    tkigraph:negated true ;"), encoding="utf-8")
    second = json.loads(invoke("explain", "imatinib", "T315I", "--format", "json").output)
    assert {e["finding"]: e for e in second["evidence"]}["tkd:F_BCR-ABL1_T315I_imatinib_1"]["negated"] is True


def test_a_failed_build_closes_its_store(tmp_path):
    """Else its folder could not be removed cleanly (the database would still be writing to it)."""
    import pyoxigraph as ox

    from tkigraph.errors import InputFileError

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b \"unclosed .\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:  # the error (and its traceback) stays alive, as in a caller
        oxstore._build(tmp_path / "store", [bad], [], True)
    assert len(ox.Store(str(tmp_path / "store"))) == 0  # an open database would hold its lock
    assert "invalid Turtle" in str(caught.value)


def test_cache_command_lists_and_clears_the_stores(tmp_path, cache_env):
    def cache(*args: str) -> dict:
        result = subprocess.run([sys.executable, "-m", "tkigraph", "cache", "--format", "json", *args],
                                capture_output=True, text=True, env=cache_env, timeout=60)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert cache()["entries"] == []
    data = _mini_copy(tmp_path)
    assert _explain(data, cache_env).returncode == 0
    found = {e["kind"]: e for e in cache()["entries"]}
    assert sorted(found) == ["Oxigraph store", "file digests by stat (JSON)", "store name index (JSON)",
                             "store notes (JSON)"]
    entry = found["Oxigraph store"]
    assert entry["bytes"] > 0 and Path(entry["path"]).is_dir()
    assert cache("--clear")["removed"] == 4
    assert cache()["entries"] == [] and not Path(entry["path"]).exists()
    again = _explain(data, cache_env)  # a cleared cache only costs time
    assert again.returncode == 0 and json.loads(again.stdout)["verdict"] == "resistant"


def test_a_renamed_entity_is_found_by_its_new_name_on_the_next_call(tmp_path, cache_env):
    """The name index kept beside a store belongs to that store's content."""
    data = _mini_copy(tmp_path)
    assert _explain(data, cache_env).returncode == 0
    data.write_text(data.read_text(encoding="utf-8").replace('rdfs:label "alphatinib"', 'rdfs:label "omegatinib"'),
                    encoding="utf-8")
    renamed = subprocess.run([sys.executable, "-m", "tkigraph", "explain", "omegatinib", "T10I", "--format", "json",
                              "--data", str(data)], capture_output=True, text=True, env=cache_env, timeout=120)
    assert renamed.returncode == 0, renamed.stderr
    assert json.loads(renamed.stdout)["drug"]["label"] == "omegatinib"
    assert _explain(data, cache_env).returncode == 2  # the old name is gone
