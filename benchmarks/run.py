"""Benchmarks: whole-process timings of tkigraph beside bare baselines, as ratios.

``python benchmarks/run.py`` measures, as medians over repeated whole-process
runs, with peak RSS from ``os.wait4``:

* ``tkigraph --help`` against ``python -c "import click"``;
* ``tkigraph explain`` on the shipped knowledge base and on synthetic graphs
  against a bare pyoxigraph script that loads the same Turtle and answers the
  same question (the findings of one variant x drug pair);
* ``tkigraph query`` of three named queries against pyoxigraph running the
  same query text;
* loading (``tkigraph query 'ASK {}' --data FILE``) against pyoxigraph's bulk load;
* ``tkigraph render`` of graphs of about 1k, 10k and 50k nodes against a direct
  fill of vis-network's node and edge lists;
* ``tkigraph import civic`` of the real 2018 export, when it is installed, and of a file
  ``--civic-scale`` times larger (100; its rows repeated with new evidence ids, written in the
  temporary folder only) against ``csv.DictReader``;
* the floor of every command (``python -c "import pyoxigraph"``), and for the shipped knowledge
  base and each synthetic size, ``explain``, ``stats``, ``coverage``, ``show``, ``render --focus``,
  ``matrix`` and ``export`` (turtle, ntriples) on a warm store against a bare script that opens a
  store built from the same files by pyoxigraph's bulk loader and the derive rule (``BARE_OPEN``).

Two reference rows say what no Python CLI on the store can beat: the floor of a command (``import click``
and opening the saved store, against opening it alone), and each first call against a bare on-disk build
(bulk load into an on-disk store, derive rule, then the bare question) beside the in-memory bare script.

``--first-calls`` measures only the first-call rows (each in an empty cache) and replaces them
in the results file; ``--commands`` does the same for the per-command rows.

Each per-command row that reads the store call by call (``REPLAYED``) has a second baseline, "the same store
calls": the command is run once in a process that records every ``quads_for_pattern`` and SPARQL query it makes
(``RECORD_CALLS``), and a bare script opens the saved bare store and makes those calls again, reading every
answer (``REPLAY_CALLS``). Beside it, what is left is tkigraph's own work: imports, click, the cache key, turning
answers into Python values, reasoning and writing the output.

tkigraph runs with a private, empty cache directory, so the first ``explain``
on each graph builds the on-disk Oxigraph store (reported on its own row,
"first call") and the repeated runs reopen it, as a user's second call does.
The package is byte-compiled first, as ``pip install`` does.

Each figure and its baseline are measured in alternation (ours, baseline, ours ...), so a
machine whose speed drifts slows both alike. Results go to ``benchmarks/results.json``; ``--update-readme`` rewrites the
table of docs/performance.md between ``<!-- BEGIN benchmarks -->`` and ``<!-- END benchmarks -->``.
Options: ``--sizes 10000,100000,1000000``, ``--repeat 3``, ``--quick`` (one run, small sizes),
``--readme-only`` (rewrite the README table from ``results.json`` without measuring).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import write as generate  # noqa: E402

PY = sys.executable
TKIGRAPH = [PY, "-m", "tkigraph"]


def measure(argv: list[str], repeat: int, env: dict | None = None, cwd: str | None = None) -> dict:
    """Median wall time and max peak RSS of ``repeat`` whole-process runs."""
    times, peaks = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"benchmark command failed: {' '.join(argv)}\n{process.stderr.read().decode()[-2000:]}")
        process.stderr.close()
        times.append(elapsed)
        peaks.append(usage.ru_maxrss / 1024)  # KiB -> MiB on Linux
    return {"seconds": round(statistics.median(times), 3), "peak_rss_mib": round(max(peaks), 1)}


def pair(ours: list[str], baseline: list[str], repeat: int, env: dict | None = None,
         cwd: str | None = None) -> tuple[dict, dict]:
    """Measure tkigraph and its baseline in alternation (ours, baseline, ours, ...), so that a
    machine whose speed drifts during the run slows both alike; medians and peaks of each."""
    runs: tuple[list, list] = ([], [])
    for _ in range(repeat):
        runs[0].append(measure(ours, 1, env, cwd))
        runs[1].append(measure(baseline, 1, None, cwd))
    return tuple({"seconds": round(statistics.median(r["seconds"] for r in side), 3),
                  "peak_rss_mib": max(r["peak_rss_mib"] for r in side)} for side in runs)


BARE_EXPLAIN = r"""
import sys, pyoxigraph as ox
store = ox.Store()
for path in sys.argv[3:]:
    store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
