"""Issue 14: explain answers a specialist would sign. Each test names its literature source.

Rules are checked on the shipped knowledge base (the real questions of the issue) and, where
the rule itself is the point, on the synthetic mini knowledge base on every kind of graph.
"""

import json
from dataclasses import replace

import pytest

import tkigraph
from tkigraph.explainer import Verdict, judge
from tkigraph.explainer.mechanisms import mechanisms
from tkigraph.explainer.render import RENDERERS, to_dict
from tkigraph.explainer.verdict import decide
from tkigraph.model import Citation, Effect, Entity, Level
from tkigraph.namespaces import SKOS, TKG
from tkigraph.resolve import REGIONS, region_label

from .conftest import VIEWS, load_view
from .constants import ALPHATINIB, DATA, DELTATINIB, GAMMATINIB, MINI_KB

MINI_RULES = DATA / "mini_rules.ttl"


@pytest.fixture(scope="module", params=VIEWS)
def rules(request):
    """The mini knowledge base plus the synthetic rule cases, read each way in turn."""
    return load_view(request.param, str(MINI_KB), str(MINI_RULES), include_kb=False)


@pytest.fixture(scope="module")
def views():
    """The shipped knowledge base read from the store pattern by pattern, and from its snapshot."""
    return [load_view(view) for view in VIEWS]


def explain(kb, drug, variant, **kw):
    return tkigraph.explain(kb, drug, variant, **kw)


# -- 1. compounds ------------------------------------------------------------------
def test_cis_query_matches_the_phase_unknown_curated_compound(kb):
    """Yoda S 2018, Cancer Discov (doi:10.1158/2159-8290.CD-17-1256): ALK G1202R + L1196M resists lorlatinib,
    although lorlatinib inhibits each mutation alone; the curated node has no phase."""
    cis = explain(kb, "lorlatinib", "ALK G1202R/L1196M in cis")
    plain = explain(kb, "lorlatinib", "ALK G1202R/L1196M")
    assert cis.verdict == plain.verdict == Verdict.RESISTANT
    assert cis.matched_at == "exact" and not cis.inferred
    assert any("no stated phase" in note for note in cis.notes)


def test_a_compound_is_never_sensitive_by_inference(kb):
    """Neither Y253H nor F317L alone resists ponatinib, yet Y253H/F317L in cis has no finding of its own and belongs
    to no compound class (T315I/F317L would: the T315I-inclusive class answers it): no verdict, never 'sensitive'."""
    result = explain(kb, "ponatinib", "F317L/Y253H in cis")
    assert result.verdict == Verdict.NO_EVIDENCE
    assert any("never called sensitive by inference" in note for note in result.notes)


def test_a_compound_is_at_least_as_resistant_as_its_most_resistant_part(kb):
    """Kobayashi S 2005, N Engl J Med (pubmed:15728811): T790M makes EGFR resistant to gefitinib."""
    result = explain(kb, "gefitinib", "L858R/T790M")
    assert (result.verdict, result.inferred) == (Verdict.RESISTANT, True)
    assert not result.conflicting  # parts that differ are no disagreement of sources


def test_an_acquired_mutation_on_its_driver_answers_for_the_compound(kb):
    """Tagrisso label (tkd:label_osimertinib_FDA): osimertinib for T790M-positive NSCLC after an EGFR TKI,
    i.e. a sensitising exon 19 deletion or L858R plus T790M."""
    result = explain(kb, "osimertinib", "Ex19del+T790M")
    assert (result.verdict, result.inferred) == (Verdict.SENSITIVE, True)
    assert [c.label for c in result.components] == ["EGFR exon 19 deletion", "EGFR T790M"]


def test_trans_compound_says_what_works(rules):
    """The rule of Niederst MJ 2015, Clin Cancer Res (T790M/C797S in trans responds to a first- plus
    third-generation combination), on the synthetic trans compound: its own finding is shown as the meaning."""
    result = explain(rules, DELTATINIB, "T10I+C20S in trans")
    assert [e.drug.label for e in result.clinical_meaning] == ["alphatinib + gammatinib"]
    assert "In trans, the compound responds to alphatinib + gammatinib" in result.summary
    assert "alphatinib + gammatinib" in [a.drug.label for a in result.alternatives]


# -- 2. evidence hierarchy ------------------------------------------------------------
def test_a_lower_level_never_overturns_a_higher_one_and_the_conflict_is_shown(rules):
    """Synthetic E40K: clinical sensitive (one source) against in vitro resistant (two sources)."""
    result = explain(rules, ALPHATINIB, "E40K", gene="PARTY-KINX")
    assert result.verdict == Verdict.SENSITIVE and result.conflicting
    assert [(e.effect, e.level) for e in result.conflict] == [("resistant", "in vitro")]


def test_within_a_level_the_more_recent_source_decides(rules):
    """The hierarchy's recency rule, on two synthetic in vitro findings of different years."""
    base = explain(rules, ALPHATINIB, "T10I").evidence[0]
    old = replace(base, finding="old", effect=Effect.RESISTANT, refs=(Citation("s1", "old", date="2005"),),
                  sources=("s1",))
    new = replace(base, finding="new", effect=Effect.SENSITIVE, refs=(Citation("s2", "new", date="2019-05-14"),),
                  sources=("s2",))
    assert decide([old, new]).verdict == Verdict.SENSITIVE
    assert decide([replace(new, level=Level.IN_VITRO, level_rank=4),
                   replace(old, level=Level.CLINICAL, level_rank=2)]).verdict == Verdict.RESISTANT


