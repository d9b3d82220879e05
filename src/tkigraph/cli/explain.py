"""``explain`` and ``alternatives``: why a drug fails or works, and what to use instead."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from .options import colour_wanted, data_option, format_option, remote_options, source_option, store_kb

if TYPE_CHECKING:
    from ..sparql.remote import Remote


@click.command()
@click.argument("drug")
@click.argument("variant")
@click.option("--gene", help="Gene or fusion of a bare change (T315I --gene ABL1).")
@click.option("--disease", help="Disease name or abbreviation (CML, NSCLC, LUAD, GIST): its findings rank first.")
@remote_options("answer from it (pulls only the subgraph this question needs).")
@data_option
@source_option
@format_option("text", "markdown", "json")
def explain(drug: str, variant: str, gene: str | None, disease: str | None, remote: Remote | None,
            extra: tuple[str, ...], source: str, fmt: str) -> None:
    """Why DRUG fails (or works) against VARIANT, and what to use instead.

    \b
    DRUG: name, brand or code name, or CURIE (imatinib, Gleevec, STI-571).
    VARIANT, any of:
      T315I  p.T315I  p.Thr315Ile  "ABL1 T315I"  "BCR::ABL1 T315I"  EGFR-T790M
      D835 (any change at the codon)  G719X  E746_A750del  A763_Y764insFQEA
      "exon 19 deletion"  "exon 20 insertion"  "MET exon 14 skipping"  FLT3-ITD
      "MET amplification"  EML4-ALK  ABCB1  P-gp  BCRP  "small cell transformation"
      "T790M+C797S"  "T790M/C797S in cis"  "T790M/C797S in trans"  Ex19del+T790M
      "EGFR L858R mutation"  "NTRK fusion"  KRAS  "ALK R1192P" (not in the graph)

    \b
    Examples:
      tkigraph explain imatinib T315I
      tkigraph explain osimertinib "MET amplification" --disease NSCLC
      tkigraph explain lorlatinib "G1202R+L1196M" --format json

    The rules (evidence hierarchy, compounds, classes, alternatives) are in
    docs/explain.md.

    Exit 0 when both names resolve (whatever the verdict, also for a well-formed
    variant of a known gene that the graph lacks: verdict no_evidence with the
    nearest evidence), 2 with suggestions when a name is unknown or ambiguous.
    """
    from ..explainer import explain as run
    from ..explainer.render import RENDERERS, to_text

    if remote:
        from ..sparql.remote import explain_kb

        kb = explain_kb(remote.endpoint, variant, gene, graph=remote.graph, auth=remote.auth)
    else:
        kb = store_kb(extra, source)
    result = run(kb, drug, variant, gene=gene, disease=disease)
    if fmt == "text":
        click.echo(to_text(result, colour=colour_wanted()))
    else:
        click.echo(RENDERERS[fmt](result))


@click.command()
@click.argument("variant")
@click.option("--gene", help="Gene or fusion of a bare change.")
@click.option("--disease", help="Disease name or abbreviation: its findings rank first.")
@data_option
@source_option
@format_option("text", "json")
def alternatives(variant: str, gene: str | None, disease: str | None, extra: tuple[str, ...], source: str, fmt: str) -> None:
    """Drugs with sensitivity evidence against VARIANT, best first (docs/explain.md).

    Drugs with any resistance evidence against the variant are never listed;
    withdrawn approvals are marked and ranked last.

    \b
    Example:
      tkigraph alternatives T315I --disease CML
    """
    from ..explainer import alternatives as run

    entity, found = run(store_kb(extra, source), variant, gene=gene, disease=disease)
    if fmt == "json":
        click.echo(json.dumps({"variant": entity.to_dict(), "alternatives": [a.to_dict() for a in found]},
                              indent=2, ensure_ascii=False))
        return
    click.secho(f"Alternatives for {entity.label}:", bold=True)
    if not found:
        click.echo("  none with sensitivity evidence in the knowledge base")
    for a in found:
        click.echo(f"  - {a.line()}")


COMMANDS = [explain, alternatives]
