"""``mechanisms``: every way a drug fails, with what to do about each."""

from __future__ import annotations

import click

from .options import data_option, format_option, source_option, store_kb


@click.command()
@click.argument("drug")
@click.option("--disease", help="Disease name or abbreviation (NSCLC, CML, AML): only its findings.")
@data_option
@source_option
@format_option("text", "markdown", "json")
def mechanisms(drug: str, disease: str | None, extra: tuple[str, ...], source: str, fmt: str) -> None:
    """How DRUG fails: each mechanism category, its alterations, evidence and what to do.

    \b
    Examples:
      tkigraph mechanisms osimertinib --disease NSCLC
      tkigraph mechanisms imatinib --format markdown

    Exit 0 when the names resolve, 2 with suggestions when one is unknown.
    """
    from ..explainer.mechanisms import RENDERERS
    from ..explainer.mechanisms import mechanisms as run

    click.echo(RENDERERS[fmt](run(store_kb(extra, source), drug, disease=disease)))


COMMANDS = [mechanisms]