def test_a_sources_cohorts_in_different_diseases_count_apart(rules):
    """A basket trial's cohorts are different patients (VE-BASKET, Hyman DM 2015, pubmed:26287849: responses in
    lung cancer and cholangiocarcinoma, none in colorectal cancer): two sensitive cohorts outweigh one resistant
    cohort of the same source and year, while one source's repeated finding in one disease counts once."""
    base = replace(explain(rules, ALPHATINIB, "T10I").evidence[0], level=Level.CLINICAL, level_rank=2,
                   refs=(Citation("s1", "basket", date="2015"),), sources=("s1",))

    def cohort(name, effect, disease):
        return replace(base, finding=name, effect=effect, disease=Entity(f"tkd:{disease}", disease, "disease"))

    colorectal = cohort("crc", Effect.RESISTANT, "crc")
    assert decide([colorectal, cohort("lung", Effect.SENSITIVE, "lung"),
                   cohort("bile", Effect.SENSITIVE, "bile")]).verdict == Verdict.SENSITIVE
    # the same disease twice is one cohort: a tie, so the cautious effect
    assert decide([colorectal, cohort("lung", Effect.SENSITIVE, "lung"),
                   cohort("lung2", Effect.SENSITIVE, "lung")]).verdict == Verdict.RESISTANT
    assert decide([colorectal, cohort("lung", Effect.SENSITIVE, "lung"),
                   cohort("bile", Effect.SENSITIVE, "bile")], scope={"tkd:crc"}).verdict == Verdict.RESISTANT


def test_a_variants_own_clinical_evidence_is_an_exception_to_its_class(rules):
    """Synthetic D30H (clinical, resistant) under the D30X label (sensitive); D30Y has only in vitro evidence,
    which the class label outweighs (as FLT3 D835Y under the Xospata label, tkd:label_gilteritinib_FDA)."""
    d30h = explain(rules, ALPHATINIB, "D30H")
    assert d30h.verdict == Verdict.RESISTANT and any(d30h.from_class(e) for e in d30h.conflict)
    d30y = explain(rules, ALPHATINIB, "D30Y")
    assert d30y.verdict == Verdict.SENSITIVE and [e.level for e in d30y.conflict] == ["in vitro"]


def test_class_evidence_is_shown_beside_the_exact_finding(kb):
    """Soria JC 2018, N Engl J Med (pubmed:29151359, FLAURA) and the Tagrisso label: exon 19 deletions;
    Cross DA 2014 (pubmed:24893891) is the in vitro finding about E746_A750del itself."""
    result = explain(kb, "osimertinib", "EGFR p.E746_A750del")
    classes = {e.variant.label for e in result.evidence if result.from_class(e)}
    assert "EGFR exon 19 deletion" in classes
    assert any(result.from_class(e) and e.level == Level.GUIDELINE_OR_LABEL for e in result.evidence)
    data = to_dict(result)
    assert {e["about"] for e in data["evidence"]} == {"variant", "class"}
    assert "[from the class EGFR exon 19 deletion]" in RENDERERS["text"](result)


def test_flt3_d835y_shows_its_label(kb):
    """Xospata label (tkd:label_gilteritinib_FDA) covers FLT3 TKD mutations such as D835Y."""
    result = explain(kb, "gilteritinib", "FLT3 D835Y")
    assert result.verdict == Verdict.SENSITIVE
    assert any("tkd:label_gilteritinib_FDA" in e.sources for e in result.evidence)


# -- 3. one verdict function ------------------------------------------------------------
def test_the_matrix_cell_is_the_explain_verdict(kb):
    """The matrix and explain share judge(): Gorre ME 2001, Science (pubmed:11423618) for T315I."""
    from tkigraph.render.matrix import cell_verdict
    from tkigraph.resolve import Resolver

    resolver = Resolver(kb)
    for drug, variant in [("imatinib", "T315I"), ("lorlatinib", "ALK G1202R/L1196M"), ("gefitinib", "FQEA")]:
        if variant == "FQEA":
            variant = "A763_Y764insFQEA"
        node = resolver.variant(variant).node
        cell = cell_verdict(kb, node, resolver.drug(drug))
        assert cell.verdict == explain(kb, drug, variant).verdict == judge(kb, node, resolver.drug(drug)).verdict
        assert isinstance(cell.verdict, Verdict)


# -- 4. class membership with exceptions ----------------------------------------------------
def test_a_class_that_excludes_a_member_passes_it_nothing(kb):
    """Yasuda H 2013, Sci Transl Med (pubmed:24353160): A763_Y764insFQEA is sensitive to first-generation
    EGFR TKIs, unlike the other exon 20 insertions: the class excludes it."""
    result = explain(kb, "gefitinib", "A763_Y764insFQEA")
    assert result.verdict != Verdict.RESISTANT
    assert [c.label for c in result.excluded_from] == ["EGFR exon 20 insertion"]
    assert explain(kb, "erlotinib", "A763_Y764insFQEA").verdict == Verdict.SENSITIVE


def test_exclusion_on_every_view(rules):
    """The synthetic D30X class excludes D30N: betatinib's D30X finding reaches D30Y only."""
    assert explain(rules, "betatinib", "D30Y").verdict == Verdict.RESISTANT
    assert explain(rules, "betatinib", "D30N").verdict == Verdict.NO_EVIDENCE


