"""``query`` and ``queries``: SPARQL on the knowledge base, locally or on a remote endpoint."""

from __future__ import annotations

import importlib
import signal
import sys
from typing import TYPE_CHECKING

import click

from ..export.registry import FORMAT_NAMES  # data only: --help stays fast
from .options import (
    data_option,
    password_env_option,
    remote_options,
    source_option,
    token_env_option,
    user_option,
)

if TYPE_CHECKING:
    from ..sparql.engine import OxigraphEngine, RdflibEngine
    from ..sparql.remote import Remote

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
@remote_options("query it instead of the local files.")
@data_option
@source_option
def query(query: str | None, path: str | None, params: tuple[str, ...], fmt: str | None, timeout: float, max_rows: int,
          engine: str, remote: Remote | None, extra: tuple[str, ...], source: str) -> None:
    """Run a SPARQL query: text, a .rq file, or a named query.

    Standard prefixes (tkigraph, tkd, rdfs, skos, owl, dcterms, pubmed, CHEBI, HGNC,
    DOID, ...) are predeclared. Queries are read-only: updates, SERVICE and FROM
    are refused. A local query still running after --timeout seconds is stopped.

    \b
    Examples:
      tkigraph query 'SELECT ?v WHERE { ?v tkigraph:confersResistanceTo tkd:imatinib }'
      tkigraph query resistance-by-drug --param drug=imatinib
      tkigraph query region-mutations --param region=gatekeeper --format csv
      tkigraph query -f my.rq --format json
      tkigraph query resistance-by-drug -p drug=imatinib --endpoint http://127.0.0.1:7878/query
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
    from ..sparql.guard import check_query
    from ..sparql.limits import run_limited
    from ..sparql.named import bind_params

    check_query(text)
    bindings = bind_params(named, given) if named is not None else {}
    chosen = remote.engine() if remote else _engine(engine, extra, source)
    # the writer (and rdflib under it) is imported while the forked query runs
    result = run_limited(chosen, text, bindings, timeout=0 if remote else timeout, max_rows=max_rows,
                         meanwhile=lambda: importlib.import_module("tkigraph.sparql.results"),
                         write="json" if fmt == "json" else None)
    from ..sparql.results import write

    fmt = fmt or ("turtle" if result.form in ("CONSTRUCT", "DESCRIBE") else "table" if sys.stdout.isatty() else "tsv")
    click.echo(result.written if result.written is not None else write(result, fmt))


def _engine(engine: str, extra: tuple[str, ...], source: str) -> OxigraphEngine | RdflibEngine:
    """The local engine over the graph that --data and --source choose."""
    from ..sparql.engine import OxigraphEngine, RdflibEngine
    from .options import load_graph_for, resolve_source

    if engine == "rdflib":
        return RdflibEngine(load_graph_for(extra, source))
    from ..storage.oxigraph import cached_snapshot, kb_store, memory_snapshot

    sources, curated = resolve_source(source)
    found = cached_snapshot(extra, sources=sources, curated_findings=curated)
    if found is not None:  # the store need not even be opened: the query reads its snapshot
        return OxigraphEngine(location=found[0], memory=found[1])
    store, location = kb_store(extra, sources=sources, curated_findings=curated)
    return OxigraphEngine(store=store, location=location, memory=memory_snapshot(store, location))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def queries(fmt: str) -> None:
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
@click.option("--workers", default=0, type=int,
              help="Worker processes, each accepting connections and answering queries itself "
                   "(default: one per CPU core).")
@click.option("--queue", "queue_size", default=256, show_default=True, type=int,
              help="Queries that may wait for a worker; one more gets HTTP 503 with Retry-After.")
@click.option("--in-memory/--on-disk", "in_memory", default=None,
              help="Answer from a copy of the graph in memory (made once and shared by the workers; "
                   "about 4x faster per query) or from the on-disk store. Default: in memory up to 2 "
                   "million triples.")
@data_option
@source_option
def serve(host: str, port: int, timeout: float, max_rows: int, workers: int, queue_size: int, in_memory: bool | None,
          extra: tuple[str, ...], source: str) -> None:
    """Serve the knowledge base as a read-only SPARQL 1.1 endpoint.

    GET or POST /query (SPARQL 1.1 Protocol) with content negotiation: JSON,
    XML, CSV, TSV results; Turtle, N-Triples, N-Quads, RDF/XML or JSON-LD
    graphs. Open / in a browser for a query box. Updates, LOAD, SERVICE and FROM
    are refused; a query past --timeout is stopped (HTTP 503) and the server
    stays up. It opens the same cached store as `explain` (built on first use).

    \b
    Example:
      tkigraph serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?l WHERE { ?d a tkigraph:Drug ; rdfs:label ?l }' \\
           http://127.0.0.1:7878/query
    """
    from ..sparql.server import QueryPool, make_server
    from ..storage.oxigraph import kb_store
    from .options import resolve_source

    sources, curated = resolve_source(source)
    store, location = kb_store(extra, sources=sources, curated_findings=curated)
    del store  # the workers open it themselves, read-only
    pool = QueryPool(location, workers=workers, timeout=timeout, max_rows=max_rows, queue_size=queue_size,
                     in_memory=in_memory)
    server = make_server(pool, host, port)
    click.echo(f"tkigraph SPARQL endpoint: http://{host}:{server.server_address[1]}/query "
               f"(query page at /; Ctrl-C stops)", err=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the workers on `kill` too, not only Ctrl-C
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@click.command()
@click.option("--endpoint", metavar="URL", required=True, help="The SPARQL query endpoint, e.g. http://127.0.0.1:7878/query.")
@click.option("--store", metavar="URL", help="The Graph Store Protocol URL (default: guessed from --endpoint).")
@click.option("--graph", "graph", metavar="IRI",
              help="The named graph to replace (default: https://w3id.org/tkigraph/graph/kb).")
@click.option("--default-graph", is_flag=True, help="Replace the server's default graph instead of a named graph.")
@user_option
@password_env_option
@token_env_option
@data_option
@source_option
def push(endpoint: str, store: str | None, graph: str | None, default_graph: bool, user: str | None,
         password_env: str | None, token_env: str | None, extra: tuple[str, ...], source: str) -> None:
    """Upload the knowledge base (with derived triples) into a named graph of a SPARQL server.

    Uses the SPARQL 1.1 Graph Store Protocol (HTTP PUT of N-Triples), replacing
    that graph only, so the server's other graphs stay as they are. Afterwards
    `query`, `explain` and `show` take --endpoint URL and read that graph
    (docs/formats.md). Without --user or --token-env, a ~/.netrc entry for the
    server's host is used if there is one.

    \b
    Examples:
      oxigraph serve --location ./db --bind 127.0.0.1:7878 &
      tkigraph push --endpoint http://127.0.0.1:7878/query
      tkigraph explain imatinib T315I --endpoint http://127.0.0.1:7878/query
      TKG_PASSWORD=... tkigraph push --endpoint http://host:8890/sparql --user loader --password-env TKG_PASSWORD
    """
    from urllib.parse import urlsplit

    from ..errors import TkigraphError
    from ..sparql.remote import DEFAULT_GRAPH
    from ..sparql.remote import push as run
    from ..storage.oxigraph import kb_store
    from .options import credentials, resolve_source

    if graph and default_graph:
        raise TkigraphError("--graph and --default-graph both given", "choose one target graph")
    named_by_store = bool(store and urlsplit(store).query)
    if not (graph or default_graph):
        graph = None if named_by_store else DEFAULT_GRAPH
    auth = credentials(endpoint, user, password_env, token_env)
    sources, curated = resolve_source(source)
    data, _ = kb_store(extra, sources=sources, curated_findings=curated)
    count = run(data, endpoint, store, graph=graph, auth=auth)
    target = graph or ("the graph that --store names" if named_by_store else "the default graph")
    click.echo(f"pushed {count} triples into {target} of {store or endpoint}")


@click.command()
@click.option("--format", "fmt",
              type=click.Choice(FORMAT_NAMES),
              help="The format (docs/formats.md). Default: the one -o's extension names "
                   "(.ttl .nt .rdf .jsonld .trig .nq .csv .graphml .gexf .cyjs .json), else turtle.")
@click.option("-o", "--output", type=click.Path(), metavar="PATH",
              help="Write to this file (atomically), or this folder for kgx and neo4j; default stdout.")
@data_option
@source_option
def export(fmt: str | None, output: str | None, extra: tuple[str, ...], source: str) -> None:
    """Export the knowledge base (with derived triples) as RDF, a graph file or KG-exchange tables.

    \b
    RDF:   turtle, ntriples, rdfxml, jsonld, jsonld-compact (with an @context),
           trig and nquads (one named graph per source, with provenance), csv
    Graph: graphml (Gephi, yEd, igraph), gexf (Gephi), cyjs (Cytoscape), nodelink (networkx, d3)
    Folders of files: kgx (Biolink KGX TSV), neo4j (neo4j-admin import CSV)

    \b
    Examples:
      tkigraph export -o tkigraph.ttl
      tkigraph export -o tkigraph.graphml
      tkigraph export --format trig --source all -o tkigraph.trig
      tkigraph export --format kgx -o kgx/
      tkigraph export --format neo4j -o neo4j-import/
    """
    from ..errors import TkigraphError
    from ..export import ExportSource, choose_format, dump, write_output
    from .options import resolve_source

    chosen = choose_format(fmt, output)
    if chosen.is_folder and not output:
        raise TkigraphError(f"{chosen.name} writes several files, so it needs a folder",
                            f"pass -o FOLDER, e.g. tkigraph export --format {chosen.name} -o tkigraph-{chosen.name}")
    sources, curated = resolve_source(source)
    data = dump(chosen.name, ExportSource(tuple(str(p) for p in extra), tuple(sources), curated))
    if output:
        written = write_output(data, output)
        click.echo(f"wrote {chosen.name}: " + ", ".join(str(p) for p in written), err=True)
    else:
        click.echo(data, nl=False)  # bytes: written as they are


COMMANDS = [query, queries, serve, push, export]
