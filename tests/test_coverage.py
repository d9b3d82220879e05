"""`tkigraph coverage` counts what the files hold, including invalid findings (issue 19 rewrote its queries)."""

from tkigraph.coverage import coverage
from tkigraph.storage.oxigraph import open_kb

from .constants import MINI_KB

#: a finding without a mechanism (invalid: the shapes demand one) and with two sources
UNFINISHED = """
@prefix tkigraph: <https://w3id.org/tkigraph/ontology#> .
@prefix tkd: <https://w3id.org/tkigraph/kb/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
tkd:F_unfinished a tkigraph:Finding ; tkigraph:variant tkd:PARTY-KINX_T10I ; tkigraph:drug tkd:alphatinib ;
    tkigraph:effect tkigraph:Resistant ; tkigraph:evidenceLevel tkigraph:InVitro ;
    dcterms:source tkd:src1, tkd:src2 .
"""


def _count(kb, query: str) -> int:
    return int(next(iter(kb.store.query(query)))["n"].value)


def test_counts_match_the_findings_of_the_mini_kb(mini):
    found = coverage(mini)
    totals = found["totals"]
    findings = _count(mini, "SELECT (COUNT(*) AS ?n) WHERE { ?f a <https://w3id.org/tkigraph/ontology#Finding> }")
    assert totals["findings"] == findings > 0
    assert sum(found["findings_by_effect"].values()) == findings
    assert sum(found["findings_by_mechanism"].values()) == findings
    assert "(none)" not in found["findings_by_mechanism"]
    measured = _count(mini, "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f <https://w3id.org/tkigraph/ontology#ic50FoldChange> ?x }")
    assert totals["findings with IC50 fold change"] == measured > 0
    assert found["families_by_mechanism"], "the mini kb's drugs inhibit kinases: each mechanism names their families"


def test_a_finding_without_a_mechanism_is_counted_as_none(tmp_path, mini):
    extra = tmp_path / "unfinished.ttl"
    extra.write_text(UNFINISHED, encoding="utf-8")
    before = coverage(mini)
    after = coverage(open_kb((str(MINI_KB), str(extra)), include_kb=False))
    assert after["totals"]["findings"] == before["totals"]["findings"] + 1
    assert after["findings_by_mechanism"]["(none)"] == 1
    assert after["findings_by_effect"]["resistant"] == before["findings_by_effect"]["resistant"] + 1
    assert after["findings_by_mechanism"].items() - {("(none)", 1)} == before["findings_by_mechanism"].items()
    sources = _count(mini, "SELECT (COUNT(*) AS ?n) WHERE { ?f a <https://w3id.org/tkigraph/ontology#Finding> ; "
                           "<http://purl.org/dc/terms/source> ?s }") + 2
    assert after["totals"]["cited sources per finding (mean)"] == round(sources / after["totals"]["findings"], 2)
