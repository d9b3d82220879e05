"""``query`` and ``queries``: SPARQL on the knowledge base, locally or on a remote endpoint."""

from __future__ import annotations

import sys

import click

from .options import data_option, source_option

endpoint_option = click.option(
    "--endpoint", metavar="URL",
    help="Query a remote SPARQL 1.1 endpoint (Oxigraph, Virtuoso, GraphDB ...) instead of the local files.")
engine_option = click.option(
    "--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True,
    help="Local engine: Oxigraph (fast) or rdflib (pure-Python fallback); both give the same answers.")


@click.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "path", type=click.Path(dir_okay=False, exists=True), help="Read the query from a .rq file.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a named query (repeatable); bound, never pasted into the query.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle"]),
              help="Output: aligned table (default on a terminal, TSV when piped), csv, tsv, "
                   "json (SPARQL 1.1 JSON results) or turtle (CONSTRUCT/DESCRIBE).")
@click.option("--timeout", default=10.0, show_default=True, type=float,
              help="Seconds a local query may run before it is stopped (0: no limit).")
@click.option("--max-rows", default=1_000_000, show_default=True, type=int, help="Refuse larger results.")
@engine_option
@endpoint_option
@data_option
@source_option
def query(query, path, params, fmt, timeout, max_rows, engine, endpoint, extra, source):
    """Run a SPARQL query: text, a .rq file, or a named query.

    Standard prefixes (tkg, tkd, rdfs, skos, owl, dcterms, pubmed, CHEBI, HGNC,
    DOID, ...) are predeclared. Queries are read-only: updates, SERVICE and FROM
    are refused. A local query still running after --timeout seconds is stopped.

    \b
    Examples:
      tkigraph query 'SELECT ?v WHERE { ?v tkg:confersResistanceTo tkd:imatinib }'
      tkigraph query resistance-by-drug --param drug=imatinib
      tkigraph query region-mutations --param region=gatekeeper --format csv
      tkigraph query -f my.rq --format json
      tkigraph queries                      (the named queries and their parameters)
    """
    from ..errors import TkigraphError
    from ..sparql.named import check_params, get_query, named_queries, parse_param

    given = dict(parse_param(p) for p in params)
    named = None
    if path:
        text = open(path, encoding="utf-8").read()
        if given:
            raise TkigraphError("--param applies to named queries only", "name the query, e.g. resistance-by-drug")
    elif query and query in named_queries():
        named = get_query(query)
        text = named.text
        check_params(named, given)
    elif query and ("{" in query or query.strip().upper().startswith(("SELECT", "CONSTRUCT", "ASK", "DESCRIBE", "PREFIX"))):
        text = query
    elif query:
        get_query(query)  # raises "unknown named query" with suggestions
        return
    else:
        raise TkigraphError("no query given", "pass SPARQL text, -f FILE.rq, or a name from `tkigraph queries`")
    from ..sparql.limits import run_limited
    from ..sparql.results import write

    prepared = _Prepared(text, named, given)
    try:
        chosen = _engine(engine, extra, endpoint, source)
    finally:
        prepared.join()
    result = run_limited(chosen, text, prepared.bindings(), timeout=0 if endpoint else timeout, max_rows=max_rows)
    fmt = fmt or ("turtle" if result.form in ("CONSTRUCT", "DESCRIBE") else "table" if sys.stdout.isatty() else "tsv")
    click.echo(write(result, fmt))


class _Prepared:
    """The query checked and its parameters bound in a thread, while the engine loads the files.

    Oxigraph releases the GIL while it parses, so importing rdflib and parsing the
    query with its SPARQL grammar (the guard) costs no wall time on a large load.
    """

    def __init__(self, text: str, named, given: dict) -> None:
        import threading

        self._bindings: dict = {}
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._run, args=(text, named, given), daemon=True)
        self._thread.start()

    def _run(self, text: str, named, given: dict) -> None:
        from ..sparql.guard import check_query
        from ..sparql.named import bind_params

        try:
            check_query(text)
            self._bindings = bind_params(named, given) if named is not None else {}
        except Exception as exc:  # re-raised in the caller's thread
            self._error = exc

    def join(self) -> None:
        self._thread.join()

    def bindings(self) -> dict:
        """The bindings, or the error the check raised."""
        if self._error is not None:
            raise self._error
        return self._bindings