query = '''PREFIX tkigraph: <https://w3id.org/tkigraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?f ?effect ?level ?source WHERE {
  ?d rdfs:label ?dl . FILTER(LCASE(STR(?dl)) = LCASE(STR(?dn)))
  ?v rdfs:label ?vl . FILTER(LCASE(STR(?vl)) = LCASE(STR(?vn)))
  ?f tkigraph:variant ?v ; tkigraph:drug ?d ; tkigraph:effect ?effect ; tkigraph:evidenceLevel ?level .
  OPTIONAL { ?f <http://purl.org/dc/terms/source> ?source }
}'''
rows = list(store.query(query.replace("?dn", '"%s"' % sys.argv[1]).replace("?vn", '"%s"' % sys.argv[2])))
print(len(rows))
"""

BARE_QUERY = r"""
import sys, pyoxigraph as ox
from tkigraph.namespaces import PREFIXES
store = ox.Store()
for path in sys.argv[2:]:
    store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
text = open(sys.argv[1]).read()
print(len(list(store.query(text, prefixes=PREFIXES))))
"""

BARE_LOAD = r"""
import sys, pyoxigraph as ox
store = ox.Store()
for path in sys.argv[1:]:
    store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
print(len(store))
"""

BARE_RENDER = r"""
import json, sys, pyoxigraph as ox
from pathlib import Path
import pyvis
store = ox.Store()
for path in sys.argv[2:]:
    store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
nodes, edges, seen = [], [], {}
for quad in store:
    s, p, o = quad.subject, quad.predicate, quad.object
    if isinstance(s, ox.NamedNode) and s.value not in seen:
        seen[s.value] = len(nodes); nodes.append({"id": s.value, "label": s.value.rsplit("/", 1)[-1]})
    if isinstance(o, ox.NamedNode) and p != ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"):
        edges.append({"from": s.value, "to": o.value, "label": p.value.rsplit("#", 1)[-1]})
lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
html = ("<html><head><style>" + (lib / "vis-network.css").read_text() + "</style><script>" +
        (lib / "vis-network.min.js").read_text() + "</script></head><body><div id=g></div><script>" +
        "new vis.Network(document.getElementById('g'), {nodes: new vis.DataSet(" + json.dumps(nodes) +
        "), edges: new vis.DataSet(" + json.dumps(edges) + ")}, {});</script></body></html>")
Path(sys.argv[1]).write_text(html)
"""


#: the floor of every command: a process that starts Python and imports pyoxigraph
FLOOR = [PY, "-c", "import pyoxigraph"]

#: a bare store built as the issue's baselines expect: bulk load of the same files, derive rule, optimize
BARE_BUILD = r"""
import sys, pyoxigraph as ox
from tkigraph.storage.files import derive_update
store = ox.Store(sys.argv[1])
for path in sys.argv[2:]:
    store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