def test_a_codon_query_gathers_its_substitutions(kb):
    """Mato AR 2021, Lancet (doi:10.1016/S0140-6736(21)00224-5): pirtobrutinib responses in BTK C481-mutant CLL."""
    result = explain(kb, "pirtobrutinib", "C481")
    assert result.verdict == Verdict.SENSITIVE and result.matched_at == "codon"
    assert "BTK C481S" in {e.variant.label for e in result.evidence}
    assert "C481S" in result.variant.label


# -- 5. alternatives by context ----------------------------------------------------------------
def test_combination_keeping_the_driver_ranks_first_after_osimertinib(kb):
    """Wu YL 2024, Lancet Oncol (doi:10.1016/S1470-2045(24)00270-5, INSIGHT 2) and TATTON: osimertinib plus a
    MET inhibitor after osimertinib with MET amplification, before a MET inhibitor alone."""
    alternatives = explain(kb, "osimertinib", "MET amplification").alternatives
    assert alternatives[0].combination and alternatives[0].drug.label.startswith("osimertinib + ")
    singles = [a for a in alternatives if not a.combination]
    assert singles and all(not a.covers_driver for a in singles)
    assert alternatives.index(singles[0]) > max(i for i, a in enumerate(alternatives) if a.combination)


@pytest.mark.parametrize("drug", ["alectinib", "selpercatinib", "crizotinib"])
def test_combination_is_not_offered_to_another_driver(kb, drug):
    """Wu YL 2024 (doi:10.1016/S1470-2045(24)00270-5) studied EGFR-mutant NSCLC: not for ALK, RET or MET-driven
    tumours."""
    labels = [a.drug.label for a in explain(kb, drug, "MET amplification").alternatives]
    assert not [label for label in labels if label.startswith("osimertinib + ")]


def test_withdrawn_approval_is_marked_and_not_first(kb):
    """Exkivity label (tkd:label_mobocertinib_FDA): accelerated approval 2021, voluntarily withdrawn."""
    from tkigraph.explainer import alternatives

    _, found = alternatives(kb, "exon 20 insertion")
    mobocertinib = next(a for a in found if a.drug.label == "mobocertinib")
    assert mobocertinib.withdrawn == "2023-10-03" and "approval withdrawn 2023-10-03" in mobocertinib.flags
    assert mobocertinib.to_dict()["withdrawn"] is True
    assert found[0].drug.label != "mobocertinib"
    assert all(a.withdrawn is None for a in found if a.drug.label != "mobocertinib")


def test_a_withdrawal_date_marks_the_drug_whose_label_carries_it(tmp_path):
    """Truseltiq (tkd:label_infigratinib_FDA): US accelerated approval withdrawn on 16 May 2024. The date is
    data on the label, not words of a note: a drug is withdrawn exactly when a label cited about it has one."""
    from tkigraph.explainer.alternatives import withdrawn
    from tkigraph.storage.oxigraph import open_kb

    from .constants import MINI_KB

    mini = open_kb((str(MINI_KB),), include_kb=False)
    assert not mini.withdrawals
    label = tmp_path / "withdrawn.ttl"
    label.write_text("""
@prefix tkigraph: <https://w3id.org/tkigraph/ontology#> .
@prefix tkd: <https://w3id.org/tkigraph/kb/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
tkd:src1 a tkigraph:DrugLabel ; tkigraph:withdrawalDate "2024-05-16"^^xsd:date .
""", encoding="utf-8")
    marked = open_kb((str(MINI_KB), str(label)), include_kb=False)
    rows = marked.store.query("SELECT DISTINCT ?d WHERE { ?f <http://purl.org/dc/terms/source> "
                              "<https://w3id.org/tkigraph/kb/src1> ; <https://w3id.org/tkigraph/ontology#drug> ?d }")
    cited = {row["d"].value for row in rows}
    assert cited and set(marked.withdrawals) == cited
    assert all(withdrawn(marked, drug) == "2024-05-16" for drug in cited)


def test_alternatives_command_marks_withdrawn_approvals(invoke):
    """Exkivity label (tkd:label_mobocertinib_FDA): voluntarily withdrawn after EXCLAIM-2."""
    result = invoke("alternatives", "exon 20 insertion")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert "mobocertinib" in lines[-1] and "approval withdrawn" in lines[-1]
    data = json.loads(invoke("alternatives", "exon 20 insertion", "--format", "json").output)
    assert [a["withdrawn"] for a in data["alternatives"]][-1] is True


def test_resistance_by_another_route_does_not_unmake_a_driver(tmp_path):
    """A patient with EGFR L858R refractory to crizotinib (an ALK inhibitor; CIViC 2021 records such a case)
    does not make L858R an acquired mutation: L858R/T790M still answers osimertinib first (Mok TS 2016,
    N Engl J Med, pubmed:27959700, AURA3). Only an on-target resistance finding would."""
    from tkigraph.explainer import alternatives
    from tkigraph.explainer.verdict import is_driver
    from tkigraph.namespaces import iri_of

    def with_finding(mechanism: str):
        extra = tmp_path / f"{mechanism}.ttl"
        extra.write_text(
            "@prefix tkigraph: <https://w3id.org/tkigraph/ontology#> . @prefix tkd: <https://w3id.org/tkigraph/kb/> .\n"
            "@prefix dcterms: <http://purl.org/dc/terms/> . @prefix pubmed: <https://identifiers.org/pubmed:> .\n"
            "tkd:F_test a tkigraph:Finding ; tkigraph:variant tkd:EGFR_L858R ; tkigraph:drug tkd:crizotinib ;\n"
            f"  tkigraph:effect tkigraph:Resistant ; tkigraph:mechanism tkigraph:{mechanism} ;\n"
            "  tkigraph:evidenceLevel tkigraph:Clinical ; tkigraph:statement \"test\" ; dcterms:source pubmed:27959700 .\n")
        return tkigraph.open(str(extra), source="curated").kb

    bypass = with_finding("BypassActivation")
    assert is_driver(bypass, iri_of("tkd:EGFR_L858R"))
    assert alternatives(bypass, "L858R/T790M")[1][0].drug.label == "osimertinib"
    assert not is_driver(with_finding("OnTargetMutation"), iri_of("tkd:EGFR_L858R"))


