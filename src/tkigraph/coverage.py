"""What the knowledge base covers: counts by entity kind, mechanism, evidence level and target.

Findings are counted as written (one per source record); claims (``tkigraph:Claim``, derived) count
the same variant x drug x disease x effect once, however many sources support it.

Everything is counted by the store, in a few aggregate queries (bounded memory, no walk over the
findings in Python); only the few distinct values found are named in Python (:meth:`KnowledgeBase.label`).

``tkigraph coverage --format markdown`` prints the README's coverage table; a
test checks that the README holds exactly that output.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .model import KnowledgeBase
from .namespaces import PREFIXES

__all__ = ["coverage", "to_markdown", "kinase_families"]

_PREFIXES = {name: PREFIXES[name] for name in ("tkigraph", "rdfs", "dcterms")}

#: distinct instances of each class and its subclasses (rdfs:subClassOf*, as KnowledgeBase.instances)
_INSTANCES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?class { tkigraph:Kinase tkigraph:Combination tkigraph:CompoundVariant tkigraph:Claim tkigraph:Pathway
                  tkigraph:Disease tkigraph:Publication }
  ?s a/rdfs:subClassOf* ?class
} GROUP BY ?class"""
#: ... of a class that are not instances of a second class
_INSTANCES_BUT = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES (?class ?but) { (tkigraph:Drug tkigraph:Combination) (tkigraph:Variant tkigraph:Kinase) }
  ?s a/rdfs:subClassOf* ?class FILTER NOT EXISTS { ?s a/rdfs:subClassOf* ?but }
} GROUP BY ?class"""
#: the findings, those with an IC50 fold change, and their cited sources. Every predicate of a finding has
#: ``rdfs:domain tkigraph:Finding`` (ontology/tkigraph.ttl), so a subject using one is a finding: counting by the
#: predicate alone, without joining each subject to its type, is many times faster at a million triples
_FINDINGS = "SELECT (COUNT(*) AS ?n) WHERE { ?f a tkigraph:Finding }"
_MEASURED = "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f tkigraph:ic50FoldChange ?x }"
_CITED = "SELECT (COUNT(*) AS ?n) WHERE { ?f a tkigraph:Finding ; dcterms:source ?source }"
_UNVERIFIED = ("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a/rdfs:subClassOf* tkigraph:Publication ; "
               "tkigraph:verification tkigraph:Unverified }")
#: findings by the value of each predicate (the shapes give a finding one of each), and how many findings have one
#: (the rest, invalid data, are counted as "(none)")
_BY_VALUE = """
SELECT ?predicate ?key (COUNT(*) AS ?n) WHERE {
  VALUES ?predicate { tkigraph:mechanism tkigraph:effect tkigraph:evidenceLevel }
  ?f ?predicate ?key
} GROUP BY ?predicate ?key"""
_HAVING = """
SELECT ?predicate (COUNT(DISTINCT ?f) AS ?n) WHERE {
  VALUES ?predicate { tkigraph:mechanism tkigraph:effect tkigraph:evidenceLevel }
  ?f ?predicate ?key
} GROUP BY ?predicate"""
#: per gene of the finding's variant (the 3' kinase of a fusion): distinct variants, drugs, findings, claims
_BY_TARGET = """
SELECT ?gene (COUNT(DISTINCT ?v) AS ?variants) (COUNT(DISTINCT ?d) AS ?drugs) (COUNT(DISTINCT ?f) AS ?findings)
       (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  ?f a tkigraph:Finding .
  OPTIONAL { ?f tkigraph:variant ?v OPTIONAL { ?v tkigraph:variantOf ?g OPTIONAL { ?g tkigraph:threePrimePartner ?p } } }
  OPTIONAL { ?f tkigraph:drug ?d }
  OPTIONAL { ?f tkigraph:supports ?c }
  BIND(COALESCE(?p, ?g) AS ?gene)
  BIND(COALESCE(?c, ?f) AS ?claim)
} GROUP BY ?gene"""

#: (mechanism, drug) of every finding, and the kinases each drug inhibits (a fusion as its 3' kinase): joined in
#: Python, since the drugs are few and a join per finding in the store is slow at a million triples
_MECHANISM_DRUGS = "SELECT DISTINCT ?mechanism ?drug WHERE { ?f tkigraph:mechanism ?mechanism ; tkigraph:drug ?drug }"
_DRUG_KINASES = """
SELECT DISTINCT ?drug ?kinase WHERE {
  { ?drug tkigraph:inhibits ?target } UNION { ?drug tkigraph:hasComponentDrug/tkigraph:inhibits ?target }
  OPTIONAL { ?target tkigraph:threePrimePartner ?partner }
  BIND(COALESCE(?partner, ?target) AS ?kinase)
}"""
_GUIDELINES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a/rdfs:subClassOf* tkigraph:Guideline }"


def kinase_families(symbols: set[str]) -> dict[str, str]:
    """Symbol -> its family among ``symbols``: paralogues numbered alike are one family (``NTRK1`` and
    ``NTRK3`` -> ``NTRK``; ``MAP2K1`` and ``MAP2K2`` -> ``MAP2K``); a symbol without a numbered
    sibling is its own (``FLT3``, ``EGFR``, ``KIT``)."""
    stem = {symbol: re.sub(r"(?<=[A-Z])\d+$", "", symbol) for symbol in symbols}
    siblings = Counter(stem.values())
    return {symbol: stem[symbol] if siblings[stem[symbol]] > 1 else symbol for symbol in symbols}


def coverage(kb: KnowledgeBase) -> dict[str, Any]:
    """The coverage of the knowledge base, counted by its Oxigraph store (``kb.store``)."""
    from .reader import select

    store = kb.store
    if store is None:
        raise TypeError("coverage() counts in an Oxigraph store: open the knowledge base with tkigraph.storage.oxigraph.open_kb")
    tkg = PREFIXES["tkigraph"]

    def rows(query: str) -> list[Any]:
        return list(select(store, query, prefixes=_PREFIXES))

    counted = {row["class"].value[len(tkg):]: int(row["n"].value) for row in rows(_INSTANCES)}
    but = {row["class"].value[len(tkg):]: int(row["n"].value) for row in rows(_INSTANCES_BUT)}

    def count(name: str) -> int:
        return counted.get(name, 0)

    findings = int(rows(_FINDINGS)[0]["n"].value)
    values: dict[str, Counter[str]] = {name: Counter() for name in ("mechanism", "effect", "evidenceLevel")}
    for row in rows(_BY_VALUE):
        values[row["predicate"].value[len(tkg):]][kb.label(row["key"].value)] += int(row["n"].value)
    for row in rows(_HAVING):
        if (lacking := findings - int(row["n"].value)) > 0:  # findings without it (invalid data)
            values[row["predicate"].value[len(tkg):]]["(none)"] += lacking
    for counted_values in values.values():
        if not counted_values and findings:  # no finding has it at all
            counted_values["(none)"] = findings

    def by(predicate: str) -> dict[str, int]:
        return dict(sorted(values[predicate].items(), key=lambda kv: (-kv[1], kv[0])))

    return {
        "totals": {
            "kinases (genes and fusions)": count("Kinase"),
            "drugs": but.get("Drug", 0),
            "drug combinations": count("Combination"),
            "variants and alterations": but.get("Variant", 0),
            "compound variants": count("CompoundVariant"),
            "findings": findings,
            "claims (the same claim from several sources counted once)": count("Claim"),
            "findings with IC50 fold change": int(rows(_MEASURED)[0]["n"].value),
            "pathways": count("Pathway"),
            "diseases": count("Disease"),
            "publications, labels and guidelines": count("Publication"),
            "guideline documents": int(rows(_GUIDELINES)[0]["n"].value),
            "unverified citations": int(rows(_UNVERIFIED)[0]["n"].value),
            "cited sources per finding (mean)": round(
                int(rows(_CITED)[0]["n"].value) / max(findings, 1), 2),
        },
        "findings_by_mechanism": by("mechanism"),
        "findings_by_effect": by("effect"),
        "findings_by_level": by("evidenceLevel"),
        "by_target": _by_target(kb, rows(_BY_TARGET)),
        "families_by_mechanism": _families(kb, rows(_MECHANISM_DRUGS), rows(_DRUG_KINASES)),
    }


def _families(kb: KnowledgeBase, mechanism_drugs: list[Any], drug_kinases: list[Any]) -> dict[str, list[str]]:
    """Mechanism category -> the kinase families (:func:`kinase_families`) whose inhibitors it has findings for."""
    kinases: dict[str, set[str]] = {}
    for row in drug_kinases:
        kinases.setdefault(row["drug"].value, set()).add(kb.label(row["kinase"].value))
    pairs = {(kb.label(row["mechanism"].value), kinase)
             for row in mechanism_drugs for kinase in kinases.get(row["drug"].value, ())}
    family = kinase_families({kinase for _, kinase in pairs})
    families: dict[str, set[str]] = {}
    for mechanism, kinase in pairs:
        families.setdefault(mechanism, set()).add(family[kinase])
    return {name: sorted(names) for name, names in sorted(families.items(), key=lambda kv: (-len(kv[1]), kv[0]))}


def _by_target(kb: KnowledgeBase, found: list[Any]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for row in found:
        gene = row["gene"]
        name = kb.label(gene.value) if gene is not None else "(no gene)"
        counts = table.setdefault(name, {"variants": 0, "drugs": 0, "findings": 0, "claims": 0})
        for key in counts:  # two genes of one name (never in the curated graph) are added up
            counts[key] += int(row[key].value)
    return dict(sorted(table.items(), key=lambda kv: (-kv[1]["findings"], kv[0])))


def to_markdown(data: dict[str, Any]) -> str:
    """The coverage as markdown tables."""
    lines = ["| what | count |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in data["totals"].items()]
    for title, key in (("mechanism category", "findings_by_mechanism"), ("effect", "findings_by_effect"),
                       ("evidence level", "findings_by_level")):
        lines += ["", f"| findings by {title} | count |", "|---|---:|"]
        lines += [f"| {k} | {v} |" for k, v in data[key].items()]
    lines += ["", "| mechanism category | kinase families (targets of the drugs; a multi-kinase drug counts for each) "
              "| which |", "|---|---:|---|"]
    lines += [f"| {k} | {len(v)} | {', '.join(v)} |" for k, v in data["families_by_mechanism"].items()]
    lines += ["", "| target (gene of the variant) | variants | drugs | findings | claims |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {k} | {v['variants']} | {v['drugs']} | {v['findings']} | {v['claims']} |"
              for k, v in data["by_target"].items()]
    return "\n".join(lines)
