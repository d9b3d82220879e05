"""The reasoning of `tkigraph explain` on the synthetic mini knowledge base (issue 4)."""

import json

import pytest

import tkigraph
from tkigraph.explainer import alternatives
from tkigraph.explainer.render import RENDERERS, to_dict
from tkigraph.explainer.verdict import Verdict, most_resistant, verdict_of

from .constants import ALPHATINIB, BETATINIB, DELTATINIB, GAMMATINIB


@pytest.fixture()
def mini(mini_any):
    """Every reasoning rule is checked on each kind of graph (rdflib, Oxigraph store, snapshot)."""
    return mini_any


def explain(mini, drug, variant, **kw):
    return tkigraph.explain(mini, drug, variant, **kw)


def test_direct_resistance(mini):
    result = explain(mini, ALPHATINIB, "T10I")
    assert (result.verdict, result.matched_at, result.inferred) == ("resistant", "exact", False)
    assert [m.label for m in result.mechanisms] == ["on-target mutation"]
    assert result.structural_region == "gatekeeper"
    assert result.evidence[0].ic50_fold_change == 50.0


def test_sensitive_verdict(mini):
    assert explain(mini, GAMMATINIB, "T10I").verdict == "sensitive"


def test_cross_resistance_row_covers_the_class(mini):
    row = {d.label: v for d, v in explain(mini, ALPHATINIB, "T10I").cross_resistance}
    assert row == {ALPHATINIB: "resistant", BETATINIB: "resistant", GAMMATINIB: "sensitive", DELTATINIB: "sensitive"}


def test_alternatives_rank_disease_and_level_and_exclude_resistance(mini):
    result = explain(mini, ALPHATINIB, "T10I", disease="SDA")
    assert [a.drug.label for a in result.alternatives] == [GAMMATINIB, DELTATINIB]
    assert result.alternatives[0].in_disease and not result.alternatives[1].in_disease
    assert BETATINIB not in {a.drug.label for a in result.alternatives}


def test_class_finding_is_inherited(mini):
    result = explain(mini, BETATINIB, "D30Y")
    assert (result.verdict, result.matched_at) == ("resistant", "parent")
    assert result.paths[0][1] == {"predicate": "tkigraph:parentVariant"}
    assert result.paths[0][2]["id"] == "tkd:PARTY-KINX_D30X"


def test_codon_query(mini):
    assert explain(mini, BETATINIB, "D30").matched_at == "codon"


def test_fusion_inherits_kinase_fusion_findings(mini):
    result = explain(mini, ALPHATINIB, "PARTY::KINX")
    assert (result.verdict, result.matched_at) == ("sensitive", "parent")


def test_compound_own_finding_first(mini):
    result = explain(mini, DELTATINIB, "T10I+C20S in cis")
    assert (result.verdict, result.matched_at, result.inferred) == ("resistant", "exact", False)
    assert result.phase == "cis"


def test_compound_inferred_from_components_in_trans(mini):
    # deltatinib: T10I sensitive, C20S no evidence -> no verdict is guessed
    assert explain(mini, DELTATINIB, "T10I+C20S in trans").verdict == "no_evidence"
    # gammatinib: T10I sensitive, C20S resistant -> resistant, inferred
    result = explain(mini, GAMMATINIB, "T10I/C20S in trans")
    assert (result.verdict, result.matched_at, result.inferred) == ("resistant", "component", True)
    assert "inferred" in result.summary


def test_cis_and_trans_differ(mini):
    cis = explain(mini, DELTATINIB, "T10I+C20S in cis").verdict
    trans = explain(mini, DELTATINIB, "T10I+C20S in trans").verdict
    assert cis != trans


def test_disagreement_follows_strongest_level_and_is_reported(mini):
    result = explain(mini, ALPHATINIB, "E40K", gene="PARTY-KINX")
    assert result.verdict == "sensitive"  # clinical beats in vitro, even with fewer sources
    assert result.conflicting
    assert {e.effect for e in result.evidence} == {"sensitive", "resistant"}
    assert "disagree" in result.summary and "does not overturn" in result.summary
    assert [e.effect for e in result.conflict] == ["resistant"]


def test_negated_finding_is_shown_not_counted(mini):
    result = explain(mini, ALPHATINIB, "KINX amplification")
    assert result.verdict == "no_evidence"
    assert [e.negated for e in result.evidence] == [True]


def test_no_evidence_says_so_and_shows_what_is_known(mini):
    result = explain(mini, "epsilontinib", "T10I")
    assert result.verdict == "no_evidence" and not result.evidence
    assert "no evidence" in result.summary
    assert result.drug_facts.targets == ["OTHERK"]
    assert result.drug_facts.approved_by == ["Synthetic epsilontinib label"]
    assert "approved for synthetic disease a (Synthetic epsilontinib label), an approval that names no variant" \
        in result.summary
    assert "approved for" not in explain(mini, GAMMATINIB, "C20S").summary  # no label cited on the drug
    assert {a.drug.label for a in result.alternatives} == {GAMMATINIB, DELTATINIB}