def test_alternatives_from_another_disease_say_which(kb):
    """BRAF V600E colorectal cancer: encorafenib + cetuximab (Braftovi label, tkd:label_encorafenib_FDA) ranks first;
    trametinib's label is for melanoma (Mekinist label, tkd:label_trametinib_FDA), and says so, since BRAF/MEK
    inhibition alone fails in colorectal cancer."""
    found = explain(kb, "vemurafenib", "BRAF V600E", disease="colorectal cancer").alternatives
    assert found[0].drug.label == "cetuximab + encorafenib" and found[0].other_disease is None
    trametinib = next(a for a in found if a.drug.label == "trametinib")
    assert trametinib.other_disease == "melanoma" and "evidence in melanoma, not the disease asked" in trametinib.line()
    assert found.index(trametinib) > max(i for i, a in enumerate(found) if a.in_disease)
    assert all(a.other_disease is None for a in explain(kb, "imatinib", "T315I").alternatives), "no disease asked"


def test_a_failure_in_another_disease_flags_a_drug_instead_of_hiding_it(kb):
    """Dabrafenib is labelled for BRAF V600E melanoma (Tafinlar label, tkd:label_dabrafenib_FDA) but failed in
    BRAF V600E colorectal cancer (Falchook GS 2012, Lancet Oncol, pubmed:22805292): offered for melanoma, flagged; not offered
    for colorectal cancer."""
    melanoma = {a.drug.label: a for a in explain(kb, "vemurafenib", "BRAF V600E", disease="melanoma").alternatives}
    assert "colorectal cancer" in melanoma["dabrafenib"].fails_in
    assert "fails in colorectal cancer" in melanoma["dabrafenib"].line()
    colorectal = [a.drug.label for a in explain(kb, "vemurafenib", "BRAF V600E", disease="colorectal cancer").alternatives]
    assert "dabrafenib" not in colorectal


def test_a_partner_below_the_driver_in_its_pathway_is_one_blockade(kb):
    """BRAF + MEK inhibition (MEK signals only inside RAS-MAPK, below BRAF) is offered for BRAF V600E melanoma
    (Mektovi/Braftovi and Tafinlar/Mekinist labels); a receptor with pathways of its own still bars a combination
    (osimertinib + savolitinib for an ALK tumour)."""
    found = [a.drug.label for a in explain(kb, "vemurafenib", "BRAF V600E", disease="melanoma").alternatives]
    assert {"binimetinib + encorafenib", "dabrafenib + trametinib"} <= set(found)
    assert found[0] in {"binimetinib + encorafenib", "dabrafenib + trametinib", "dabrafenib"}
    assert not [a for a in explain(kb, "alectinib", "MET amplification").alternatives
                if a.drug.label.startswith("osimertinib")]


def test_first_line_label_does_not_rank_first_in_a_resistance_setting(kb):
    """Vizimpro label (tkd:label_dacomitinib_FDA) is first-line for L858R; Tagrisso's covers T790M."""
    from tkigraph.explainer import alternatives

    _, found = alternatives(kb, "L858R/T790M")
    assert found[0].drug.label == "osimertinib"