store.update(derive_update())
store.flush()
store.optimize()
"""

#: bare scripts that open the saved bare store (argv[1]) read-only and do one command's work
_OPEN = "import sys, json, pyoxigraph as ox\nstore = ox.Store.read_only(sys.argv[1])\n"
_PFX = ("PREFIX tkigraph: <https://w3id.org/tkigraph/ontology#>\\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n")
_FIND = ('def find(name):\n    q = "' + _PFX + 'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(LCASE(STR(?l)) = LCASE(%s)) }"\n'
         '    return next(iter(store.query(q % json.dumps(name))))["s"]\n')
BARE_OPEN = {
    "explain": _OPEN + BARE_EXPLAIN.split("store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)\n", 1)[1].replace(
        "sys.argv[1]", "sys.argv[2]#").replace("sys.argv[2])", "sys.argv[3])").replace("sys.argv[2]#", "sys.argv[2]"),
    "stats": _OPEN + (
        'print(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"])\n'
        'for q in ("SELECT ?k (COUNT(*) AS ?n) WHERE { ?s a ?k } GROUP BY ?k",\n'
        '          "SELECT ?k (COUNT(*) AS ?n) WHERE { ?s ?k ?o } GROUP BY ?k"):\n'
        '    print(sorted((r["k"].value, int(r["n"].value)) for r in store.query(q)))\n'),
    "coverage": _OPEN + (
        'for p in ("mechanism", "effect", "evidenceLevel"):\n'
        '    print(list(store.query("' + _PFX + 'SELECT ?k (COUNT(*) AS ?n) WHERE { ?f a tkigraph:Finding ; tkigraph:%s ?k } '
        'GROUP BY ?k" % p)))\n'
        'for c in ("Kinase", "Drug", "Combination", "Variant", "CompoundVariant", "Pathway", "Disease", "Publication"):\n'
        '    print(c, list(store.query("' + _PFX + 'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a tkigraph:%s }" % c)))\n'
        'print(list(store.query("' + _PFX + 'SELECT ?g (COUNT(DISTINCT ?v) AS ?nv) (COUNT(DISTINCT ?d) AS ?nd) '
        '(COUNT(DISTINCT ?f) AS ?nf) WHERE { ?f a tkigraph:Finding ; tkigraph:variant ?v ; tkigraph:drug ?d . '
        'OPTIONAL { ?v tkigraph:variantOf ?g } } GROUP BY ?g")))\n'),
    "show": _OPEN + _FIND + (
        'node = find(sys.argv[2])\n'
        'print([(q.predicate.value, q.object.value) for q in store.quads_for_pattern(node, None, None)])\n'
        'print([(q.subject.value, q.predicate.value) for q in store.quads_for_pattern(None, None, node)])\n'),
    "render --focus": _OPEN + _FIND + (
        'from pathlib import Path\nimport pyvis\n'
        'node = find(sys.argv[2]); nodes, edges = {node.value: 1}, []\n'
        'for q in [*store.quads_for_pattern(node, None, None), *store.quads_for_pattern(None, None, node)]:\n'
        '    if isinstance(q.object, ox.NamedNode):\n'
        '        nodes[q.subject.value] = nodes[q.object.value] = 1\n'
        '        edges.append({"from": q.subject.value, "to": q.object.value, "label": q.predicate.value})\n'
        'lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"\n'
        'Path(sys.argv[3]).write_text("<script>" + (lib / "vis-network.min.js").read_text() + "</script><script>"\n'
        '    + json.dumps([{"id": n} for n in nodes]) + json.dumps(edges) + "</script>")\n'),
    "matrix": _OPEN + (
        'print(list(store.query("' + _PFX + 'SELECT ?vl ?dl ?e WHERE { ?g rdfs:label %s . '
        '{ ?v tkigraph:variantOf ?g } UNION { ?x tkigraph:threePrimePartner ?g . ?v tkigraph:variantOf ?x } '
        '?f tkigraph:variant ?v ; tkigraph:drug ?d ; tkigraph:effect ?e . ?v rdfs:label ?vl . ?d rdfs:label ?dl }" '
        '% json.dumps(sys.argv[2]))))\n'),
    "export turtle": _OPEN + 'store.dump(output=sys.argv[2], format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())\n',
    "export ntriples": _OPEN + 'store.dump(output=sys.argv[2], format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())\n',
}


#: runs one tkigraph command in this process (argv[2:]) and writes every call it made to the store (argv[1], JSON):
#: each ``quads_for_pattern`` with its terms and each SPARQL ``query`` with its text, in order
RECORD_CALLS = r"""
import json, sys
import pyoxigraph as ox
from tkigraph import reader
from tkigraph.cli import cli

calls = []

def term(t):
    if t is None or isinstance(t, ox.DefaultGraph):
        return None if t is None else ["default"]
    if isinstance(t, ox.NamedNode):
        return ["iri", t.value]
    if isinstance(t, ox.BlankNode):
        return ["bnode", t.value]
    return ["lit", t.value, None if t.language else t.datatype.value, t.language]

class Recording:
    def __init__(self, store):
        self._store = store
    def quads_for_pattern(self, *pattern):
        calls.append(["quads", *(term(t) for t in pattern)])
        return self._store.quads_for_pattern(*pattern)
    def query(self, text, **options):
        calls.append(["query", text, options.get("prefixes") or {}])
        return self._store.query(text, **options)
    def __getattr__(self, name):
        return getattr(self._store, name)

opened, selected = reader.StoreReader.__init__, reader.select
reader.StoreReader.__init__ = lambda self, store: opened(self, Recording(store))
reader.select = lambda store, text, **options: selected(Recording(store), text, **options)  # imported when used
try:
    cli.main(sys.argv[2:], prog_name="tkigraph", standalone_mode=False)
finally:
    with open(sys.argv[1], "w") as out:
        json.dump(calls, out)
