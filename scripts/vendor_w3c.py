"""Copy the query side of the W3C SPARQL 1.1 test suite into tests/w3c/ (issue 18).

The W3C suite (w3c/rdf-tests, W3C Software Notice and License) ships inside
rdflib's source distribution, so it is fetched with pip, the one network access
this machine allows:

    pip download 'rdflib==7.6.0' --no-binary :all: --no-deps -d /tmp/rdflib-sdist
    tar xzf /tmp/rdflib-sdist/rdflib-7.6.0.tar.gz -C /tmp/rdflib-sdist
    python scripts/vendor_w3c.py /tmp/rdflib-sdist/rdflib-7.6.0/test/data/suites/w3c

Only what the query side reads is copied: the manifests of the query-evaluation
and query-syntax folders (and the protocol manifest), and every file an entry of
theirs names (queries, data, expected results). Update, entailment and service
description folders are left out.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from rdflib import Graph

#: the W3C's base IRI of the SPARQL 1.1 tests; a manifest is read with <base><folder>/manifest.ttl as its IRI
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
#: the folders of the query language and its results formats (SPARQL 1.1 Query, Results, Federation syntax)
FOLDERS = ("aggregates", "bind", "bindings", "construct", "csv-tsv-res", "exists", "functions", "grouping",
           "json-res", "negation", "project-expression", "property-path", "subquery", "syntax-query",
           "service", "syntax-fed", "protocol")
TARGET = Path(__file__).resolve().parent.parent / "tests" / "w3c"


def referenced(manifest: Path, folder: str) -> set[str]:
    """The names of the files in ``folder`` that ``manifest`` mentions."""
    graph = Graph().parse(manifest, format="turtle", publicID=f"{BASE}{folder}/manifest.ttl")
    prefix = f"{BASE}{folder}/"
    return {str(term)[len(prefix):] for triple in graph for term in triple
            if str(term).startswith(prefix) and "#" not in str(term) and "/" not in str(term)[len(prefix):]}


def main(source: Path) -> None:
    suite = source / "sparql11"
    copied = 0
    for folder in FOLDERS:
        out = TARGET / "sparql11" / folder
        out.mkdir(parents=True, exist_ok=True)
        for name in sorted(referenced(suite / folder / "manifest.ttl", folder) | {"manifest.ttl"}):
            if (suite / folder / name).is_file():
                shutil.copyfile(suite / folder / name, out / name)
                copied += 1
    shutil.copyfile(source / "dawg-data-r2" / "LICENSE", TARGET / "LICENSE")
    print(f"copied {copied} files into {TARGET}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
