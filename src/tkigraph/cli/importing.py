"""``import civic`` and ``sources``: bring upstream evidence into your data directory, and list it."""

from __future__ import annotations

import sys

import click


@click.group("import")
def import_group():
    """Import evidence from an upstream source into your tkigraph data directory.

    Imported evidence is loaded beside the curated knowledge base by every
    command (choose with --source curated|civic|all); `tkigraph sources` lists
    what is installed. The data directory is $TKIGRAPH_DATA_DIR, or the
    platform's user data directory.
    """


@import_group.command("civic")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--download", is_flag=True, help="Fetch the current CIViC nightly evidence export (needs internet).")
@click.option("--url", metavar="URL", help="Download from this URL instead of the CIViC nightly export.")
def civic(file, download, url):
    """Import CIViC clinical evidence (the TSV export) as findings.

    Predictive evidence about kinase inhibitors of the knowledge base becomes
    findings marked as imported from CIViC, with the evidence id, URL, level
    and rating; every other row is counted as skipped (with the reason) or
    rejected (with its line number and reason, in a report file). Importing the
    same file again changes nothing.

    \b
    Examples:
      tkigraph import civic nightly-ClinicalEvidenceSummaries.tsv
      tkigraph import civic --download
      tkigraph explain erlotinib T790M --source civic
    """
    from pathlib import Path

    from ..errors import TkigraphError
    from ..sources.civic import NIGHTLY_URL

    if bool(file) == bool(download or url):
        raise TkigraphError("give a FILE or --download (not both)",
                            "tkigraph import civic nightly-ClinicalEvidenceSummaries.tsv, or --download")
    if file:
        _import_civic(Path(file), origin=str(Path(file).resolve()))
        return
    from ..sources.download import download as fetch

    source = url or NIGHTLY_URL
    with fetch(source) as path:
        _import_civic(path, origin=source)


def _import_civic(path, origin: str) -> None:
    from .. import load
    from ..sources.civic import check_table, import_table
    from ..sources.install import install, sha256_of
    from ..sources.table import read_table

    table = read_table(path)
    check_table(table)  # a whole-file problem stops here, before the progress bar
    kb = load()
    with click.progressbar(length=len(table.lines), label="importing CIViC rows", file=sys.stderr) as bar:
        graph, account = import_table(table, kb, progress=bar.update)
    done = install("civic", graph, account, origin=origin, sha256=sha256_of(path))
    click.echo(account.summary())
    click.echo(f"{'wrote' if done.changed else 'unchanged (same file imported before)'}: {done.turtle}")
    click.echo(f"rejected rows report: {done.rejects}")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def sources(fmt):
    """List the imported sources installed in your data directory, with counts and dates."""
    import json

    from ..store import installed_sources, source_metadata, sources_dir

    found = {name: {**source_metadata(name), "file": str(path)} for name, path in installed_sources().items()}
    if fmt == "json":
        click.echo(json.dumps({"directory": str(sources_dir()), "sources": found}, indent=2))
        return
    click.echo("curated knowledge base: always installed (shipped with tkigraph)")
    if not found:
        click.echo(f"no imported sources in {sources_dir()} (try: tkigraph import civic FILE)")
    for name, meta in found.items():
        click.echo(f"{name}: {meta.get('findings', '?')} findings from {meta.get('imported', '?')} of "
                   f"{meta.get('rows_read', '?')} rows ({meta.get('skipped', '?')} skipped, "
                   f"{meta.get('rejected', '?')} rejected), imported {meta.get('imported_at', '?')}")
        click.echo(f"  from {meta.get('origin', '?')} (sha256 {str(meta.get('sha256', '?'))[:12]}...)")
        click.echo(f"  file {meta['file']}")


COMMANDS = [import_group, sources]