"""

#: the bare counterpart "runs the same queries": opens the saved bare store (argv[1]) and makes the recorded calls
#: (argv[2]), reading every answer; what is left of a command's time beside it is tkigraph's own work
REPLAY_CALLS = _OPEN + r"""
def term(t):
    if t is None:
        return None
    if t[0] == "iri":
        return ox.NamedNode(t[1])
    if t[0] == "bnode":
        return ox.BlankNode(t[1])
    if t[0] == "default":
        return ox.DefaultGraph()
    return ox.Literal(t[1], language=t[3]) if t[3] else ox.Literal(t[1], datatype=ox.NamedNode(t[2]))
read = 0
for call in json.load(open(sys.argv[2])):
    if call[0] == "quads":
        read += sum(1 for _ in store.quads_for_pattern(*(term(t) for t in call[1:])))
    else:
        answer = store.query(call[1], prefixes=call[2])
        read += 1 if isinstance(answer, bool) else sum(1 for _ in answer)
print(read)
"""

#: the commands whose "same store calls" row is measured (export dumps the store: its bare script is the same work)
REPLAYED = ("explain", "stats", "coverage", "show", "render --focus", "matrix")

def scaled_civic(source: Path, factor: int, target: Path) -> Path:
    """A CIViC export ``factor`` times the size of ``source``: its rows repeated, each copy with new evidence ids."""
    with source.open("rb") as handle:
        header, *rows = handle.read().split(b"\n")
    column = header.split(b"\t").index(b"evidence_id")
    rows = [r for r in rows if r.strip()]
    with target.open("wb") as out:
        out.write(header + b"\n")
        for copy in range(factor):
            for r in rows:
                fields = r.split(b"\t")
                if fields[column].isdigit():
                    fields[column] = str(int(fields[column]) + copy * 10_000_000).encode()
                out.write(b"\t".join(fields) + b"\n")
    return target


#: added to a copy of a rendered page: logs once the page has settled (data-state="ready")
SETTLE_PROBE = ('<script>(function poll() { if (document.body && document.body.dataset.state === "ready") {'
                ' console.log("tkigraph-bench settled " + Math.round(performance.now())); }'
                ' else { setTimeout(poll, 50); } })();</script>')


def settle_seconds(page: Path, work: Path, timeout: float = 120.0) -> float | None:
    """Seconds from navigation until the page in headless Chromium has laid out and frozen its graph.

    Real time, read from the page's own clock (``performance.now()``); None without Chromium.
    """
    import re

    browser = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if browser is None:
        return None
    probe = work / "settle-probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", SETTLE_PROBE + "</body>"), encoding="utf-8")
    profile = Path(tempfile.mkdtemp(prefix="profile-", dir=work))
    process = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", probe.as_uri()],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started, found = time.perf_counter(), None
    try:
        for line in process.stderr:
            match = re.search(r"tkigraph-bench settled (\d+)", line)
            if match:
                found = int(match.group(1)) / 1000
                break
            if time.perf_counter() - started > timeout:
                break
    finally:
        process.kill()
        process.wait()
    return found


def kb_files() -> list[str]:
    from tkigraph.storage.files import kb_files as files

    return [str(p) for p in files()]


def row(name: str, ours: dict, baseline: dict, baseline_name: str) -> dict:
    return {"benchmark": name, "tkigraph_s": ours["seconds"], "baseline": baseline_name,
            "baseline_s": baseline["seconds"], "ratio": round(ours["seconds"] / max(baseline["seconds"], 1e-3), 2),
            "peak_rss_mib": ours["peak_rss_mib"], "baseline_peak_rss_mib": baseline["peak_rss_mib"]}


def command_rows(label: str, data: list[str], names: dict, work: Path, repeat: int, env: dict,
                 record) -> None:
    """Each read command on one graph, beside a bare script doing its work on a saved bare store.

    ``data`` are the extra files (``--data``); ``names`` holds the drug, variant and target to ask about.
    """
    files = [*kb_files(), *data]
    bare_store = work / f"bare-store-{label}"
    scripts = work / "bare"
    scripts.mkdir(exist_ok=True)
    (scripts / "build.py").write_text(BARE_BUILD)
    shutil.rmtree(bare_store, ignore_errors=True)
    subprocess.run([PY, str(scripts / "build.py"), str(bare_store), *files], check=True)
    extra = [arg for path in data for arg in ("--data", path)]
    explain = [*TKIGRAPH, "explain", names["drug"], names["variant"], *extra, "--format", "json"]
    out = work / "out"
    cases = {
        "explain": (explain, [names["drug"], names["variant"]]),
        "stats": ([*TKIGRAPH, "stats", *extra], []),
        "coverage": ([*TKIGRAPH, "coverage", *extra, "--format", "json"], []),
        "show": ([*TKIGRAPH, "show", names["drug"], *extra, "--format", "json"], [names["drug"]]),
        "render --focus": ([*TKIGRAPH, "render", "--focus", names["drug"], "-o", str(out), *extra],
                           [names["drug"], str(out)]),
        "matrix": ([*TKIGRAPH, "matrix", "--target", names["target"], *extra, "--format", "json"], [names["target"]]),
        "export turtle": ([*TKIGRAPH, "export", "--format", "turtle", "-o", str(out), *extra], [str(out)]),
        "export ntriples": ([*TKIGRAPH, "export", "--format", "ntriples", "-o", str(out), *extra], [str(out)]),
    }
    record(row(f"floor: import click + open the saved store, {label}",
               *pair([PY, "-c", "import click\n" + _OPEN, str(bare_store)], [PY, "-c", _OPEN, str(bare_store)], repeat),
               "python: open the saved store"))
    for name, (ours, args) in cases.items():
        script = scripts / (name.replace(" ", "_").replace("-", "") + ".py")
        script.write_text(BARE_OPEN[name])
        measure(ours, 1, env)  # warm: the store (and its name index, snapshot) exist
        record(row(f"{name}, warm, {label}", *pair(ours, [PY, str(script), str(bare_store), *args], repeat, env, str(work)),
                   "pyoxigraph on the saved store"))
        if name in REPLAYED:
            calls = work / "calls.json"
            (scripts / "record.py").write_text(RECORD_CALLS)
            (scripts / "replay.py").write_text(REPLAY_CALLS)
            subprocess.run([PY, str(scripts / "record.py"), str(calls), *ours[len(TKIGRAPH):]], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            record(row(f"{name}, warm, {label}, same store calls",
                       *pair(ours, [PY, str(scripts / "replay.py"), str(bare_store), str(calls)], repeat, env, str(work)),
                       "pyoxigraph: the same store calls"))
    shutil.rmtree(bare_store, ignore_errors=True)


def disk_build(files: list[str], question: list[str], work: Path) -> dict:
    """One bare on-disk build (``BARE_BUILD``: bulk load, derive rule, optimize) and the bare explain on it: what
    the first call's store costs pyoxigraph alone (an on-disk store costs about twice an in-memory load)."""
    scripts = work / "bare"
    scripts.mkdir(exist_ok=True)
    (scripts / "build.py").write_text(BARE_BUILD)
    (scripts / "explain.py").write_text(BARE_OPEN["explain"])
    store = work / "bare-disk-build"
    shutil.rmtree(store, ignore_errors=True)
    built = measure([PY, str(scripts / "build.py"), str(store), *files], 1)
    asked = measure([PY, str(scripts / "explain.py"), str(store), *question], 1)
    shutil.rmtree(store, ignore_errors=True)
    return {"seconds": round(built["seconds"] + asked["seconds"], 3),
            "peak_rss_mib": max(built["peak_rss_mib"], asked["peak_rss_mib"])}


