"""``render`` and ``matrix``: an interactive offline page of the graph, and cross-resistance matrices."""

from __future__ import annotations

import click

from .options import data_option, source_option, store_kb

#: node types ``--types`` accepts (the ``type`` of the networkx projection)
NODE_TYPES = ("drug", "kinase", "fusion", "gene", "variant", "finding", "mechanism", "pathway", "disease",
              "publication", "concept")


def _types(ctx, param, value):
    if value is None:
        return None
    wanted = [t.strip().lower() for t in value.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in NODE_TYPES]
    if unknown:
        raise click.BadParameter(f"unknown type(s) {', '.join(unknown)}; choose from {', '.join(NODE_TYPES)}")
    return wanted


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="graph.html",
              show_default=True, help="The HTML file to write (the only file written).")
@click.option("--focus", metavar="NAME", help="Draw NAME and its neighbourhood: a drug, variant, kinase, mechanism, "
              "pathway or disease (name, synonym or CURIE).")
@click.option("--depth", type=click.IntRange(0, 6), default=1, show_default=True,
              help="How many steps around --focus (edges followed in either direction).")
@click.option("--types", callback=_types, metavar="T1,T2,...",
              help="Keep only these node types: " + ", ".join(NODE_TYPES) + ".")
@click.option("--disease", metavar="D", help="Keep only the findings of disease D (and its subtypes): CML, NSCLC, GIST ...")
@click.option("--title", help="Page title.")
@data_option
@source_option
def render(output, focus, depth, types, disease, title, extra, source):  # store_kb reads --source
    """Write the graph as ONE interactive HTML page that works offline.

    Nodes are coloured and shaped by type, edges coloured by effect
    (resistance, reduced sensitivity, sensitivity, inhibits, member of ...),
    with a legend that doubles as a filter. Hover a node for its identifiers,
    synonyms and evidence; click for the full card with links to PubMed; type in
    the search box to find a node and zoom to it. The layout settles (for at
    most 5 s), then freezes (tick "physics" to let it move again).

    \b
    Examples:
      tkigraph render -o graph.html                        (the whole graph)
      tkigraph render --focus imatinib -o imatinib.html
      tkigraph render --focus "BCR-ABL1 T315I" --depth 2 -o t315i.html
      tkigraph render --focus osimertinib --types drug,variant,finding,disease
      tkigraph render --disease CML --types drug,variant,fusion,kinase -o cml.html

    An unknown --focus or --disease exits 2 with suggestions.
    """
    import time

    from ..render import write_graph

    start = time.perf_counter()
    path = write_graph(store_kb(extra, snapshot=True), output, focus=focus, depth=depth, types=types, disease=disease, title=title)
    click.echo(f"wrote {path} ({path.stat().st_size // 1024} KiB, {time.perf_counter() - start:.1f} s)", err=True)


@click.command()
@click.option("--target", required=True, metavar="GENE",
              help="Gene or fusion: ABL1, BCR-ABL1, EGFR, ALK, KIT, FLT3 ... (its fusions are included).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Output file: .html (interactive), .png or .svg. Default: TARGET.html.")
@click.option("--disease", metavar="D", help="Let disease D's findings decide each verdict, as explain --disease does.")
@data_option
@source_option
def matrix(target, output, disease, extra, source):  # store_kb reads --source
    """Cross-resistance matrix of one target: its variants by the drugs of its class.

    Each cell is the verdict `tkigraph explain DRUG VARIANT` gives (resistant,
    reduced sensitivity, sensitive, no evidence), labelled with the IC50 fold
    change where a source published one; * marks conflicting evidence. In the
    HTML version the evidence (statement, level, citations with PubMed links) is
    one hover or click away.

    \b
    Examples:
      tkigraph matrix --target ABL1 -o abl1.html
      tkigraph matrix --target EGFR --disease NSCLC -o egfr.svg
      tkigraph matrix --target ALK -o alk.png
    """
    from ..render import MATRIX_SUFFIXES, write_matrix

    output = output or f"{target.replace('::', '-').replace('/', '-').replace(' ', '_')}.html"
    if not output.lower().endswith(MATRIX_SUFFIXES):
        raise click.BadParameter(f"{output}: use a .html, .png or .svg file", param_hint="-o/--output")
    path = write_matrix(store_kb(extra), output, target, disease=disease)
    click.echo(f"wrote {path}", err=True)


COMMANDS = [render, matrix]
