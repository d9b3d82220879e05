"""Renderers of an :class:`~tkigraph.explainer.reason.Explanation`: text, markdown, JSON.

The JSON form is a stable contract (see the README): keys are only ever added. Every
citation carries its https link where the graph gives one, and its date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .style import VERDICT_STYLE
from .verdict import MatchLevel, Verdict

if TYPE_CHECKING:
    from ..model import Evidence
    from .reason import Explanation
    from .verdict import Side

__all__ = ["summary", "to_dict", "to_json", "to_text", "to_markdown", "RENDERERS", "verdict_sentence"]

MATCH_WORDS = {
    "exact": "findings about this variant",
    "parent": "findings about a broader variant class it belongs to",
    "codon": "findings about variants at this codon",
    "component": "inferred from the parts of the compound variant",
    "gene": "findings about the gene's recorded alterations",
    "none": "no finding",
}


def _fold(value: float | None) -> str:
    return f", IC50 x{value:g}" if value is not None else ""


def verdict_sentence(drug: str, variant: str, verdict: str) -> str:
    """'imatinib fails against BCR-ABL1 T315I' (the drug acts or fails; the variant is not 'resistant to' it)."""
    return {
        Verdict.RESISTANT: f"{drug} fails against {variant}",
        Verdict.REDUCED: f"{drug} has reduced activity against {variant}",
        Verdict.SENSITIVE: f"{drug} remains active against {variant}",
    }.get(Verdict(verdict), f"the knowledge base holds no evidence on {drug} against {variant}")


def _counts(result: Explanation) -> str:
    own = [e for e in result.evidence if not result.from_class(e)]
    cls = [e for e in result.evidence if result.from_class(e)]
    parts = []
    if own:
        about = {MatchLevel.COMPONENT: "its parts", MatchLevel.CODON: "the changes at this codon",
                 MatchLevel.GENE: "these alterations"}.get(result.matched_at, "this variant")
        parts.append(f"{len(own)} finding(s) about {about}")
    if cls:
        classes = sorted({e.variant.label for e in cls})
        parts.append(f"{len(cls)} about its class ({', '.join(classes)})")
    return " and ".join(parts)


def _absent_sentence(result: Explanation) -> str:
    facts = result.variant_facts
    where = [f"codon {facts.codon}"] if facts.codon else []
    if facts.exon:
        where.append(f"exon {facts.exon}")
    if facts.region or result.structural_region:
        where.append(f"{facts.region or result.structural_region} region")
    gene = result.gene.label if result.gene else "its gene"
    text = (f"{result.variant.label} is not in the knowledge base: a change of {gene}"
            + (f" at {', '.join(where)}" if where else "") + "; no verdict is given.")
    if result.nearest:
        text += f" The nearest evidence below is NOT about {result.variant.label}."
    return text


def summary(result: Explanation) -> str:
    """One readable paragraph."""
    drug, variant = result.drug.label, result.variant.label
    if result.verdict == Verdict.NO_EVIDENCE:
        if result.variant_facts.absent:
            text = _absent_sentence(result)
        else:
            facts = result.drug_facts
            targets = ", ".join(facts.targets) or "no recorded target"
            text = (f"The knowledge base holds no evidence on {drug} against {variant}; no verdict is given. "
                    if not result.evidence or result.inferred else
                    f"The evidence the knowledge base holds does not decide whether {drug} acts against {variant}; "
                    "no verdict is given. ") + f"{drug} targets {targets}."
            if facts.approved_by and facts.indications:
                text += (f" {drug[0].upper()}{drug[1:]} is approved for {', '.join(facts.indications)} "
                         f"({'; '.join(facts.approved_by)}), an approval that names no variant.")
        if result.excluded_from:
            text += (" Findings about " + ", ".join(c.label for c in result.excluded_from)
                     + f" do not apply: that class excludes {variant}.")
        text += "".join(" " + n for n in result.notes)
        if result.clinical_meaning:
            text += " " + _meaning_sentence(result)
        return text + _alternatives_sentence(result)
    text = verdict_sentence(drug, variant, result.verdict)
    text = text[0].upper() + text[1:]
    if result.disease:
        text += f" (asked in {result.disease.label})"
    text += f", based on {_counts(result) or MATCH_WORDS[result.matched_at]}."
    if result.decided_by and not result.inferred:
        text += f" {result.decided_by[0].upper()}{result.decided_by[1:]}."
    if result.verdict == Verdict.SENSITIVE and min((e.level_rank for e in result.evidence), default=9) > 2:
        text += " Only preclinical evidence supports activity; the knowledge base holds no clinical evidence for it."
    text += "".join(" " + n for n in result.notes)
    if result.excluded_from:
        classes = ", ".join(c.label for c in result.excluded_from)
        text += f" Findings about {classes} do not apply: that class excludes it."
    if result.mechanisms:
        text += " Mechanism: " + ", ".join(m.label for m in result.mechanisms) + "."
    if result.structural_region:
        text += f" Structural region: {result.structural_region}."
    if result.conflict:
        text += " " + _conflict_sentence(result)
    if result.clinical_meaning:
        text += " " + _meaning_sentence(result)
    return text + _alternatives_sentence(result)


def _conflict_sentence(result: Explanation) -> str:
    items = sorted(result.conflict, key=lambda e: (e.level_rank, -e.year))
    said = "; ".join(dict.fromkeys(
        f"{e.effect.replace('_', ' ')} ({e.level}, {e.variant.label}, {e.cite()})" for e in items))
    return (f"Other evidence disagrees: {said}. It does not overturn the verdict: a lower level never "
            "overturns a higher one, and within a level the more recent and better-sourced evidence decides.")


def _meaning_sentence(result: Explanation) -> str:
    items = result.clinical_meaning
    drugs = ", ".join(dict.fromkeys(e.drug.label for e in items))
    return f"In trans, the compound responds to {drugs} ({'; '.join(e.cite() for e in items[:2])})."


def _alternatives_sentence(result: Explanation) -> str:
    shown = list(result.alternatives[:4])
    if not shown:
        return ""
    words = [a.drug.label + (f" ({', '.join(a.flags)})" if a.flags else "") for a in shown]
    return " Alternatives with sensitivity evidence: " + ", ".join(words) + "."


def _evidence_dict(result: Explanation, e: Evidence) -> dict[str, Any]:
    data: dict[str, Any] = e.to_dict()
    data["from_class"] = result.from_class(e)
    data["about"] = "class" if result.from_class(e) else "variant"
    return data


def to_dict(result: Explanation) -> dict[str, Any]:
    """The JSON contract."""
    return {
        "query": result.query,
        "drug": {"id": result.drug.id, "label": result.drug.label},
        "variant": {
            "id": result.variant.id, "label": result.variant.label,
            "gene": result.gene.label if result.gene else None,
            "components": [{"id": c.id, "label": c.label} for c in result.components],
            "phase": result.phase,
            "codon": result.variant_facts.codon, "exon": result.variant_facts.exon,
            "region": result.structural_region, "in_graph": not result.variant_facts.absent,
            "classes": result.variant_facts.classes, "matched_as": result.variant_facts.match,
            "excluded_from": [c.label for c in result.excluded_from],
        },
        "disease": {"id": result.disease.id, "label": result.disease.label} if result.disease else None,
        "verdict": result.verdict,
        "sentence": verdict_sentence(result.drug.label, result.variant.label, result.verdict),
        "conflicting": result.conflicting,
        "matched_at": result.matched_at,
        "inferred": result.inferred,
        "decided_by": result.decided_by,
        "notes": result.notes,
        "summary": summary(result),
        "mechanisms": [{"id": m.id, "label": m.label, "category": m.label} for m in result.mechanisms],
        "structural_region": result.structural_region,
        "structural_note": result.structural_note,
        "evidence": [_evidence_dict(result, e) for e in result.evidence],
        "conflict": [e.to_dict() for e in result.conflict],
        "sides": [side.to_dict() for side in result.sides],
        "clinical_meaning": [e.to_dict() for e in result.clinical_meaning],
        "nearest": [n.to_dict() for n in result.nearest],
        "cross_resistance": [{"drug": d.label, "drug_id": d.id, "verdict": v} for d, v in result.cross_resistance],
        "alternatives": [a.to_dict() for a in result.alternatives],
        "paths": result.paths,
        "drug_facts": result.drug_facts.to_dict(),
    }


def to_json(result: Explanation) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False)


def _cross_row(result: Explanation) -> str:
    return ", ".join(f"{d.label} {VERDICT_STYLE[v].row_letter}" for d, v in result.cross_resistance)


def _when(e: Evidence) -> str:
    dates = [r.date for r in e.refs if r.date]
    return f" | {max(dates)}" if dates else ""


def _evidence_line(e: Evidence, from_class: bool = False) -> str:
    disease = e.disease.label if e.disease else "disease not stated"
    flags = (" [does not support]" if e.negated else "") + (" [citation unverified]" if e.unverified else "")
    origin = ("" if e.origin == "curated" else f" [{e.origin}]") + (f" {e.record_text}" if e.records else "")
    about = f" [from the class {e.variant.label}]" if from_class else ""
    return (f"{e.effect.replace('_', ' ')} | {e.level} | {disease}{_fold(e.ic50_fold_change)}{_when(e)} | "
            f"{e.cite()}{origin}{flags}{about}\n      {e.statement}")


def _side_head(side: Side) -> str:
    claims = f", {side.claims} claim(s)" if side.claims != side.findings else ""
    return f"{side.words}: {', '.join(side.origins)} ({side.findings} finding(s){claims})"


def to_text(result: Explanation, colour: bool = False) -> str:
    """Plain text for a terminal (coloured verdict when ``colour``)."""
    import click

    style = VERDICT_STYLE[result.verdict]
    verdict = click.style(style.words, fg=style.terminal, bold=True) if colour else style.words
    lines = [f"{result.drug.label} vs {result.variant.label}: {verdict}"
             + (" (inferred)" if result.inferred and result.verdict != Verdict.NO_EVIDENCE else "")
             + (" (evidence disagrees)" if result.conflicting else ""),
             "", summary(result), ""]
    if result.mechanisms:
        lines.append("Mechanism:  " + ", ".join(m.label for m in result.mechanisms))
    if result.structural_region or result.structural_note:
        lines.append("Structure:  " + "; ".join(x for x in (result.structural_region, result.structural_note) if x))
    lines.append(f"Matched:    {MATCH_WORDS[result.matched_at]}")
    if result.evidence:
        lines += ["", "Evidence:"] + [f"  - {_evidence_line(e, result.from_class(e))}" for e in result.evidence]
    if result.sides:
        lines += ["", "Conflict (each side's strongest evidence; the verdict follows the evidence hierarchy):"]
        lines += [f"  - {_side_head(side)}\n      {_evidence_line(side.strongest)}" for side in result.sides]
    if result.clinical_meaning:
        lines += ["", "What works in trans:"] + [f"  - {_evidence_line(e)}" for e in result.clinical_meaning]
    if result.nearest:
        lines += ["", f"Nearest evidence (NOT about {result.variant.label}):"]
        for n in result.nearest:
            lines.append(f"  - {n.variant.label} ({n.relation}): {VERDICT_STYLE[n.verdict].words}")
            lines += [f"      {_evidence_line(e)}" for e in n.evidence]
    if result.cross_resistance:
        lines += ["", f"Cross-resistance ({result.variant.label}; R resistant, r reduced, S sensitive, ? no evidence):",
                  "  " + _cross_row(result)]
    if result.alternatives:
        lines += ["", "Alternatives:"] + [f"  - {a.line()}" for a in result.alternatives]
    elif result.verdict != Verdict.SENSITIVE:
        lines += ["", "Alternatives: none with sensitivity evidence in the knowledge base."]
    if result.paths:
        lines += ["", "Graph path:"]
        for path in result.paths[:3]:
            lines.append("  " + " ".join(step.get("label") or step.get("predicate", "") for step in path))
    return "\n".join(lines)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|")


def _md_source(e: Evidence) -> str:
    if not e.refs:
        return "; ".join([*e.citations, *(f"[{r.text}]({r.url})" for r in e.records)])
    return "; ".join(f"[{r.text}]({r.url})" if r.url else r.text for r in (*e.refs, *e.records))


def _md_table(result: Explanation, items: Iterable[Evidence], show_about: bool = True) -> list[str]:
    lines = ["| effect | level | about | disease | fold change | date | source | statement |",
             "|---|---|---|---|---|---|---|---|"]
    for e in items:
        about = ("class " + e.variant.label) if result.from_class(e) else e.variant.label
        lines.append("| " + " | ".join(_cell(x) for x in (
            e.effect.replace("_", " ") + (" (does not support)" if e.negated else ""), e.level,
            about if show_about else e.variant.label, e.disease.label if e.disease else "",
            f"{e.ic50_fold_change:g}" if e.ic50_fold_change else "", _when(e).strip(" |"),
            _md_source(e), e.statement)) + " |")
    return lines + [""]


def to_markdown(result: Explanation) -> str:
    """Markdown for reports (every source a link where the graph gives one)."""
    lines = [f"## {result.drug.label} vs {result.variant.label}: **{VERDICT_STYLE[result.verdict].words}**", "",
             summary(result), ""]
    if result.structural_region or result.structural_note:
        lines += [f"**Structure:** {'; '.join(x for x in (result.structural_region, result.structural_note) if x)}", ""]
    if result.evidence:
        lines += _md_table(result, result.evidence)
    if result.sides:
        lines += ["**Conflict** (each side's strongest evidence; the verdict follows the evidence hierarchy):", ""]
        lines += [f"- **{_cell(side.words)}** ({_cell(_side_head(side).partition(': ')[2])}): {side.strongest.level}, "
                  f"{_md_source(side.strongest)}" for side in result.sides]
        lines.append("")
    if result.clinical_meaning:
        lines += ["**What works in trans:**", ""] + _md_table(result, result.clinical_meaning)
    if result.nearest:
        lines += [f"**Nearest evidence (NOT about {result.variant.label}):**", ""]
        for n in result.nearest:
            lines += [f"- {n.variant.label} ({n.relation}): {VERDICT_STYLE[n.verdict].words}"
                      + "".join(f"; {e.level}, {_md_source(e)}" for e in n.evidence)]
        lines.append("")
    if result.cross_resistance:
        lines += [f"**Cross-resistance:** {_cross_row(result)}", ""]
    if result.alternatives:
        lines += ["**Alternatives:**", ""] + [
            f"- **{a.drug.label}** ({a.level}{''.join(', ' + f for f in a.flags)}): {a.reason}"
            for a in result.alternatives]
    return "\n".join(lines)


RENDERERS = {"text": to_text, "markdown": to_markdown, "json": to_json}