def first_calls(sizes: list[int], repeat: int, work: Path, env: dict, record) -> None:
    """Only the first-call rows: ``explain`` building its store in an empty cache, each run."""
    bare = work / "bare_explain.py"
    bare.write_text(BARE_EXPLAIN)
    graphs = [("imatinib", "BCR-ABL1 T315I", [], "explain imatinib T315I (shipped kb), first call")]
    for size in sizes:
        label = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"
        data = str(generate(size, work / f"synthetic_{size}.nt"))
        graphs.append(("synthetinib0", "SYNK0 A100E", [data], f"explain on {label} synthetic, first call"))
    for drug, variant, data, name in graphs:
        extra = [arg for path in data for arg in ("--data", path)]
        ours, base = [], []
        for attempt in range(repeat):
            fresh = {**env, "TKIGRAPH_CACHE_DIR": str(work / f"cache-first-{len(data)}-{attempt}-{len(base)}")}
            ours.append(measure([*TKIGRAPH, "explain", drug, variant, *extra, "--format", "json"], 1, fresh))
            base.append(measure([PY, str(bare), drug, variant, *kb_files(), *data], 1))
            shutil.rmtree(fresh["TKIGRAPH_CACHE_DIR"], ignore_errors=True)
        first = {"seconds": statistics.median(r["seconds"] for r in ours), "peak_rss_mib": max(r["peak_rss_mib"] for r in ours)}
        record(row(name, first, {"seconds": statistics.median(r["seconds"] for r in base),
                                 "peak_rss_mib": max(r["peak_rss_mib"] for r in base)}, "pyoxigraph script"))
        record(row(f"{name} vs disk", first, disk_build([*kb_files(), *data], [drug, variant], work),
                   "pyoxigraph on-disk build + query"))


