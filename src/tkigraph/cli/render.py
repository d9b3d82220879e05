"""``render`` and ``matrix``: an interactive offline page of the graph, and cross-resistance matrices."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .options import colour_wanted, data_option, source_option, store_kb

if TYPE_CHECKING:
    from ..model import KnowledgeBase

#: node types ``--types`` accepts (the ``type`` of the networkx projection)
NODE_TYPES = ("drug", "kinase", "fusion", "gene", "variant", "finding", "mechanism", "pathway", "disease",
              "publication", "concept")


def _types(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
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
@click.option("--drug", metavar="NAME", help="Draw the resistance map of drug NAME: how it fails, by mechanism.")
@click.option("--focus", metavar="NAME", help="Draw NAME and its neighbourhood: a drug (its resistance map unless "
              "--view graph), variant, kinase, mechanism, pathway or disease (name, synonym or CURIE).")
@click.option("--view", type=click.Choice(["auto", "map", "graph"]), default="auto", show_default=True,
              help="map: the resistance map of a drug; graph: the network; auto: the map for a drug (--drug, or "
              "--focus on a drug without --types or --depth), the network otherwise.")
@click.option("--depth", type=click.IntRange(0, 6), default=None,
              help="How many steps around --focus (edges followed in either direction)  [default: 1]")
@click.option("--types", callback=_types, metavar="T1,T2,...",
              help="Keep only these node types: " + ", ".join(NODE_TYPES) + ". Name 'finding' to draw findings as "
              "nodes (by default they are folded into the edges they support).")
@click.option("--disease", metavar="D",
              help="Keep only the findings of disease D (and its subtypes): CML, NSCLC, GIST ...")
@click.option("--max-nodes", type=click.IntRange(0), default=None, metavar="N",
              help="Draw at most N nodes, the most important first: the focus, its nearest neighbours, drugs and "
              "kinases, the best connected (0: no cap)  [default: 150]")
@click.option("--title", help="Page title.")
@data_option
@source_option
def render(output: str, drug: str | None, focus: str | None, view: str, depth: int | None, types: list[str] | None,
           disease: str | None, max_nodes: int | None, title: str | None,
           extra: tuple[str, ...], source: str) -> None:  # source: store_kb
    """Write a picture of the graph as ONE HTML page that works offline.

    \b
    Two kinds of page:
    - the RESISTANCE MAP of a drug (--drug, or --focus on a drug): the drug at
      the centre, the mechanisms of resistance around it (on-target mutation,
      amplification, bypass pathway, downstream, efflux and metabolism,
      transformation, microenvironment, persister), each alteration coloured by
      its verdict and sized by its evidence; hover for the drugs that still
      work, click for the evidence. Laid out before the page opens.
    - the NETWORK: nodes coloured and shaped by type, edges coloured by effect,
      findings folded into the edges they support (click an edge for them),
      labels shown by zoom and importance, a fixed layered layout, and at most
      --max-nodes nodes (the page says how many more and how to narrow).

    \b
    Examples:
      tkigraph render --drug osimertinib --disease NSCLC -o osimertinib.html
      tkigraph render --focus imatinib -o imatinib.html     (imatinib's map)
      tkigraph render --focus imatinib --view graph -o imatinib-graph.html
      tkigraph render --focus "BCR-ABL1 T315I" --depth 2 -o t315i.html
      tkigraph render --disease CML --types drug,variant,fusion,kinase -o cml.html
      tkigraph render -o graph.html                        (the 150 most important nodes)

    An unknown --drug, --focus or --disease exits 2 with suggestions.
    """
    import time

    from .. import render as pictures

    start = time.perf_counter()
    if view == "map" and not (drug or focus):
        raise click.UsageError("--view map needs --drug (or --focus on a drug)")
    kb = store_kb(extra)  # read call by call: a drug's map reads only its neighbourhood
    name = drug or focus
    if name is not None and _is_map(kb, drug, focus, view, depth, types):
        path = pictures.write_drug_map(kb, output, name, disease=disease)
    else:
        from ..storage.oxigraph import snapshot_kb

        kb = snapshot_kb(kb)  # the network is projected from the whole graph: read it at once
        path = pictures.write_graph(kb, output, focus=name, depth=1 if depth is None else depth, types=types,
                                    disease=disease, title=title,
                                    max_nodes=pictures.MAX_NODES if max_nodes is None else max_nodes)
    click.echo(f"wrote {path} ({path.stat().st_size // 1024} KiB, {time.perf_counter() - start:.1f} s)", err=True)


def _is_map(kb: KnowledgeBase, drug: str | None, focus: str | None, view: str, depth: int | None,
            types: list[str] | None) -> bool:
    """Whether the resistance map is drawn (see ``--view``)."""
    if view != "auto":
        return view == "map"
    if drug:
        return True
    if focus is None or depth is not None or types is not None:
        return False
    from ..render.network import resolve_focus

    return kb.type_of(resolve_focus(kb, focus)) == "drug"


@click.command()
@click.option("--target", required=True, metavar="GENE",
              help="Gene or fusion: ABL1, BCR-ABL1, EGFR, ALK, KIT, FLT3 ... (its fusions are included).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write a file instead: .html (interactive), .png or .svg.")
@click.option("--png", "png", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Also write the matrix as a PNG picture.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "markdown"]), default="table",
              show_default=True, help="What to print: a table (coloured on a terminal), JSON, CSV or Markdown.")
@click.option("--disease", metavar="D", help="Let disease D's findings decide each verdict, as explain --disease does.")
@data_option
@source_option
def matrix(target: str, output: str | None, png: str | None, fmt: str, disease: str | None,
           extra: tuple[str, ...], source: str) -> None:  # store_kb reads --source
    """Cross-resistance matrix of one target: its variants by the drugs of its class.

    Each cell is the verdict `tkigraph explain DRUG VARIANT` gives: R resistant,
    r reduced sensitivity, S sensitive, . no evidence (* conflicting evidence).
    Rows are grouped by structural region (P-loop, gatekeeper, activation loop
    ...), in the order the regions lie along the kinase. On a terminal the
    table is coloured; piped, or with NO_COLOR set, it is plain letters. With
    -o the matrix is written as a file instead: HTML with the evidence one
    click away, or a PNG/SVG picture with IC50 fold changes (--png FILE writes
    the picture and still prints the table).

    \b
    Examples:
      tkigraph matrix --target ABL1
      tkigraph matrix --target ABL1 --format json > abl1.json
      tkigraph matrix --target EGFR --disease NSCLC --format markdown
      tkigraph matrix --target ABL1 -o abl1.html
      tkigraph matrix --target ALK --png alk.png
    """
    from ..render import MATRIX_SUFFIXES
    from ..render.matrix import compute, write
    from ..render.matrix_text import render_text

    for name, hint in ((output, "-o/--output"), (png, "--png")):
        if name and not name.lower().endswith(MATRIX_SUFFIXES if hint == "-o/--output" else (".png",)):
            raise click.BadParameter(f"{name}: use a {'.html, .png or .svg' if name == output else '.png'} file",
                                     param_hint=hint)
    computed = compute(store_kb(extra), target, disease=disease)
    for path in filter(None, (output, png)):
        click.echo(f"wrote {write(computed, path)}", err=True)
    if output:
        return
    colour = fmt == "table" and colour_wanted()
    click.echo(render_text(computed, fmt, colour=colour), nl=False, color=colour)



COMMANDS = [render, matrix]
