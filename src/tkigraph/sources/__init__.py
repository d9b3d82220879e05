"""Upstream sources, one module each; each reads a source's export and yields our triples.

* :mod:`tkigraph.sources.civic`: CIViC clinical evidence, every layout since 2018 (``tkigraph import civic``).
* :mod:`tkigraph.sources.moalmanac`: the Molecular Oncology Almanac JSON release (``tkigraph import moalmanac``).

Shared by both: :mod:`~tkigraph.sources.entities` (names -> our entities),
:mod:`~tkigraph.sources.drugs` (is it a kinase inhibitor?), :mod:`~tkigraph.sources.account`
(read = imported + merged + skipped + rejected), :mod:`~tkigraph.sources.safe` (nothing the
loader refuses is written). :mod:`tkigraph.sources.install` writes an import into the user
data directory (atomically, with its account) where ``load_graph(sources=...)`` finds it.
See ``docs/importing.md``.
"""

#: source name -> module that imports it
SOURCES = {"civic": "tkigraph.sources.civic", "moalmanac": "tkigraph.sources.moalmanac"}