#: what the per-command rows ask of a synthetic graph (benchmarks/generate.py names)
SYNTHETIC_NAMES = {"drug": "synthetinib0", "variant": "SYNK0 A100E", "target": "SYNK0"}


def query_rows(work: Path, repeat: int, env: dict, record) -> None:
    """The named queries on the shipped graph beside a bare script that loads it and runs the same text."""
    from tkigraph.sparql.named import named_queries

    kb = kb_files()
    measure([*TKIGRAPH, "query", "ASK {}"], 1, env)  # the store is built once, before any row
    for name, params in (("resistance-by-drug", {"drug": "imatinib"}), ("region-mutations", {"region": "gatekeeper"}),
                         ("bypass-pathways", {})):
        text = named_queries()[name].text
        for key, value in params.items():  # the baseline gets the value inlined; tkigraph binds it
            text = text.replace(f"?{key})", f'"{value}")').replace(f"STR(?{key})", f'"{value}"')
        path = work / f"{name}.rq"
        path.write_text(text)
        bare_query = work / "bare_query.py"
        bare_query.write_text(BARE_QUERY)
        args = [arg for k, v in params.items() for arg in ("--param", f"{k}={v}")]
        record(row(f"query {name}", *pair([*TKIGRAPH, "query", name, *args, "--format", "csv"],
                                           [PY, str(bare_query), str(path), *kb], repeat, env), "pyoxigraph script"))