# -- 6. every input a clinician types ------------------------------------------------------------
@pytest.mark.parametrize(("drug", "variant", "label"), [
    ("osimertinib", "KRAS G12C", "KRAS G12C"),
    ("larotrectinib", "NTRK fusion", "NTRK fusion (NTRK1 fusion, NTRK2 fusion, NTRK3 fusion)"),
    ("imatinib", "P-gp", "ABCB1 overexpression"),
    ("imatinib", "MDR1", "ABCB1 overexpression"),
    ("imatinib", "BCRP", "ABCG2 overexpression"),
    ("AZD-9291", "T790M", "EGFR T790M"),
    ("AZD9291", "T790M", "EGFR T790M"),
    ("imatinib mesylate", "T315I", "BCR-ABL1 T315I"),
    ("osimertinib", "EGFR L858R mutation", "EGFR L858R"),
    ("osimertinib", "EGFR L858R mut", "EGFR L858R"),
    ("osimertinib", "Ex19del+T790M", "EGFR exon 19 deletion + EGFR T790M"),
    ("osimertinib", "small cell transformation", "small-cell transformation"),
    ("osimertinib", "exon 21 L858R", "EGFR L858R"),  # the labels' own words: 'exon 21 L858R substitution'
    ("osimertinib", "EGFR exon 21 L858R", "EGFR L858R"),
    ("erlotinib", "EGFR del19 T790M", "EGFR exon 19 deletion + EGFR T790M"),
    ("erlotinib", "L858R T790M", "EGFR L858R + EGFR T790M"),
    ("larotrectinib", "TRK fusion", "TRK fusion (NTRK1 fusion, NTRK2 fusion, NTRK3 fusion)"),
    ("larotrectinib", "NTRK gene fusion", "NTRK fusion (NTRK1 fusion, NTRK2 fusion, NTRK3 fusion)"),
    ("alectinib", "ALK gene rearrangement", "ALK fusion"),
])
def test_clinician_inputs(invoke, drug, variant, label):
    """Inputs from the specialist's trial (issue 14); imatinib efflux: Mahon FX 2003 (doi:10.1182/blood.v101.6.2368)."""
    result = invoke("explain", drug, variant, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["variant"]["label"] == label


def test_a_gene_alone_is_not_silently_one_variant(kb):
    """A bare gene (NRAS) is never silently one of its variants (NRAS E63K, Eberlein CA 2015, Cancer Res):
    the answer is about the gene's class or says which alterations it holds."""
    result = explain(kb, "osimertinib", "NRAS")
    assert result.variant.label != "NRAS E63K"


def test_amplification_with_gene_option_is_not_ambiguous(kb):
    """Sequist LV 2020 (pubmed:32027846): MET amplification after osimertinib."""
    assert explain(kb, "osimertinib", "amplification", gene="MET").variant.label == "MET amplification"


def test_a_variant_the_graph_lacks_answers_no_evidence(invoke):
    """Shaw AT 2016, N Engl J Med (pubmed:26698910) is about L1198F, near R1192: shown, marked not about R1192P."""
    result = invoke("explain", "lorlatinib", "ALK R1192P", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["verdict"] == "no_evidence"
    assert (data["variant"]["gene"], data["variant"]["codon"], data["variant"]["in_graph"]) == ("ALK", 1192, False)
    assert data["nearest"] and all(not n["about_this_variant"] for n in data["nearest"])
    assert "NOT about ALK R1192P" in invoke("explain", "lorlatinib", "ALK R1192P").output


def test_an_absent_exon_19_deletion_shows_its_site_and_class(kb):
    """Mok TS 2009, N Engl J Med (pubmed:19692680, IPASS): gefitinib for exon 19 deletions; E746_T751del is
    not in the graph, so the class is shown as nearest evidence, not as its verdict."""
    result = explain(kb, "gefitinib", "EGFR E746_T751del")
    assert result.verdict == Verdict.NO_EVIDENCE
    assert (result.variant_facts.codon, result.variant_facts.exon) == (746, 19)
    assert "EGFR exon 19 deletion" in {n.variant.label for n in result.nearest}
    assert "a change of EGFR at codon 746, exon 19" in result.summary


@pytest.mark.parametrize("args", [("imatinib", "foo"), ("foo", "T315I"), ("imatinib", "R1192P")])
def test_exit_2_only_for_names_that_are_nothing(invoke, args):
    """No literature: 'foo' is no drug or variant, and a bare change the graph lacks needs its gene."""
    result = invoke("explain", *args)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_region_parameter_accepts_synonyms(invoke):
    """O'Hare T 2005, Cancer Res (pubmed:15930265): BCR-ABL1 P-loop mutants such as E255K (region P-loop)."""
    result = invoke("query", "region-mutations", "--param", "region=P-loop", "--format", "tsv")
    assert result.exit_code == 0 and "BCR-ABL1" in result.output
    bad = invoke("query", "region-mutations", "--param", "region=nowhere")
    assert bad.exit_code != 0 and "no such region" in bad.output


@pytest.mark.parametrize(("typed", "meant"), [("P-lop", "P-loop (glycine-rich loop)"), ("gatekeepr", "gatekeeper"),
                                              ("solvnt front", "solvent front")])
def test_a_misspelt_region_is_named_with_the_closest(invoke, typed, meant):
    """Gorre ME 2001, Science (pubmed:11423618): T315I, a gatekeeper mutation; a misspelt region fails with
    'no such region' and the region meant, never an empty table."""
    result = invoke("query", "region-mutations", "--param", f"region={typed}")
    assert result.exit_code != 0 and "no such region" in result.output
    assert f"did you mean: {meant}" in result.output and "Traceback" not in result.output


def test_every_ontology_region_has_an_entry(kb):
    """The RegionScheme of ontology/tkigraph.ttl (e.g. the activation loop of FLT3 D835, Smith CC 2012)."""
    regions = {kb.label(r) for r in kb.graph.subjects(SKOS.inScheme, TKG.RegionScheme)}
    assert regions == set(REGIONS), "add the region (and its synonyms) to tkigraph.resolve.REGIONS"
    assert region_label("a-loop") == "activation loop"


# -- 7. mechanisms view ---------------------------------------------------------------------
def test_mechanisms_of_osimertinib_in_nsclc(kb):
    """Leonetti A 2019, Br J Cancer (pubmed:31564718): MET amplification is the commonest EGFR-independent
    mechanism of resistance to osimertinib; Wu YL 2024 (doi:10.1016/S1470-2045(24)00270-5) for what to do."""
    report = mechanisms(kb, "osimertinib", disease="NSCLC")
    by_category = {g.category.label: g for g in report.categories}
    bypass = {v.variant.label: v for v in by_category["bypass pathway activation"].variants}
    assert bypass["MET amplification"].action.startswith("consider osimertinib + ")
    assert "EGFR C797S" in {v.variant.label for v in by_category["on-target mutation"].variants}
    assert "target dependence" not in by_category


def test_mechanisms_give_published_frequencies_only(kb):
    """Chmielecki J 2023, Nat Commun (pubmed:36849494): in FLAURA ctDNA, MET amplification in 16% of progressions
    on first-line osimertinib; Hainsworth JD 2018 (pubmed:29320312): "46% for V600E" is a response rate of
    another variant, not a frequency of BRAF G469A, and must not be shown as one."""
    met = next(v for g in mechanisms(kb, "osimertinib").categories for v in g.variants
               if v.variant.label == "MET amplification")
    assert met.frequency and met.frequency[0].startswith("16% at progression (Chmielecki J 2023")
    g469a = next(v for g in mechanisms(kb, "vemurafenib").categories for v in g.variants
                 if v.variant.label == "BRAF G469A")
    assert g469a.frequency == ()
    evidence = {e["finding"]: e for e in met.to_dict()["evidence"]}
    assert evidence["tkd:F_MET_amplification_osimertinib_31"]["frequency"] == 0.16


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_mechanisms_command(invoke, fmt):
    """Thress KS 2015, Nat Med (pubmed:25939061): C797S at osimertinib progression."""
    result = invoke("mechanisms", "osimertinib", "--disease", "NSCLC", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "C797S" in result.output
    if fmt == "json":
        assert json.loads(result.output)["categories"]
    assert invoke("mechanisms", "nodrug").exit_code == 2


# -- 8. wording and citations -------------------------------------------------------------------
def test_the_drug_fails_not_the_variant_resists(kb):
    """Gorre ME 2001, Science (pubmed:11423618): T315I abolishes imatinib inhibition."""
    result = explain(kb, "imatinib", "T315I")
    assert result.summary.startswith("Imatinib fails against BCR-ABL1 T315I")
    assert to_dict(result)["sentence"] == "imatinib fails against BCR-ABL1 T315I"
    assert explain(kb, "ponatinib", "T315I").summary.startswith("Ponatinib remains active against BCR-ABL1 T315I")


def test_every_citation_carries_its_link_and_date(kb):
    """Gorre ME 2001 (pubmed:11423618) and the ELN 2011 recommendations (doi:10.1182/blood-2010-12-326405)."""
    result = explain(kb, "imatinib", "T315I")
    text, markdown = RENDERERS["text"](result), RENDERERS["markdown"](result)
    data = json.loads(RENDERERS["json"](result))
    assert "https://pubmed.ncbi.nlm.nih.gov/11423618/" in text
    assert "(https://pubmed.ncbi.nlm.nih.gov/11423618/)" in markdown
    for item in data["evidence"]:
        assert item["references"] and item["date"]
        assert all(r["url"].startswith("https://") for r in item["references"] if r["url"])
    assert "https://doi.org/10.1182/blood-2010-12-326405" in text
    for alternative in data["alternatives"]:
        if any(s.startswith(("pubmed:", "doi:")) for s in alternative["sources"]):
            assert alternative["links"]


@pytest.mark.parametrize(("drug", "variant"), [
    ("lorlatinib", "ALK G1202R/L1196M in cis"), ("gefitinib", "A763_Y764insFQEA"), ("pirtobrutinib", "C481"),
    ("osimertinib", "Ex19del+T790M"), ("osimertinib", "KRAS G12C"), ("larotrectinib", "NTRK fusion"),
])
def test_new_rules_agree_on_every_view(views, drug, variant):
    """Same answers from the store and from its snapshot (Yoda 2018, Yasuda 2013, Mato 2021 as above)."""
    answers = [to_dict(explain(kb, drug, variant)) for kb in views]
    assert answers[0] == answers[1]


def test_gammatinib_is_offered_only_without_resistance(rules):
    """Synthetic: gammatinib resists C20S, so never an alternative for the compound with C20S (the rule that
    keeps osimertinib off the list for C797S, Thress KS 2015, pubmed:25939061)."""
    labels = [a.drug.label for a in explain(rules, ALPHATINIB, "T10I+C20S in trans").alternatives]
    assert GAMMATINIB not in labels


def test_a_codon_class_without_its_own_finding_pools_its_codon(kb):
    """Mato AR 2023, N Engl J Med (doi:10.1056/NEJMoa2300696): pirtobrutinib responses in CLL with or without a
    BTK C481 mutation; 'C481X' (no finding of its own about pirtobrutinib) answers as the codon C481, and says so,
    while a class with its own finding (ibrutinib, C481X) keeps it."""
    pooled = explain(kb, "pirtobrutinib", "C481X")  # heme_next.ttl now holds Mato 2023's finding on C481X itself
    assert pooled.verdict == Verdict.SENSITIVE and pooled.matched_at in ("codon", "exact")
    assert explain(kb, "pirtobrutinib", "C481").verdict == pooled.verdict
    own = explain(kb, "ibrutinib", "C481X")
    assert own.verdict == Verdict.RESISTANT and own.matched_at == "exact"


# -- 7. rules added by the specialist's question set (tests/test_specialist.py) ---------------------------------
def test_class_cell_line_activity_is_not_carried_across_binding_modes(kb):
    """Serrano C 2019, Br J Cancer (pubmed:30792533): regorafenib (type II) on GIST activation-loop mutants, in
    vitro. KIT D816V's own evidence: type II imatinib fails (pubmed:15790786), type I avapritinib
    (tkd:label_avapritinib_FDA) and midostaurin (pubmed:27355533) act; so the class's activity does not reach it,
    while D820A, whose own evidence names no active drug, keeps it."""
    from tkigraph.explainer.verdict import binding_mode_split

    d816v = explain(kb, "regorafenib", "KIT D816V")
    assert d816v.verdict == Verdict.NO_EVIDENCE and not d816v.nearest
    assert [e.variant.label for e in d816v.evidence] == ["KIT exon 17/18 mutation"]  # shown, not counted
    assert any("is not carried to KIT D816V" in note for note in d816v.notes)
    assert "does not decide" in d816v.summary
    assert explain(kb, "regorafenib", "KIT D820A").verdict == Verdict.SENSITIVE
    from tkigraph.namespaces import iri_of as term

    assert binding_mode_split(kb, term("tkd:KIT_D816V"), term("tkd:regorafenib"))
    assert not binding_mode_split(kb, term("tkd:KIT_D816V"), term("tkd:avapritinib"))
    assert not binding_mode_split(kb, term("tkd:KIT_D820A"), term("tkd:regorafenib"))


def test_preclinical_alternatives_rank_after_clinical_and_label_ones(kb):
    """Datroway label (tkd:label_datopotamab_deruxtecan_FDA), though it does not inhibit EGFR, ranks before
    lapatinib and neratinib, whose activity against L858R rests on one cell line (Shimamura T 2006,
    pubmed:16818618)."""
    found = [(a.drug.label, a.level_rank) for a in explain(kb, "erlotinib", "EGFR L858R").alternatives]
    assert [rank > Level.CLINICAL.rank for _, rank in found] == sorted(rank > Level.CLINICAL.rank for _, rank in found)
    labels = [label for label, _ in found]
    assert labels.index("datopotamab deruxtecan") < labels.index("lapatinib")


def test_chemotherapy_and_antibody_partners_do_not_bar_a_combination(kb):
    """Marcoux N 2019, J Clin Oncol (pubmed:30550363): platinum-etoposide after small-cell transformation;
    Braftovi label (tkd:label_encorafenib_FDA): encorafenib + cetuximab; Rybrevant label (tkd:label_amivantamab_FDA):
    amivantamab + carboplatin + pemetrexed after an EGFR TKI. A kinase-inhibitor partner still bars one
    (osimertinib + savolitinib for an ALK tumour, Wu YL 2024, doi:10.1016/S1470-2045(24)00270-5)."""
    sclc = {a.drug.label: a for a in explain(kb, "osimertinib", "small-cell transformation").alternatives}
    assert sclc["carboplatin + etoposide"].combination
    assert not [f for f in sclc["carboplatin + etoposide"].flags if f.startswith("does not inhibit")], \
        "chemotherapy after a lineage change is not meant to inhibit the kinase driver"
    met = {a.drug.label: a for a in explain(kb, "osimertinib", "MET amplification").alternatives}
    assert "does not inhibit the driver EGFR" in met["crizotinib"].flags, "a kinase inhibitor that misses EGFR is flagged"
    assert met["crizotinib"].to_dict()["driver"] == "EGFR"
    after_erlotinib = {a.drug.label: a for a in explain(kb, "erlotinib", "EML4-ALK").alternatives}
    assert "does not inhibit the driver EGFR" in after_erlotinib["crizotinib"].flags, \
        "an ALK inhibitor after an EGFR inhibitor says which driver it leaves alone, not that it misses ALK"
    assert "cetuximab + encorafenib" in [a.drug.label for a in explain(kb, "vemurafenib", "BRAF V600E").alternatives]
    assert "amivantamab + carboplatin + pemetrexed" in [
        a.drug.label for a in explain(kb, "osimertinib", "EGFR L858R").alternatives]
    assert not [a for a in explain(kb, "alectinib", "MET amplification").alternatives
                if a.drug.label.startswith("osimertinib")]


@pytest.mark.parametrize(("typed", "label"), [
    ("SCLC", "small-cell transformation"), ("small cell", "small-cell transformation"),
    ("Small cell lung cancer", "small-cell transformation"), ("neuroendocrine", "small-cell transformation"),
    ("KIT exon 17 mutation", "KIT exon 17/18 mutation"), ("KIT exon 14", "KIT exon 13/14 mutation"),
])
def test_names_read_from_the_labels(kb, typed, label):
    """Marcoux N 2019 (pubmed:30550363) on small-cell transformation; Heinrich MC 2006 (pubmed:16954519) on KIT
    exon 17 mutations: a transformation named without the word, an exon class named by one of its exons."""
    from tkigraph.resolve import Resolver

    assert kb.label(Resolver(kb).variant(typed).node) == label


def test_an_exon_name_never_becomes_a_codon_class(kb):
    """EGFR G719X (a codon class in exon 18) is not 'EGFR exon 18 mutation': no such class is curated."""
    from tkigraph.errors import UnknownNameError
    from tkigraph.resolve import Resolver

    with pytest.raises(UnknownNameError):
        Resolver(kb).variant("EGFR exon 18 mutation")


def test_a_variant_asked_in_another_numbering_says_which_variant_answers(kb):
    """FGFR2 V564F is V565F in the numbering some reports use (Goyal L 2017, Cancer Discov, pubmed:28034880, as
    curated in ntrk_fgfr.ttl): the answer is the V565F answer, and it says the name asked was a synonym."""
    asked, recorded = explain(kb, "pemigatinib", "FGFR2 V564F"), explain(kb, "pemigatinib", "FGFR2 V565F")
    assert asked.verdict == recorded.verdict and asked.variant.id == recorded.variant.id
    assert any("FGFR2 V564F" in note and "synonym" in note and "FGFR2 V565F" in note for note in asked.notes)
    assert not any("synonym" in note for note in recorded.notes)
    assert not any("synonym" in note for note in explain(kb, "imatinib", "p.Thr315Ile").notes), \
        "the same change written in three-letter code is not a synonym"


def test_nearest_evidence_shows_the_compounds_that_hold_the_variant_and_never_the_driver_fusion(kb):
    """Baker SD 2013, Clin Cancer Res (pubmed:23969938): FLT3-ITD with F691L resists sorafenib; no finding is about
    F691L alone, so the compound is shown as nearest evidence (not about the variant), the verdict stays open.
    Drilon A 2020, Lancet Oncol: entrectinib works in ROS1 fusion-positive NSCLC, the driver that G2032R arises in:
    that is no evidence near G2032R and is not shown as such. A compound whose verdict comes from its other part
    (brigatinib vs ALK F1174L + G1202R, judged from G1202R: Gainor JF 2016, Cancer Discov) is not shown either."""
    flt3 = explain(kb, "sorafenib", "FLT3 F691L")
    assert flt3.verdict == Verdict.NO_EVIDENCE
    compounds = [n for n in flt3.nearest if n.relation.startswith("a compound that contains it")]
    assert [n.variant.label for n in compounds] == ["FLT3 ITD + F691L (cis)"]
    assert compounds[0].verdict == Verdict.RESISTANT and "FLT3 ITD" in compounds[0].relation
    ros1 = explain(kb, "entrectinib", "ROS1 G2032R")
    assert ros1.verdict == Verdict.NO_EVIDENCE and "ROS1 fusion" not in {n.variant.label for n in ros1.nearest}
    # brigatinib: F1174L + G1202R is judged from G1202R alone (Gainor 2016): nothing about F1174L, so not shown
    alk = explain(kb, "brigatinib", "ALK F1174L")
    assert alk.verdict == Verdict.NO_EVIDENCE and alk.nearest
    assert not [n for n in alk.nearest if n.relation.startswith("a compound that contains it")]


def test_an_uncurated_compound_is_answered_by_the_compound_class_its_parts_define(kb):
    """Zabriskie MS 2014, Cancer Cell (doi:10.1016/j.ccr.2014.07.006): T315I-inclusive BCR-ABL1 compound mutations
    escape ponatinib; Yoda S 2018,
    Cancer Discov (doi:10.1158/2159-8290.CD-17-1256): compound ALK mutations with G1202R escape lorlatinib, G1202R
    alone does not. A compound nobody curated (T315I + H396R; G1202R + G1269A) is a member of the class its
    required component defines; without that component it is not, and a compound is never called sensitive from
    its parts."""
    bcr = explain(kb, "ponatinib", "BCR-ABL1 T315I/H396R")
    assert bcr.verdict == Verdict.RESISTANT and not bcr.inferred
    assert {e.variant.label for e in bcr.evidence} == {"BCR-ABL1 T315I-inclusive compound mutation"}
    assert any("T315I-inclusive compound mutation" in note for note in bcr.notes)
    alk = explain(kb, "lorlatinib", "ALK G1202R/G1269A")
    assert alk.verdict == Verdict.RESISTANT
    assert explain(kb, "lorlatinib", "ALK G1202R").verdict == Verdict.SENSITIVE, "the single mutation is unchanged"
    without = explain(kb, "ponatinib", "BCR-ABL1 H396R/F359V")
    assert "BCR-ABL1 T315I-inclusive compound mutation" not in {e.variant.label for e in without.evidence}


def test_an_alternative_that_fails_against_the_variant_the_asked_drug_treats_says_so(kb):
    """Mobocertinib was approved for EGFR exon 20 insertions (tkd:label_mobocertinib_FDA); EGFR amplification
    after it (Kim J 2026, Front Oncol, pubmed:42239888). Erlotinib has sensitivity evidence against EGFR
    amplification, but fails against exon 20 insertions, the tumour's driver (Yasuda H 2013, Sci Transl Med,
    pubmed:24353160): flagged, ranked after the rest. Gefitinib, with no exon 20 evidence, is not flagged."""
    result = explain(kb, "mobocertinib", "EGFR amplification")
    alternatives = {a.drug.label: a for a in result.alternatives}
    assert {"erlotinib", "gefitinib"} <= set(alternatives)
    assert "fails against EGFR exon 20 insertion, which mobocertinib treats" in alternatives["erlotinib"].flags
    assert alternatives["erlotinib"].to_dict()["fails_against_treated"] == ["EGFR exon 20 insertion"]
    assert not alternatives["gefitinib"].to_dict()["fails_against_treated"]
    flagged = [bool(a.misses) for a in result.alternatives]
    assert flagged == sorted(flagged), "a drug that fails against the treated driver ranks after those that do not"
    kept = {a.drug.label: a for a in explain(kb, "osimertinib", "EGFR C797S").alternatives}
    assert "gefitinib" in kept and not kept["gefitinib"].misses, \
        "gefitinib fails against T790M but not against the exon 19 deletion or L858R osimertinib also treats"
    gist = {a.drug.label: a for a in explain(kb, "avapritinib", "KIT T670I").alternatives}
    assert "sunitinib" in gist and not gist["sunitinib"].misses, \
        "avapritinib treats KIT D816V in mastocytosis, not in GIST, where T670I arises: no flag there"
