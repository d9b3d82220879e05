"""What the knowledge base covers: counts by entity kind, mechanism, evidence level and target.

Findings are counted as written (one per source record); claims (``tkigraph:Claim``, derived) count
the same variant x drug x disease x effect once, however many sources support it.

``tkigraph coverage --format markdown`` prints the README's coverage table; a
test checks that the README holds exactly that output.
"""

from __future__ import annotations

from collections import Counter

from .model import KnowledgeBase
from .namespaces import DCTERMS, RDF, TKG

__all__ = ["coverage", "to_markdown"]


def _count_by(kb: KnowledgeBase, findings, predicate) -> dict[str, int]:
    counts = Counter(kb.label(value) if (value := kb.graph.value(f, predicate)) is not None else "none" for f in findings)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _gene_of(kb: KnowledgeBase, variant):
    """The gene a variant belongs to, following fusions to their 3' kinase and compounds to a component."""
    g = kb.graph
    gene = g.value(variant, TKG.variantOf)
    if gene is None:
        return None
    partner = g.value(gene, TKG.threePrimePartner)
    return partner if partner is not None else gene


def coverage(kb: KnowledgeBase) -> dict:
    g = kb.graph
    findings = list(g.subjects(RDF.type, TKG.Finding))
    drugs = kb.instances(TKG.Drug) - kb.instances(TKG.Combination)
    publications = kb.instances(TKG.Publication)
    per_target: dict[str, dict[str, set]] = {}
    for finding in findings:
        gene = _gene_of(kb, g.value(finding, TKG.variant))
        row = per_target.setdefault(kb.label(gene) if gene is not None else "(no gene)",
                                    {"variants": set(), "drugs": set(), "findings": set(), "claims": set()})
        row["variants"].add(g.value(finding, TKG.variant))
        row["drugs"].add(g.value(finding, TKG.drug))
        row["findings"].add(finding)
        row["claims"].add(g.value(finding, TKG.supports) or finding)
    return {
        "totals": {
            "kinases (genes and fusions)": len(kb.instances(TKG.Kinase)),
            "drugs": len(drugs),
            "drug combinations": len(kb.instances(TKG.Combination)),
            "variants and alterations": len(kb.instances(TKG.Variant) - kb.instances(TKG.Kinase)),
            "compound variants": len(kb.instances(TKG.CompoundVariant)),
            "findings": len(findings),
            "claims (the same claim from several sources counted once)": len(kb.instances(TKG.Claim)),
            "findings with IC50 fold change": sum(1 for f in findings if (f, TKG.ic50FoldChange, None) in g),
            "pathways": len(kb.instances(TKG.Pathway)),
            "diseases": len(kb.instances(TKG.Disease)),
            "publications, labels and guidelines": len(publications),
            "unverified citations": sum(1 for p in publications if kb.is_unverified(p)),
            "cited sources per finding (mean)": round(
                sum(len(list(g.objects(f, DCTERMS.source))) for f in findings) / max(len(findings), 1), 2),
        },
        "findings_by_mechanism": _count_by(kb, findings, TKG.mechanism),
        "findings_by_effect": _count_by(kb, findings, TKG.effect),
        "findings_by_level": _count_by(kb, findings, TKG.evidenceLevel),
        "by_target": {name: {k: len(v) for k, v in row.items()}
                      for name, row in sorted(per_target.items(), key=lambda kv: (-len(kv[1]["findings"]), kv[0]))},
    }


def to_markdown(data: dict) -> str:
    """The coverage as markdown tables."""
    lines = ["| what | count |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in data["totals"].items()]
    for title, key in (("mechanism category", "findings_by_mechanism"), ("effect", "findings_by_effect"),
                       ("evidence level", "findings_by_level")):
        lines += ["", f"| findings by {title} | count |", "|---|---:|"]
        lines += [f"| {k} | {v} |" for k, v in data[key].items()]
    lines += ["", "| target (gene of the variant) | variants | drugs | findings | claims |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {k} | {v['variants']} | {v['drugs']} | {v['findings']} | {v['claims']} |"
              for k, v in data["by_target"].items()]
    return "\n".join(lines)