def run(sizes: list[int], repeat: int, render_nodes: list[int], work: Path, civic_scale: int = 100,
        first_only: bool = False, queries_only: bool = False,
        commands_only: bool = False) -> tuple[list[dict], list[dict]]:
    """(benchmark rows, browser rows: how long rendered pages take to settle in Chromium)."""
    import compileall

    import tkigraph

    compileall.compile_dir(str(Path(tkigraph.__file__).parent), quiet=1)
    results = []
    env = dict(os.environ)
    env.pop("TKIGRAPH_DATA_DIR", None)
    env.pop("TKIGRAPH_NO_CACHE", None)
    env["TKIGRAPH_CACHE_DIR"] = str(work / "cache")
    env["TKIGRAPH_MAX_FILE_MB"] = "4096"  # the synthetic 1M graph and the large CIViC file are above the default limit
    print("benchmark                               tkigraph   baseline   ratio   peak RSS", file=sys.stderr)

    def record(entry):
        results.append(entry)
        (work / "partial.json").write_text(json.dumps(results, indent=2))  # for a run that is stopped
        print(f"{entry['benchmark']:<38} {entry['tkigraph_s']:>8.3f}s {entry['baseline_s']:>8.3f}s "
              f"{entry['ratio']:>6.2f}x {entry['peak_rss_mib']:>7.0f} MiB", file=sys.stderr)

    if first_only:
        first_calls(sizes, repeat, work, env, record)
        return results, []
    if queries_only:
        query_rows(work, repeat, env, record)
        return results, []
    if commands_only:
        measure([*TKIGRAPH, "query", "ASK {}"], 1, env)  # the shipped store is built once, before any row
        command_rows("shipped kb", [], {"drug": "imatinib", "variant": "BCR-ABL1 T315I", "target": "ABL1"},
                     work, repeat, env, record)
        for size in sizes:
            data = generate(size, work / f"synthetic_{size}.nt")
            measure([*TKIGRAPH, "query", "ASK {}", "--data", str(data)], 1, env)
            command_rows(f"{size // 1000}k synthetic" if size < 1_000_000 else f"{size // 1_000_000}M synthetic",
                         [str(data)], SYNTHETIC_NAMES, work, repeat, env, record)
        return results, []
    floor = measure(FLOOR, max(repeat, 3))
    record(row("floor: python -c 'import pyoxigraph'", floor, floor, "itself"))
    record(row("--help", *pair([*TKIGRAPH, "--help"], [PY, "-c", "import click"], repeat, env),
               'python -c "import click"'))
    kb = kb_files()
    bare = work / "bare_explain.py"
    bare.write_text(BARE_EXPLAIN)
    explain = [*TKIGRAPH, "explain", "imatinib", "T315I", "--format", "json"]
    first = measure(explain, 1, env)  # builds the store
    warm, bare_kb = pair(explain, [PY, str(bare), "imatinib", "BCR-ABL1 T315I", *kb], repeat, env)
    record(row("explain imatinib T315I (shipped kb), first call", first, bare_kb, "pyoxigraph script"))
    record(row("explain imatinib T315I (shipped kb), first call vs disk", first,
               disk_build(kb, ["imatinib", "BCR-ABL1 T315I"], work), "pyoxigraph on-disk build + query"))
    record(row("explain imatinib T315I (shipped kb)", warm, bare_kb, "pyoxigraph script"))
    command_rows("shipped kb", [], {"drug": "imatinib", "variant": "BCR-ABL1 T315I", "target": "ABL1"},
                 work, repeat, env, record)
    query_rows(work, repeat, env, record)
    bare_load = work / "bare_load.py"
    bare_load.write_text(BARE_LOAD)
    for size in sizes:
        data = generate(size, work / f"synthetic_{size}.nt")
        label = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}M"
        record(row(f"load {label} triples", *pair([*TKIGRAPH, "query", "ASK {}", "--data", str(data)],
                                                   [PY, str(bare_load), *kb, str(data)], repeat, env),
                   "pyoxigraph bulk load"))
        explain = [*TKIGRAPH, "explain", "synthetinib0", "SYNK0 A100E", "--data", str(data), "--format", "json"]
        first = measure(explain, 1, {**env, "TKIGRAPH_CACHE_DIR": str(work / f"cache-first-{size}")})  # builds a store
        warm, bare_run = pair(explain, [PY, str(bare), "synthetinib0", "SYNK0 A100E", *kb, str(data)], repeat, env)
        record(row(f"explain on {label} synthetic, first call", first, bare_run, "pyoxigraph script"))
        record(row(f"explain on {label} synthetic, first call vs disk", first,
                   disk_build([*kb, str(data)], ["synthetinib0", "SYNK0 A100E"], work), "pyoxigraph on-disk build + query"))
        record(row(f"explain on {label} synthetic", warm, bare_run, "pyoxigraph script"))
        command_rows(f"{label} synthetic", [str(data)], SYNTHETIC_NAMES, work, repeat, env, record)
    browser: list[dict] = []
    bare_render = work / "bare_render.py"
    bare_render.write_text(BARE_RENDER)
    for nodes in render_nodes:
        data = generate(nodes * 7, work / f"render_{nodes}.nt")
        out = work / "graph.html"
        record(row(f"render ~{nodes // 1000}k nodes",
                   *pair([*TKIGRAPH, "render", "-o", str(out), "--data", str(data)],
                         [PY, str(bare_render), str(out), *kb, str(data)], repeat, env, cwd=str(work)),
                   "direct vis-network fill"))
        if nodes <= 10_000:
            subprocess.run([*TKIGRAPH, "render", "-o", str(out), "--data", str(data)], env=env, check=True,
                           capture_output=True)
            seconds = settle_seconds(out, work)
            if seconds is not None:
                browser.append({"page": f"render ~{nodes // 1000}k nodes", "settled_s": round(seconds, 2),
                                "goal_s": 10.0})
                print(f"{'  page settled in Chromium':<38} {seconds:>8.2f}s (goal 10 s)", file=sys.stderr)
    civic = REPO.parent / "shared" / "data" / "civic" / "nightly-ClinicalEvidenceSummaries.tsv"
    if civic.is_file():
        env_import = {**env, "TKIGRAPH_DATA_DIR": str(work / "data")}  # the import writes only there
        probe = subprocess.run([*TKIGRAPH, "import", "--help"], capture_output=True, env=env_import)
        if probe.returncode == 0:
            ours, base = pair([*TKIGRAPH, "import", "civic", str(civic)],
                              [PY, "-c", f"import csv; list(csv.DictReader(open({str(civic)!r}), delimiter='\\t'))"],
                              repeat, env_import)
            record(row("import civic (2018 export)", ours, base, "csv.DictReader of the file"))
            if civic_scale > 1:  # a larger file made from the real rows, in the temporary folder only
                big = scaled_civic(civic, civic_scale, work / f"civic_x{civic_scale}.tsv")
                shutil.rmtree(work / "data", ignore_errors=True)
                ours, base = pair([*TKIGRAPH, "import", "civic", str(big)],
                                  [PY, "-c", f"import csv; list(csv.DictReader(open({str(big)!r}), delimiter='\\t'))"],
                                  1, env_import)
                record(row(f"import civic ({civic_scale}x the 2018 export)", ours, base, "csv.DictReader of the file"))
    return results, browser


