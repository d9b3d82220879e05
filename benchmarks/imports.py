"""Benchmark 16.6: ``explain`` with CIViC 2021 and MOAlmanac imported, against the curated graph alone.

``python benchmarks/imports.py`` imports the shared CIViC August 2021 export and the MOAlmanac
release into a private data directory (timed, one run each), then measures ``tkigraph explain``
of a few drug x variant pairs as whole-process medians, in alternation: ``--source curated``
(the curated graph alone) and ``--source all`` (curated + CIViC + MOAlmanac, the claims
reconciled). The first call of each builds its store and is reported on its own row. The goal
(issue 16) is ``all`` within 1.5x of ``curated``.

Results go to ``benchmarks/imports.json``; ``--update-docs`` rewrites the table of
docs/performance.md between ``<!-- BEGIN import-benchmark -->`` and ``<!-- END import-benchmark -->``.
Options: ``--repeat 7``, ``--civic FILE``, ``--moalmanac FILE``, ``--docs-only`` (rewrite the
table from ``imports.json`` without measuring).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from run import TKIGRAPH, measure  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
CIVIC = SHARED / "civic" / "01-Aug-2021-ClinicalEvidenceSummaries.tsv"
MOALMANAC = SHARED / "moalmanac" / "molecular-oncology-almanac.json"
#: pairs asked: a curated classic, a claim held by all three sources, a conflict between sources, a codon
PAIRS = [("imatinib", "T315I"), ("osimertinib", "EGFR T790M"), ("regorafenib", "KIT T670I"),
         ("crizotinib", "ALK G1202R")]
RESULTS = HERE / "imports.json"
DOC = REPO / "docs" / "performance.md"
BLOCK = re.compile(r"(<!-- BEGIN import-benchmark -->\n).*?(<!-- END import-benchmark -->)", re.S)


def environment(work: Path) -> dict:
    env = dict(os.environ, TKIGRAPH_DATA_DIR=str(work / "data"), TKIGRAPH_CACHE_DIR=str(work / "cache"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))
    env.pop("TKIGRAPH_NO_CACHE", None)
    return env


def measure_all(repeat: int, civic: Path, moalmanac: Path, work: Path) -> dict:
    env = environment(work)
    rows = [{"name": "import civic (August 2021, 3,650 rows)",
             **measure([*TKIGRAPH, "import", "civic", str(civic)], 1, env)},
            {"name": "import moalmanac (1,018 assertions)",
             **measure([*TKIGRAPH, "import", "moalmanac", str(moalmanac)], 1, env)}]
    for source in ("curated", "all"):
        drug, variant = PAIRS[0]
        rows.append({"name": f"explain, first call (store build), --source {source}",
                     **measure([*TKIGRAPH, "explain", drug, variant, "--source", source], 1, env)})
    for drug, variant in PAIRS:
        times: dict[str, list[float]] = {"curated": [], "all": []}
        peaks: dict[str, list[float]] = {"curated": [], "all": []}
        for _ in range(repeat):  # alternate, so a drifting machine slows both alike
            for source in ("curated", "all"):
                one = measure([*TKIGRAPH, "explain", drug, variant, "--source", source], 1, env)
                times[source].append(one["seconds"])
                peaks[source].append(one["peak_rss_mib"])
        curated, together = statistics.median(times["curated"]), statistics.median(times["all"])
        rows.append({"name": f"explain {drug} {variant!r}", "curated_seconds": round(curated, 3),
                     "all_seconds": round(together, 3), "ratio": round(together / curated, 2),
                     "curated_peak_rss_mib": max(peaks["curated"]), "all_peak_rss_mib": max(peaks["all"])})
    accounts = {name: json.loads((work / "data" / "sources" / f"{name}.json").read_text(encoding="utf-8"))
                for name in ("civic", "moalmanac")}
    return {"rows": rows, "repeat": repeat,
            "findings": {n: a["findings"] for n, a in accounts.items()},
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}


def table(results: dict) -> str:
    lines = [f"Measured on {results['machine']}; medians of {results['repeat']} alternating runs "
             "(`python benchmarks/imports.py`).", "",
             "| command | curated alone (s) | + CIViC 2021 + MOAlmanac (s) | ratio | peak RSS (MiB) |",
             "|---|---:|---:|---:|---:|"]
    for row in results["rows"]:
        if "ratio" in row:
            lines.append(f"| {row['name']} | {row['curated_seconds']:.3f} | {row['all_seconds']:.3f} | "
                         f"{row['ratio']:.2f}x | {row['curated_peak_rss_mib']:.0f} / {row['all_peak_rss_mib']:.0f} |")
        elif row["name"].endswith("--source curated"):
            lines.append(f"| {row['name']} | {row['seconds']:.3f} | | | {row['peak_rss_mib']:.0f} |")
        else:
            lines.append(f"| {row['name']} | | {row['seconds']:.3f} | | {row['peak_rss_mib']:.0f} |")
    return "\n".join(lines) + "\n"


def update_docs(results: dict) -> None:
    text = DOC.read_text(encoding="utf-8")
    if not BLOCK.search(text):
        raise SystemExit(f"{DOC} has no <!-- BEGIN import-benchmark --> block")
    DOC.write_text(BLOCK.sub(lambda m: m.group(1) + table(results) + m.group(2), text), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--civic", type=Path, default=CIVIC)
    parser.add_argument("--moalmanac", type=Path, default=MOALMANAC)
    parser.add_argument("--update-docs", action="store_true")
    parser.add_argument("--docs-only", action="store_true")
    args = parser.parse_args()
    if args.docs_only:
        update_docs(json.loads(RESULTS.read_text(encoding="utf-8")))
        return
    for path in (args.civic, args.moalmanac):
        if not path.is_file():
            raise SystemExit(f"error: {path} not found; pass --civic / --moalmanac (see docs/importing.md)")
    work = Path(tempfile.mkdtemp(prefix="tkigraph-bench-imports-"))
    try:
        results = measure_all(args.repeat, args.civic, args.moalmanac, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    if args.update_docs:
        update_docs(results)


if __name__ == "__main__":
    main()
