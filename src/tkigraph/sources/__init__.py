"""Upstream sources, one module each; each reads a source's export and yields our triples.

* :mod:`tkigraph.sources.civic`: CIViC clinical evidence (``tkigraph import civic``).

:mod:`tkigraph.sources.install` writes an import into the user data directory
(atomically, with an account) where ``load_graph(sources=...)`` finds it.
"""

#: source name -> module that imports it
SOURCES = {"civic": "tkigraph.sources.civic"}