@pytest.mark.parametrize(("levels", "expected"), [
    ((("resistant", 4), ("sensitive", 2)), "sensitive"),
    ((("resistant", 2), ("sensitive", 2)), "resistant"),  # tie: the cautious effect
])
def test_verdict_rule(mini, levels, expected):
    from dataclasses import replace
    base = tkigraph.explain(mini, ALPHATINIB, "T10I").evidence[0]
    items = [replace(base, effect=e, level_rank=r, sources=(f"s{i}",)) for i, (e, r) in enumerate(levels)]
    assert verdict_of(items)[0] == expected


def test_most_resistant_part():
    """A compound is at least as resistant as its most resistant part; two sensitive parts are no verdict."""
    assert most_resistant([Verdict.SENSITIVE, Verdict.RESISTANT]) == "resistant"
    assert most_resistant([Verdict.SENSITIVE, Verdict.REDUCED]) == "reduced_sensitivity"
    assert most_resistant([Verdict.SENSITIVE, Verdict.SENSITIVE]) == "no_evidence"
    assert most_resistant([Verdict.SENSITIVE, Verdict.NO_EVIDENCE]) == "no_evidence"


def test_json_contract(mini):
    data = json.loads(RENDERERS["json"](explain(mini, ALPHATINIB, "T10I")))
    assert set(data) >= {"query", "drug", "variant", "verdict", "conflicting", "matched_at", "summary",
                         "mechanisms", "structural_region", "evidence", "cross_resistance", "alternatives", "paths"}
    assert set(data["drug"]) >= {"id", "label"}
    assert set(data["variant"]) >= {"id", "label", "gene", "components", "phase"}
    assert set(data["evidence"][0]) >= {"source", "level", "effect", "disease", "statement", "ic50_fold_change"}
    assert set(data["cross_resistance"][0]) >= {"drug", "verdict"}
    assert set(data["alternatives"][0]) >= {"drug", "verdict", "level", "reason"}
    assert data["paths"][0][0]["id"] == "tkd:PARTY-KINX_T10I"
    assert data["paths"][0][-1]["id"] == "tkd:alphatinib"


def test_text_and_markdown(mini):
    result = explain(mini, ALPHATINIB, "T10I")
    text = RENDERERS["text"](result)
    assert text.startswith("alphatinib vs PARTY-KINX T10I: RESISTANT")
    assert "Alphatinib fails against PARTY-KINX T10I" in text
    assert "alphatinib R, betatinib R" in text and "\x1b[" not in text
    assert "\x1b[" in RENDERERS["text"](result, colour=True)
    markdown = RENDERERS["markdown"](result)
    assert markdown.startswith("## alphatinib vs PARTY-KINX T10I: **RESISTANT**")
    assert "| resistant | in vitro | PARTY-KINX T10I |" in markdown
    assert to_dict(result)["verdict"] == "resistant"


def test_alternatives_function(mini):
    entity, found = alternatives(mini, "T10I", disease="SDA")
    assert entity.label == "PARTY-KINX T10I"
    assert [a.drug.label for a in found] == [GAMMATINIB, DELTATINIB]


def test_alternatives_stay_in_the_disease_context_of_the_asked_pair(mini):
    # alphatinib vs T10I was studied in disease a; deltatinib's evidence is from disease b only
    result = explain(mini, ALPHATINIB, "T10I")
    assert [a.drug.label for a in result.alternatives] == [GAMMATINIB]



# -- the shipped graph, asked as a kinase pharmacologist would (issue 14) -----------------------------
def test_a_withdrawn_approval_is_said_beside_a_label_verdict(kb):
    """Exkivity (mobocertinib) label, tkd:label_mobocertinib_FDA: accelerated approval in 2021 for EGFR exon 20
    insertion NSCLC, voluntarily withdrawn after EXCLAIM-2 missed its primary endpoint; a label verdict about it
    must say the approval is no longer current."""
    result = tkigraph.explain(kb, "mobocertinib", "exon 20 insertion")
    assert result.verdict == Verdict.SENSITIVE and result.decided_by
    assert any("approval of mobocertinib was withdrawn (2023-10-03)" in note for note in result.notes)
    assert "was withdrawn" in RENDERERS["text"](result)
    current = tkigraph.explain(kb, "osimertinib", "T790M")  # Tagrisso label: a current approval
    assert not any("withdrawn" in note for note in current.notes)


def test_an_unknown_variant_is_told_what_to_type(invoke):
    """No literature (an input rule of issue 14): 'foo' is no variant; the hint names the forms a variant takes
    (a gene and a change, a class, a codon), not a drug CURIE."""
    result = invoke("explain", "imatinib", "foo")
    assert result.exit_code == 2 and "unknown variant: 'foo'" in result.output
    assert "gene and a change" in result.output and "tkd:imatinib" not in result.output
