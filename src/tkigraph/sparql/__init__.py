"""SPARQL over the knowledge base: named queries, bound parameters, local and remote engines.

* :mod:`.named` reads the ``.rq`` files shipped in ``queries/`` (header comments
  give the name, description and parameters).
* :mod:`.engine` runs a query on Oxigraph (default), rdflib, or a remote SPARQL
  1.1 endpoint, and returns one neutral :class:`~.engine.Result`.
* :mod:`.results` writes results as an aligned table, CSV, TSV, SPARQL JSON or Turtle.
* :mod:`.guard` refuses what a read-only, offline query must not do (updates, SERVICE).
"""
