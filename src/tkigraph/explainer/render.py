"""Renderers of an :class:`~tkigraph.explainer.reason.Explanation`: text, markdown, JSON.

The JSON form is a stable contract (see the README): keys are only ever added.
"""

from __future__ import annotations

import json

from .reason import SHORT, Explanation

__all__ = ["summary", "to_dict", "to_json", "to_text", "to_markdown", "RENDERERS"]

VERDICT_WORDS = {
    "resistant": "RESISTANT",
    "reduced_sensitivity": "REDUCED SENSITIVITY",
    "sensitive": "SENSITIVE",
    "no_evidence": "NO EVIDENCE",
}
VERDICT_COLOURS = {"resistant": "red", "reduced_sensitivity": "yellow", "sensitive": "green", "no_evidence": "blue"}
MATCH_WORDS = {
    "exact": "findings about this variant",
    "parent": "findings inherited from a broader variant class",
    "codon": "findings about variants at this codon",
    "component": "inferred from the components of the compound variant",
    "none": "no finding",
}


def _fold(value: float | None) -> str:
    return f", IC50 x{value:g}" if value is not None else ""


def summary(result: Explanation) -> str:
    """One readable paragraph."""
    drug, variant = result.drug.label, result.variant.label
    if result.verdict == "no_evidence":
        facts = result.drug_facts
        targets = ", ".join(facts.get("targets", [])) or "no recorded target"
        return (f"The knowledge base holds no evidence on {drug} against {variant}; no verdict is given. "
                f"{drug} targets {targets}. See the other drugs' evidence against {variant} below.")
    words = {"resistant": "is resistant to", "reduced_sensitivity": "shows reduced sensitivity to",
             "sensitive": "remains sensitive to"}[result.verdict]
    text = f"{variant} {words} {drug}"
    if result.disease:
        text += f" (asked in {result.disease.label})"
    text += f", based on {len(result.evidence)} finding(s), {MATCH_WORDS[result.matched_at]}."
    if result.inferred:
        text += " The verdict was inferred from the components, not observed for the compound itself."
    if result.mechanisms:
        text += " Mechanism: " + ", ".join(m.label for m in result.mechanisms) + "."
    if result.structural_region:
        text += f" Structural region: {result.structural_region}."
    if result.conflicting:
        effects = sorted({e.effect.replace('_', ' ') for e in result.evidence if not e.negated})
        text += f" Sources disagree ({', '.join(effects)}); the verdict follows the strongest evidence."
    if result.alternatives:
        text += " Alternatives with sensitivity evidence: " + ", ".join(a.drug.label for a in result.alternatives[:4]) + "."
    return text


def to_dict(result: Explanation) -> dict:
    """The JSON contract."""
    return {
        "query": result.query,
        "drug": {"id": result.drug.id, "label": result.drug.label},
        "variant": {
            "id": result.variant.id, "label": result.variant.label,
            "gene": result.gene.label if result.gene else None,
            "components": [{"id": c.id, "label": c.label} for c in result.components],
            "phase": result.phase,
        },
        "disease": {"id": result.disease.id, "label": result.disease.label} if result.disease else None,
        "verdict": result.verdict,
        "conflicting": result.conflicting,
        "matched_at": result.matched_at,
        "inferred": result.inferred,
        "summary": summary(result),
        "mechanisms": [{"id": m.id, "label": m.label, "category": m.label} for m in result.mechanisms],
        "structural_region": result.structural_region,
        "structural_note": result.structural_note,
        "evidence": [e.to_dict() for e in result.evidence],
        "cross_resistance": [{"drug": d.label, "drug_id": d.id, "verdict": v} for d, v in result.cross_resistance],
        "alternatives": [a.to_dict() for a in result.alternatives],
        "paths": result.paths,
        "drug_facts": result.drug_facts,
    }


def to_json(result: Explanation) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False)