def readme_table(results: list[dict], meta: dict, browser: list[dict]) -> str:
    lines = [f"Measured {meta['date']} on {meta['machine']} ({meta['cpus']} cores), Python {meta['python']}, "
             f"median of {meta['repeat']} whole-process run(s)"
             + (f" ({meta['first_call_repeat']} for the first-call rows, `--first-calls`)" if "first_call_repeat" in meta
                else "")
             + (f"; the per-command rows (\"warm\", \"same store calls\") of {meta.get('command_graphs', 'some graphs')} "
                f"median of {meta['command_repeat']}, measured again with `--commands`" if "command_repeat" in meta else "")
             + "; ratio = tkigraph / baseline.", "",
             "| benchmark | tkigraph | baseline | baseline time | ratio | peak RSS |", "|---|---:|---|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['benchmark']} | {r['tkigraph_s']:.3f} s | {r['baseline']} | {r['baseline_s']:.3f} s | "
                     f"{r['ratio']:.2f}x | {r['peak_rss_mib']:.0f} MiB |")
    if browser:
        lines += ["", "Rendered pages in headless Chromium (real time from opening the page until the layout has "
                  "settled and frozen):", "", "| page | settled after | goal |", "|---|---:|---:|"]
        lines += [f"| {b['page']} | {b['settled_s']:.2f} s | {b['goal_s']:.0f} s |" for b in browser]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--render-nodes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--civic-scale", type=int, default=100, help="also import a CIViC file this many times larger")
    parser.add_argument("--quick", action="store_true",
                        help="one run each, sizes 10k and 100k, render 1k and 10k, CIViC 3x")
    parser.add_argument("--first-calls", action="store_true",
                        help="measure only the first-call rows and replace them in the results file")
    parser.add_argument("--queries", action="store_true",
                        help="measure only the named-query rows and replace them in the results file")
    parser.add_argument("--commands", action="store_true",
                        help="measure only the per-command rows (warm, and the same store calls) and replace them "
                             "in the results file")
    parser.add_argument("--update-readme", action="store_true")
    parser.add_argument("--readme-only", action="store_true",
                        help="measure nothing: rewrite the README table from the results file")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.render_nodes, args.repeat, args.civic_scale = "10000,100000", "1000,10000", 1, 3
    if args.readme_only:
        saved = json.loads(args.output.read_text())
        update_readme(saved["results"], saved["meta"], saved.get("browser", []))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    render_nodes = [int(s) for s in args.render_nodes.split(",") if s]
    work = Path(tempfile.mkdtemp(prefix="tkigraph-bench-"))
    try:
        results, browser = run(sizes, args.repeat, render_nodes, work, args.civic_scale, args.first_calls,
                               args.queries, args.commands)
        if args.first_calls or args.queries or args.commands:  # replace those rows of the saved results, keep the others
            saved = json.loads(args.output.read_text())
            fresh = {r["benchmark"]: r for r in results}
            results = [fresh.pop(r["benchmark"], r) for r in saved["results"]] + list(fresh.values())
            browser = saved.get("browser", [])
            which = "first_call_repeat" if args.first_calls else "query_repeat" if args.queries else "command_repeat"
            saved_meta = {**saved["meta"], which: args.repeat}
            if args.commands:  # the graphs measured by --commands so far, this run's added
                graphs = [g for g in saved["meta"].get("command_graphs", "").split(", ") if g]
                graphs += [f"{s // 1000}k" if s < 1_000_000 else f"{s // 1_000_000}M" for s in sizes]
                saved_meta["command_graphs"] = ", ".join(dict.fromkeys(["shipped kb", *graphs]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    meta = {"date": time.strftime("%Y-%m-%d"), "machine": platform.machine(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "repeat": args.repeat}
    if args.first_calls or args.queries or args.commands:
        meta = saved_meta
    args.output.write_text(json.dumps({"meta": meta, "results": results, "browser": browser}, indent=2) + "\n")
    if args.update_readme:
        update_readme(results, meta, browser)


def update_readme(results: list[dict], meta: dict, browser: list[dict]) -> None:
    """Rewrite the table of docs/performance.md between the benchmark markers."""
    readme = REPO / "docs" / "performance.md"
    text = readme.read_text()
    start, end = "<!-- BEGIN benchmarks -->\n", "<!-- END benchmarks -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        readme.write_text(head + start + readme_table(results, meta, browser) + end + tail)


if __name__ == "__main__":
    main()
