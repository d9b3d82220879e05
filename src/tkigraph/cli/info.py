"""``stats``, ``show``, ``validate``, ``fmt``, ``coverage`` and ``cache``: what the graph holds,
one entity, its checks, and what tkigraph keeps on disk."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from .options import data_option, format_option, remote_options, source_option, store_kb

if TYPE_CHECKING:
    from ..sparql.remote import Remote


@click.command()
@data_option
@source_option
@format_option("text", "json")
def stats(extra: tuple[str, ...], source: str, fmt: str) -> None:
    """Count triples, and entities by class and triples by predicate.

    \b
    Examples:
      tkigraph stats
      tkigraph stats --format json | jq '.classes["tkigraph:Finding"]'
    """
    from ..describe import stats as compute

    result = compute(store_kb(extra, source))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"triples: {result['triples']}")
    for title in ("classes", "predicates"):
        click.echo(f"\n{title}:")
        width = max(map(len, result[title]), default=0)
        for name, count in result[title].items():
            click.echo(f"  {name:<{width}}  {count:>6}")


@click.command()
@click.argument("name")
@remote_options("look the entity up there.")
@data_option
@source_option
@format_option("text", "json")
def show(name: str, remote: Remote | None, extra: tuple[str, ...], source: str, fmt: str) -> None:
    """Everything known about one entity: names, identifiers and neighbours.

    NAME is a label, synonym, brand or code name, or CURIE, in any case:
    imatinib, Gleevec, STI-571, CHEBI:45783, tkd:imatinib, "BCR-ABL1 T315I", CML.
    An unknown name exits 2 with suggestions.
    """
    from ..describe import describe
    from ..resolve import Resolver

    node: str  # an IRI (a URIRef from the endpoint)
    if remote:
        from ..sparql.remote import show_kb

        kb, node = show_kb(remote.endpoint, name, graph=remote.graph, auth=remote.auth)
    else:
        from ..storage.provenance import asserted

        kb = store_kb(extra, source)
        node = Resolver(kb).resolve(name)
    result = describe(kb, node)
    # what each imported source or --data file states (the store's named graphs; none from an endpoint)
    files = {} if remote or kb.store is None else asserted(kb.store, node)
    if files:
        result["from_files"] = {file: [f"{p} {o}" for p, o in said] for file, said in files.items()}
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    click.secho(f"{result['label']} ({result['id']}), {result['type']}", bold=True)
    for key in ("synonyms", "identifiers"):
        if result[key]:
            click.echo(f"  {key}: {', '.join(result[key])}")
    for section in ("properties", "incoming"):
        for predicate, values in result[section].items():
            shown = ", ".join(values[:40]) + (f", ... ({len(values)} in all)" if len(values) > 40 else "")
            click.echo(f"  {predicate}: {shown}")
    for what, count in result["counts"].items():
        click.echo(f"  {what}: {count}")
    for file, said in result.get("from_files", {}).items():
        click.echo(f"  stated in {file}: {'; '.join(said[:20])}" + (f" ... ({len(said)} in all)" if len(said) > 20 else ""))


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--with-kb", is_flag=True, help="Check FILES together with the shipped knowledge base.")
@format_option("text", "json")
def validate(files: tuple[str, ...], with_kb: bool, fmt: str) -> None:
    """Check the knowledge base (or FILES) against the SHACL shapes.

    Prints each violation with the file, the offending node, the property and
    what to fix; exits 1 on any violation, 0 when clean. Warnings (a disease
    without an external identifier, say) are printed but do not fail.

    \b
    Examples:
      tkigraph validate
      tkigraph validate my_findings.ttl --with-kb
    """
    from ..validate import validate as run

    results = run(files or None, with_kb=with_kb)
    violations = [v for v in results if v.severity == "Violation"]
    warnings = [v for v in results if v.severity != "Violation"]
    if fmt == "json":
        click.echo(json.dumps({"conforms": not violations, "violations": [v.to_dict() for v in violations],
                               "warnings": [v.to_dict() for v in warnings]}, indent=2))
    else:
        for v in warnings:
            click.echo(f"warning: {v}")
        for v in violations:
            click.echo(str(v))
        if violations:
            click.secho(f"{len(violations)} violation(s), {len(warnings)} warning(s)", fg="red", err=True)
        else:
            click.secho(f"valid: 0 violations, {len(warnings)} warning(s)", fg="green")
    raise SystemExit(1 if violations else 0)





@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--check", is_flag=True, help="Only list files not in canonical form; exit 1 if any.")
def fmt(files: tuple[str, ...], check: bool) -> None:
    """Rewrite curated Turtle FILES (default: ontology/kb/*.ttl) in canonical form.

    The canonical form is sorted and stable, so a diff shows only what changed
    in meaning. Files are rewritten atomically; comments are not kept (put
    explanations in skos:definition, tkigraph:statement or tkigraph:sourceNote).
    """
    from ..storage.canonical import format_file, is_canonical
    from ..storage.files import kb_files

    paths = files or [str(p) for p in kb_files()[1:]]
    if check:
        bad = [p for p in paths if not is_canonical(p)]
        for path in bad:
            click.echo(f"not canonical: {path} (run: tkigraph fmt {path})")
        raise SystemExit(1 if bad else 0)
    changed = [p for p in paths if format_file(p)]
    click.echo(f"{len(changed)} of {len(paths)} file(s) rewritten")



@click.command()
@data_option
@source_option
@format_option("markdown", "json", default="markdown")
def coverage(extra: tuple[str, ...], source: str, fmt: str) -> None:
    """What the knowledge base covers: kinases, drugs, variants, findings by mechanism and target.

    The README's coverage table is this command's markdown output.
    """
    from ..coverage import coverage as compute
    from ..coverage import to_markdown

    data = compute(store_kb(extra, source))
    click.echo(json.dumps(data, indent=2) if fmt == "json" else to_markdown(data))


@click.command()
@click.option("--clear", "clear_all", is_flag=True, help="Remove every cached graph and store.")
@format_option("text", "json")
def cache(clear_all: bool, fmt: str) -> None:
    """Show (or --clear) what tkigraph keeps in its cache directory.

    Parsed graphs and Oxigraph stores are kept per content of the files they
    were built from, so a second command does not parse again; an edited file
    makes a new entry. Entries rebuild themselves when needed, so clearing only
    costs time. The directory is $TKIGRAPH_CACHE_DIR, else the user cache folder.

    \b
    Examples:
      tkigraph cache
      tkigraph cache --clear
    """
    from pathlib import Path

    from ..storage.cache import cache_dir, clear, entries

    if clear_all:
        removed = clear()
        if fmt == "json":
            click.echo(json.dumps({"directory": str(cache_dir()), "removed": removed}))
        else:
            click.echo(f"removed {removed} entr{'y' if removed == 1 else 'ies'} from {cache_dir()}")
        return
    found = entries()
    if fmt == "json":
        click.echo(json.dumps({"directory": str(cache_dir()), "entries": found}, indent=2))
        return
    click.echo(f"{cache_dir()}: {len(found)} entr{'y' if len(found) == 1 else 'ies'}, "
               f"{sum(e['bytes'] for e in found) / 2**20:.1f} MiB")
    for entry in found:
        click.echo(f"  {entry['bytes'] / 2**20:8.1f} MiB  {entry['kind']:<27} {Path(entry['path']).name}")


COMMANDS = [stats, show, validate, fmt, coverage, cache]