def _engine(engine: str, extra, endpoint, source: str):
    """The engine over the graph that --data and --source choose (or a remote endpoint)."""
    import tempfile

    from ..sparql.engine import OxigraphEngine, RdflibEngine, open_engine
    from ..store import source_files
    from .options import load_graph_for, resolve_source, turtle_files_for

    sources, curated = resolve_source(source)
    if endpoint or curated:
        return open_engine(engine, [*source_files(sources), *extra], endpoint)
    if engine == "rdflib":
        return RdflibEngine(load_graph_for(extra, source))
    with tempfile.TemporaryDirectory(prefix="tkigraph-source-") as scratch:
        return OxigraphEngine(turtle_files_for(extra, source, scratch))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def queries(fmt):
    """List the named queries shipped with tkigraph, with their parameters."""
    import json

    from ..sparql.named import named_queries

    found = named_queries()
    if fmt == "json":
        click.echo(json.dumps({n: {"description": q.description, "params": q.params, "example": q.example}
                               for n, q in found.items()}, indent=2))
        return
    for name, q in found.items():
        click.secho(name, bold=True)
        click.echo(f"  {q.description}")
        for key, doc in q.params.items():
            click.echo(f"  --param {key}=...  {doc}")
        if q.example:
            click.echo(f"  e.g. {q.example}")



@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--timeout", default=10.0, show_default=True, type=float, help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=10000, show_default=True, type=int, help="Largest result returned (HTTP 413 beyond).")
@click.option("--workers", default=2, show_default=True, type=int, help="Worker processes answering queries.")
@data_option
@source_option
def serve(host, port, timeout, max_rows, workers, extra, source):
    """Serve the knowledge base as a read-only SPARQL 1.1 endpoint.

    GET or POST /query (SPARQL 1.1 Protocol) with content negotiation: JSON,
    XML, CSV, TSV results; Turtle or N-Triples graphs. Open / in a browser for a
    query box. Updates, LOAD and SERVICE are refused; a query past --timeout is
    stopped (HTTP 503) and the server stays up.

    \b
    Example:
      tkigraph serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?l WHERE { ?d a tkg:Drug ; rdfs:label ?l }' \\
           http://127.0.0.1:7878/query
    """
    import tempfile

    from ..sparql.server import QueryPool, build_store, make_server
    from .options import turtle_files_for

    with tempfile.TemporaryDirectory(prefix="tkigraph-serve-") as location, \
            tempfile.TemporaryDirectory(prefix="tkigraph-source-") as scratch:
        build_store(turtle_files_for(extra, source, scratch), location)
        pool = QueryPool(location, workers=workers, timeout=timeout, max_rows=max_rows)
        server = make_server(pool, host, port)
        click.echo(f"tkigraph SPARQL endpoint: http://{host}:{server.server_address[1]}/query "
                   f"(query page at /; Ctrl-C stops)", err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            pool.close()



@click.command()
@click.option("--endpoint", metavar="URL", required=True, help="The SPARQL query endpoint, e.g. http://127.0.0.1:7878/query.")
@click.option("--store", metavar="URL", help="The Graph Store Protocol URL (default: guessed from --endpoint).")
@data_option
@source_option
def push(endpoint, store, extra, source):
    """Upload the knowledge base (with derived triples) to a SPARQL server.

    Uses the SPARQL 1.1 Graph Store Protocol (HTTP PUT of N-Triples into the
    default graph, replacing it). Afterwards `query`, `explain` and `show`
    take --endpoint URL to answer from that server.

    \b
    Example (Oxigraph server):
      oxigraph serve --location ./db --bind 127.0.0.1:7878 &
      tkigraph push --endpoint http://127.0.0.1:7878/query
      tkigraph explain imatinib T315I --endpoint http://127.0.0.1:7878/query
    """
    from ..sparql.remote import push as run
    from .options import load_graph_for

    count = run(load_graph_for(extra, source), endpoint, store)
    click.echo(f"pushed {count} triples to {store or endpoint}")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "ntriples", "jsonld", "graphml", "nodelink", "csv"]),
              default="turtle", show_default=True, help="RDF (turtle, ntriples, jsonld) or graph (graphml, nodelink, csv).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (atomically); default stdout.")
@data_option
@source_option
def export(fmt, output, extra, source):
    """Export the knowledge base (with derived triples) as RDF or as a graph file.

    \b
    Examples:
      tkigraph export --format turtle -o tkigraph.ttl
      tkigraph export --format graphml -o tkigraph.graphml     (Gephi, Cytoscape)
      tkigraph export --format nodelink -o tkigraph.json       (networkx, d3)
    """
    from ..canon import write_atomic
    from ..io_formats import export as run
    from .options import load_graph_for

    text = run(load_graph_for(extra, source), fmt)
    if output:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


COMMANDS = [query, queries, serve, push, export]
