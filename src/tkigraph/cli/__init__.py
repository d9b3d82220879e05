"""The ``tkigraph`` command: a thin click group; each command lives in its own module.

Commands import the library inside their bodies, so ``tkigraph --help`` loads
only click. Every :class:`~tkigraph.errors.TkigraphError` becomes a one-line
message with a hint and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from ..errors import TkigraphError
from ..version import __version__

__all__ = ["main", "cli"]


#: command name -> the module of this package that defines it (imported only when the command runs)
COMMAND_MODULES = {
    "explain": "explain", "alternatives": "explain", "mechanisms": "mechanisms",
    "show": "info", "stats": "info", "coverage": "info", "validate": "info", "fmt": "info", "cache": "info",
    "query": "sparql", "queries": "sparql", "serve": "sparql", "push": "sparql", "export": "sparql",
    "render": "render", "matrix": "render", "import": "importing", "sources": "importing",
}


class TkigraphGroup(click.Group):
    """A click group that reports our errors cleanly and imports a command's module only when it is asked for
    (``tkigraph query`` does not load the modules of the sixteen other commands)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMAND_MODULES:
            module = importlib.import_module(f"{__name__}.{COMMAND_MODULES[name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return self.commands.get(name)

    def invoke(self, ctx: click.Context) -> Any:
        if os.environ.get("NO_COLOR"):  # https://no-color.org: no ANSI colour from any command or message
            ctx.color = False
        try:
            return super().invoke(ctx)
        except TkigraphError as exc:
            click.secho(f"error: {exc.message}", err=True, fg="red")
            if exc.hint:
                click.echo(f"  hint: {exc.hint}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=TkigraphGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="tkigraph")
def cli() -> None:
    """tkigraph: an open knowledge graph of resistance to tyrosine kinase inhibitors.

    \b
    Ask why a drug fails against a variant, and what works instead:
      tkigraph explain imatinib T315I
      tkigraph explain osimertinib "T790M/C797S in cis" --format json
      tkigraph alternatives "EGFR C797S"
    Look things up:
      tkigraph show imatinib          (also Gleevec, STI-571, CHEBI:45783)
      tkigraph stats --format json
      tkigraph validate               (SHACL check of the knowledge base)
    """


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="tkigraph")
    except BrokenPipeError:  # `tkigraph ... | head`
        sys.stderr.close()
        sys.exit(0)
