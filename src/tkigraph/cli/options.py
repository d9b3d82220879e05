"""Options shared by several commands, and the knowledge-base loader they call."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rdflib import Graph

    from ..model import KnowledgeBase
    from ..sparql.remote import Credentials, Remote

#: a click command function, as the decorators here take and return it
F = TypeVar("F", bound=Callable[..., Any])

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


def colour_wanted() -> bool:
    """Colours on a terminal, plain text when piped or when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format: " + ", ".join(choices) + " (json is for scripts).")


def resolve_source(source: str = "all") -> tuple[tuple[str, ...], bool]:
    """(imported sources to load, whether to keep the curated findings) for a --source choice."""
    from ..storage.files import resolve_source as resolve

    return resolve(source)


def load_graph_for(extra: Iterable[str | Path] = (), source: str = "all") -> Graph:
    """The rdflib graph for --data files and a --source choice."""
    from ..storage.files import load_graph

    sources, curated = resolve_source(source)
    return load_graph(extra, sources=sources, curated_findings=curated)


def store_kb(extra: Iterable[str | Path] = (), source: str | None = None, *, snapshot: bool = False) -> KnowledgeBase:
    """The shipped knowledge base, the installed sources chosen by --source (the running command's
    value when not given; "all" outside a command) and any extra files, from the cached on-disk
    Oxigraph store (no rdflib, no parsing).

    The store is built on first use and rebuilt whenever a file's bytes change
    (:mod:`tkigraph.storage.oxigraph`). ``snapshot`` reads it all into memory at once, for
    commands that visit the whole graph.
    """
    from ..storage.oxigraph import open_kb, renamed_notes

    if source is None:
        context = click.get_current_context(silent=True)
        source = (context.params.get("source") if context is not None else None) or "all"
    sources, curated = resolve_source(source)
    kb: KnowledgeBase = open_kb(extra, sources=sources, curated_findings=curated, snapshot=snapshot)
    if extra:
        for note in renamed_notes(kb):
            click.echo(str(note), err=True)
    return kb


# -- a remote SPARQL endpoint: --endpoint, --graph and credentials ---------------------------------------------
user_option = click.option(
    "--user", metavar="NAME", help="User for HTTP Basic or Digest authentication; the password comes from "
                                   "--password-env or a prompt, never from the command line.")
password_env_option = click.option("--password-env", metavar="VAR",
                                   help="Environment variable holding the password of --user.")
token_env_option = click.option("--token-env", metavar="VAR",
                                help="Environment variable holding a bearer token (instead of --user).")
#: the credential options' names, as click passes them
_CREDENTIALS = ("user", "password_env", "token_env")


def ask_password(text: str) -> str | None:
    """Ask for a password on the terminal without echoing it (None when nothing can be read)."""
    return click.prompt(text, hide_input=True, default=None, show_default=False)


def credentials(endpoint: str, user: str | None = None, password_env: str | None = None,
                token_env: str | None = None) -> Credentials:
    """The :class:`~tkigraph.sparql.remote.Credentials` the options give (a user found in ~/.netrc else)."""
    from ..sparql.remote import credentials_from

    return credentials_from(user, password_env, token_env, prompt=ask_password, endpoint=endpoint)


def remote_options(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add --endpoint, --graph, --user, --password-env and --token-env to a command, which then takes one
    ``remote`` argument: a :class:`~tkigraph.sparql.remote.Remote` (endpoint, graph, credentials) or None.

    ``what`` ends the --endpoint help: what the command does with the endpoint.
    """
    import functools

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, endpoint: str | None = None, graph: str | None = None, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in _CREDENTIALS}
            kwargs["remote"] = remote_from(endpoint, graph, **given)
            return command(*args, **kwargs)

        for option in reversed([
            click.option("--endpoint", metavar="URL",
                         help="A remote SPARQL 1.1 endpoint (Oxigraph, Virtuoso, GraphDB ...) holding the graph: "
                              + what),
            click.option("--graph", "graph", metavar="IRI",
                         help="With --endpoint: the named graph to read (default: the one `tkigraph push` fills, "
                              "https://w3id.org/tkigraph/graph/kb, when the server holds it, else its default graph)."),
            user_option, password_env_option, token_env_option,
        ]):
            wrapper = option(wrapper)
        return wrapper

    return decorate


def remote_from(endpoint: str | None, graph: str | None = None, **given: str | None) -> Remote | None:
    """The remote target of --endpoint/--graph/--user/--password-env/--token-env; None without --endpoint."""
    from ..errors import TkigraphError

    if not endpoint:
        named = [f"--{name.replace('_', '-')}" for name, value in {"graph": graph, **given}.items() if value]
        if named:
            raise TkigraphError(f"{', '.join(named)} applies to a remote endpoint only",
                                "add --endpoint URL, or drop " + ", ".join(named))
        return None
    from ..sparql.remote import Remote, check_graph_iri

    if graph is not None:
        check_graph_iri(graph)
    return Remote(endpoint, graph, credentials(endpoint, **given))
