"""Options shared by several commands, and the knowledge-base loader they call."""

from __future__ import annotations

import click

data_option = click.option(
    "--data", "extra", multiple=True, type=click.Path(dir_okay=False),
    help="An extra Turtle file to load beside the shipped knowledge base (repeatable).",
)


def format_option(*choices: str, default: str = "text"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format: " + ", ".join(choices) + " (json is for scripts).")


def load_kb(extra=()):
    """Load the shipped knowledge base and any extra files."""
    from ..model import KnowledgeBase
    from ..store import load_graph

    return KnowledgeBase(load_graph(extra))
