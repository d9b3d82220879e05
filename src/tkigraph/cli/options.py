"""Options shared by several commands, and the knowledge-base loader they call."""

from __future__ import annotations

import click

data_option = click.option(
    "--data", "extra", multiple=True, type=click.Path(),  # checked by the one input policy (tkigraph.hostile)
    help="An extra Turtle file to load beside the shipped knowledge base (repeatable).",
)

#: the choices of --source
SOURCE_CHOICES = ("curated", "civic", "moalmanac", "all")

source_option = click.option(
    "--source", "source", type=click.Choice(SOURCE_CHOICES), default="all", show_default=True,
    help="Which evidence to load: curated (shipped with tkigraph), civic or moalmanac (the findings imported "
         "with `tkigraph import civic|moalmanac`, over the curated entities), or all (curated plus every "
         "installed import).",
)


def format_option(*choices: str, default: str = "text"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format: " + ", ".join(choices) + " (json is for scripts).")


def resolve_source(source: str = "all") -> tuple[tuple[str, ...], bool]:
    """(imported sources to load, whether to keep the curated findings) for a --source choice."""
    from ..store import resolve_source as resolve

    return resolve(source)


def load_graph_for(extra=(), source: str = "all"):
    """The rdflib graph for --data files and a --source choice."""
    from ..store import load_graph

    sources, curated = resolve_source(source)
    return load_graph(extra, sources=sources, curated_findings=curated)


def store_kb(extra=(), source: str | None = None, *, snapshot: bool = False):
    """The shipped knowledge base, the installed sources chosen by --source (the running command's
    value when not given; "all" outside a command) and any extra files, from the cached on-disk
    Oxigraph store (no rdflib, no parsing).

    The store is built on first use and rebuilt whenever a file's bytes change
    (:mod:`tkigraph.oxstore`). ``snapshot`` reads it all into memory at once, for
    commands that visit the whole graph.
    """
    from ..oxstore import open_kb

    if source is None:
        context = click.get_current_context(silent=True)
        source = (context.params.get("source") if context is not None else None) or "all"
    from ..provenance import renamed

    sources, curated = resolve_source(source)
    kb = open_kb(extra, sources=sources, curated_findings=curated, snapshot=snapshot)
    if extra:
        for note in renamed(kb.store):
            click.echo(str(note), err=True)
    return kb
