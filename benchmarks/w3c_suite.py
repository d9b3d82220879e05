"""The W3C SPARQL 1.1 tests (query side): `tkigraph serve` beside `oxigraph serve-read-only`.

Runs the vendored suite (tests/w3c/, W3C licence) through the same harness
(tests/w3c/harness.py) against both servers, loopback only: the 20 query-side
Protocol cases, then every query-evaluation, results-format and query-syntax test,
each on a fresh store holding its data. Prints pass / refused-on-purpose / fail
counts side by side, and the tests whose outcomes differ.

    python benchmarks/w3c_suite.py                    # both servers (about a minute each)
    python benchmarks/w3c_suite.py --only tkigraph    # one server
    python benchmarks/w3c_suite.py --json w3c.json    # also write every outcome
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from tests.w3c import harness

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["tkigraph", "oxigraph"], help="Run one server only.")
    parser.add_argument("--json", type=Path, help="Write every outcome to this file.")
    args = parser.parse_args()
    servers = {"tkigraph": harness.tkigraph_server, "oxigraph": harness.oxigraph_server}
    if args.only:
        servers = {args.only: servers[args.only]}
    elif harness.oxigraph_binary() is None:
        print("oxigraph is not installed (pip install oxigraph): running tkigraph alone", file=sys.stderr)
        del servers["oxigraph"]
    cases = harness.cases()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="w3c-") as tmp:
        work = Path(tmp)
        harness.build_store(work / "protocol", extra=harness.protocol_data)
        for name, server in servers.items():
            with server(work / "protocol") as url:
                protocol = harness.run_protocol(url)
            started = time.perf_counter()
            suite = harness.run_suite(server, work, cases)
            results[name] = {"protocol": protocol, "suite": suite, "seconds": time.perf_counter() - started}
    report(results, cases)
    if args.json:
        args.json.write_text(json.dumps({name: {part: {k: vars(o) for k, o in r[part].outcomes.items()}
                                                for part in ("protocol", "suite")}
                                         for name, r in results.items()}, indent=1))


def report(results: dict[str, dict], cases) -> None:
    names = list(results)
    width, cell = 34, 40
    print(f"{'':{width}}" + "".join(f"{n:>{cell}}" for n in names))
    for part, label in (("protocol", "Protocol, query side (20 cases)"),
                        ("suite", f"Query tests ({len(cases)})")):
        print(f"{label:{width}}" + "".join(f"{results[n][part].summary().split(' (of')[0]:>{cell}}" for n in names))
    kinds: dict[str, list[str]] = {}
    for case in cases:
        kinds.setdefault(case.kind, []).append(case.id)
    for kind, ids in kinds.items():
        row = []
        for n in names:
            outcomes = results[n]["suite"].outcomes
            row.append(f"{sum(outcomes[i].status == 'pass' for i in ids)}/{len(ids)} pass")
        print(f"{'  ' + kind:{width}}" + "".join(f"{r:>{cell}}" for r in row))
    print(f"{'seconds (query tests)':{width}}" + "".join(f"{results[n]['seconds']:>{cell}.0f}" for n in names))
    if len(names) == 2:
        print("\nOutcomes that differ:")
        for part in ("protocol", "suite"):
            a, b = (results[n][part].outcomes for n in names)
            for key in a:
                if a[key].status != b[key].status:
                    print(f"  {key}: {names[0]} {a[key].status} ({a[key].detail[:90]!r}), {names[1]} {b[key].status}")
    for n in names:
        failed = [k for part in ("protocol", "suite") for k, o in results[n][part].outcomes.items()
                  if o.status == "fail"]
        print(f"\n{n} fails: {', '.join(failed) or 'none'}")


if __name__ == "__main__":
    main()