def _cross_row(result: Explanation) -> str:
    return ", ".join(f"{d.label} {SHORT[v]}" for d, v in result.cross_resistance)


def _evidence_line(e) -> str:
    disease = e.disease.label if e.disease else "disease not stated"
    flags = (" [does not support]" if e.negated else "") + (" [citation unverified]" if e.unverified else "")
    origin = "" if e.origin == "curated" else f" [{e.origin}]"
    return (f"{e.effect.replace('_', ' ')} | {e.level} | {disease}{_fold(e.ic50_fold_change)} | "
            f"{'; '.join(e.citations)} ({', '.join(e.sources)}){origin}{flags}\n      {e.statement}")


def to_text(result: Explanation, colour: bool = False) -> str:
    """Plain text for a terminal (coloured verdict when ``colour``)."""
    import click

    verdict = VERDICT_WORDS[result.verdict]
    if colour:
        verdict = click.style(verdict, fg=VERDICT_COLOURS[result.verdict], bold=True)
    lines = [f"{result.drug.label} vs {result.variant.label}: {verdict}"
             + (" (inferred)" if result.inferred else "") + (" (sources disagree)" if result.conflicting else ""),
             "", summary(result), ""]
    if result.mechanisms:
        lines.append("Mechanism:  " + ", ".join(m.label for m in result.mechanisms))
    if result.structural_region or result.structural_note:
        lines.append("Structure:  " + "; ".join(x for x in (result.structural_region, result.structural_note) if x))
    lines.append(f"Matched:    {MATCH_WORDS[result.matched_at]}")
    if result.evidence:
        lines += ["", "Evidence:"] + [f"  - {_evidence_line(e)}" for e in result.evidence]
    if result.cross_resistance:
        lines += ["", f"Cross-resistance ({result.variant.label}; R resistant, r reduced, S sensitive, ? no evidence):",
                  "  " + _cross_row(result)]
    if result.alternatives:
        lines += ["", "Alternatives:"]
        lines += [f"  - {a.drug.label} ({a.level}{', this disease' if a.in_disease else ''}): {a.reason}"
                  for a in result.alternatives]
    elif result.verdict != "sensitive":
        lines += ["", "Alternatives: none with sensitivity evidence in the knowledge base."]
    if result.paths:
        lines += ["", "Graph path:"]
        for path in result.paths[:3]:
            lines.append("  " + " ".join(step.get("label") or step.get("predicate", "") for step in path))
    return "\n".join(lines)


def to_markdown(result: Explanation) -> str:
    """Markdown for reports."""
    lines = [f"## {result.drug.label} vs {result.variant.label}: **{VERDICT_WORDS[result.verdict]}**", "",
             summary(result), ""]
    if result.structural_region or result.structural_note:
        lines += [f"**Structure:** {'; '.join(x for x in (result.structural_region, result.structural_note) if x)}", ""]
    if result.evidence:
        lines += ["| effect | level | disease | fold change | source | statement |", "|---|---|---|---|---|---|"]
        for e in result.evidence:
            cell = lambda text: str(text).replace("|", "\\|")  # noqa: E731
            lines.append("| " + " | ".join(cell(x) for x in (
                e.effect.replace("_", " ") + (" (does not support)" if e.negated else ""), e.level,
                e.disease.label if e.disease else "", f"{e.ic50_fold_change:g}" if e.ic50_fold_change else "",
                "; ".join(e.citations) + f" ({', '.join(e.sources)})", e.statement)) + " |")
        lines.append("")
    if result.cross_resistance:
        lines += [f"**Cross-resistance:** {_cross_row(result)}", ""]
    if result.alternatives:
        lines += ["**Alternatives:**", ""] + [f"- **{a.drug.label}** ({a.level}): {a.reason}" for a in result.alternatives]
    return "\n".join(lines)


RENDERERS = {"text": to_text, "markdown": to_markdown, "json": to_json}
