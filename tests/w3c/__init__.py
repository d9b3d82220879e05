"""The vendored W3C SPARQL 1.1 tests (query side) and the harness that runs them (harness.py)."""
