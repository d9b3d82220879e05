"""``import civic``, ``import moalmanac`` and ``sources``: bring upstream evidence into your data directory."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rdflib import Graph

    from ..model import KnowledgeBase
    from ..sources.account import Account

FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                      help="json: the account as one JSON object on stdout.")


@click.group("import")
def import_group() -> None:
    """Import evidence from an upstream source into your tkigraph data directory.

    Imported evidence is loaded beside the curated knowledge base by every
    command (choose with --source curated|civic|all); `tkigraph sources`
    lists what is installed. The data directory is $TKIGRAPH_DATA_DIR, or the
    platform's user data directory. See docs/importing.md.
    """


@import_group.command("civic")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--download", is_flag=True, help="Fetch the current CIViC nightly evidence export (needs internet).")
@click.option("--url", metavar="URL", help="Download from this URL instead of the CIViC nightly export.")
@FORMAT
def civic(file: str | None, download: bool, url: str | None, fmt: str) -> None:
    """Import CIViC clinical evidence (the TSV export, any layout since 2018) as findings.

    Predictive evidence about kinase inhibitors becomes findings marked as
    imported from CIViC, with the evidence id, URL, level and rating; every
    other row is counted as merged, skipped (with the reason) or rejected (with
    its line number and reason, in a report file). Importing the same file
    again changes nothing.

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
        _import_civic(Path(file), origin=str(Path(file).resolve()), fmt=fmt)
        return
    from ..sources.download import download as fetch

    source = url or NIGHTLY_URL
    with fetch(source) as path:
        _import_civic(path, origin=source, fmt=fmt)


@import_group.command("moalmanac")
@click.argument("file", type=click.Path(dir_okay=False))
@FORMAT
def moalmanac(file: str, fmt: str) -> None:
    """Import the Molecular Oncology Almanac (its one-file JSON release) as findings.

    MOAlmanac is licensed GPL-2.0: tkigraph never ships it; you supply the file
    (molecular-oncology-almanac.json from the moalmanac-db repository), and the
    import stays in your data directory. Same account as `import civic`.

    \b
    Example:
      tkigraph import moalmanac molecular-oncology-almanac.json
    """
    from pathlib import Path

    from ..sources.moalmanac import check_records, import_records, read_records

    records = read_records(file)
    check_records(records, file)
    with _progress(len(records), "importing MOAlmanac assertions") as bar:
        graph, account = import_records(records, file, _kb(), progress=bar)
    _install("moalmanac", graph, account, origin=str(Path(file).resolve()), path=file, fmt=fmt)


def _kb() -> KnowledgeBase:
    from ..sources.storage import curated_kb

    return curated_kb()


def _progress(length: int, label: str) -> AbstractContextManager[Callable[[int], None] | None]:
    """A progress bar on a terminal; silent otherwise. Yields a function called with 1 per row."""
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)

    @contextlib.contextmanager
    def bar() -> Iterator[Callable[[int], None]]:
        with click.progressbar(length=length, label=label, file=sys.stderr) as progress:
            yield progress.update

    return bar()


def _import_civic(path: Path, origin: str, fmt: str) -> None:
    from ..sources.civic import check_table, import_table
    from ..sources.table import read_table

    table = read_table(path)
    check_table(table)  # a whole-file problem stops here, before the progress bar
    with _progress(len(table.lines), "importing CIViC rows") as bar:
        graph, account = import_table(table, _kb(), progress=bar)
    _install("civic", graph, account, origin=origin, path=path, fmt=fmt)


def _install(name: str, graph: Graph, account: Account, *, origin: str, path: str | Path, fmt: str) -> None:
    import json

    from ..sources.install import install, sha256_of

    done = install(name, graph, account, origin=origin, sha256=sha256_of(path))
    if fmt == "json":
        click.echo(json.dumps({**account.to_dict(), "changed": done.changed, "turtle": str(done.turtle),
                               "rejects_file": str(done.rejects)}, indent=2))
        return
    click.echo(account.summary())
    click.echo(f"{'wrote' if done.changed else 'unchanged (same file imported before)'}: {done.turtle}")
    click.echo(f"rejected rows report: {done.rejects}")


@click.command()
@FORMAT
def sources(fmt: str) -> None:
    """List the imported sources in your data directory: release, licence, counts, SHA-256."""
    import json

    from ..storage.files import installed_sources, source_metadata, sources_dir

    found = {name: {**source_metadata(name), "file": str(path)} for name, path in installed_sources().items()}
    if fmt == "json":
        click.echo(json.dumps({"directory": str(sources_dir()), "sources": found}, indent=2))
        return
    click.echo("curated knowledge base: always installed (shipped with tkigraph)")
    if not found:
        click.echo(f"no imported sources in {sources_dir()} (try: tkigraph import civic FILE)")
    for name, meta in found.items():
        get = meta.get
        click.echo(f"{name}: {get('findings', '?')} findings from {get('imported', '?')} of "
                   f"{get('rows_read', '?')} rows ({get('merged', 0)} merged, {get('skipped', '?')} skipped, "
                   f"{get('rejected', '?')} rejected), imported {get('imported_at', '?')}")
        newest = f", newest record {get('newest_record')}" if get("newest_record") else ""
        click.echo(f"  release {get('release') or 'unknown'} ({get('layout', '?')} layout{newest}), "
                   f"licence {get('licence') or 'unknown'}")
        click.echo(f"  from {get('origin', '?')}")
        click.echo(f"  sha256 {get('sha256', '?')}")
        click.echo(f"  file {meta['file']}")


COMMANDS = [import_group, sources]
