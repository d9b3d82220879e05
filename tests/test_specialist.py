"""A kinase pharmacologist's questions (issue 14), asked through the CLI as a clinician would type them.

Each test asserts what a specialist would sign, and names in its docstring the source the answer rests
on; every source is one the curated graph already cites (``grep -r ID ontology/kb``). The kinds of
question follow the issue: compounds in cis and trans, evidence weight, class evidence beside an exact
variant, class exceptions, codons, alternatives in context, and the inputs a clinician types.
"""

import json

import pytest

import tkigraph
from tkigraph.namespaces import SKOS

PRECLINICAL = {"in vitro", "preclinical in vivo"}


@pytest.fixture
def ask(invoke):
    """``tkigraph explain DRUG VARIANT [options] --format json``: exit 0 and the parsed answer."""
    def run(drug, variant, *options):
        result = invoke("explain", drug, variant, *options, "--format", "json")
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        return json.loads(result.output)
    return run


@pytest.fixture
def offered(invoke):
    """``tkigraph alternatives VARIANT --format json``: the alternatives, best first."""
    def run(variant, *options):
        result = invoke("alternatives", variant, *options, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)["alternatives"]
    return run


def drugs(answer):
    return [a["drug"] for a in answer["alternatives"]]


def cited(answer):
    return {r["id"] for e in answer["evidence"] for r in e["references"]}


# -- compounds ------------------------------------------------------------------------------------
def test_alk_compound_in_any_order_resists_lorlatinib(ask):
    """Yoda S 2018, Cancer Discov (doi:10.1158/2159-8290.CD-17-1256): ALK L1196M + G1202R resists lorlatinib,
    although lorlatinib inhibits each mutation alone. The parts typed in the other order are the same compound."""
    answer = ask("lorlatinib", "ALK L1196M/G1202R")
    assert answer["verdict"] == "resistant" and not answer["inferred"]
    assert "doi:10.1158/2159-8290.CD-17-1256" in cited(answer)


def test_two_acquired_mutations_are_never_sensitive_by_inference(ask):
    """O'Hare T 2005, Cancer Res (pubmed:15930265): single BCR-ABL1 mutants were profiled one at a time; that
    ponatinib covers Y253H and F359V alone says nothing about the compound, which the graph does not hold.
    Zabriskie MS 2014, Cancer Cell (doi:10.1016/j.ccr.2014.07.006): compounds with T315I (E255V/T315I) resist
    ponatinib, which the graph now holds as a finding on their class."""
    answer = ask("ponatinib", "Y253H/F359V")
    assert answer["verdict"] != "sensitive"
    assert any("never called sensitive by inference" in n for n in answer["notes"])
    assert ask("ponatinib", "T315I/E255V")["verdict"] == "resistant"


def test_t790m_on_l858r_fails_erlotinib(ask):
    """Pao W 2005, PLoS Med (pubmed:15737014): T790M in tumours progressing on gefitinib or erlotinib."""
    answer = ask("erlotinib", "L858R + T790M")
    assert answer["verdict"] == "resistant" and answer["inferred"]
    assert not answer["conflicting"]  # parts that differ are no disagreement of sources


def test_cis_c797s_on_t790m_resists_osimertinib(ask):
    """Niederst MJ 2015, Clin Cancer Res (doi:10.1158/1078-0432.CCR-15-0560): C797S in cis with T790M
    resists third-generation inhibitors and their combination with first-generation ones."""
    answer = ask("osimertinib", "T790M/C797S in cis")
    assert answer["verdict"] == "resistant" and answer["matched_at"] == "exact"
    assert not [d for d in drugs(answer) if d == "gefitinib + osimertinib"]


def test_trans_c797s_says_what_works(ask):
    """Niederst MJ 2015, Clin Cancer Res (doi:10.1158/1078-0432.CCR-15-0560): T790M and C797S in trans respond
    to a first- plus third-generation combination."""
    answer = ask("osimertinib", "T790M/C797S in trans")
    assert answer["verdict"] == "resistant"
    assert answer["clinical_meaning"] and drugs(answer)[0] == "gefitinib + osimertinib"


def test_t790m_on_an_exon_19_deletion_responds_to_osimertinib(ask):
    """Tagrisso label (tkd:label_osimertinib_FDA): T790M-positive NSCLC after an EGFR TKI, i.e. on a
    sensitising deletion."""
    answer = ask("osimertinib", "del19/T790M")
    assert answer["verdict"] == "sensitive"
    assert [c["label"] for c in answer["variant"]["components"]] == ["EGFR exon 19 deletion", "EGFR T790M"]


# -- evidence weight -------------------------------------------------------------------------------
def test_dacomitinib_fails_t790m_clinically_despite_in_vitro_activity(ask):
    """CIViC (pubmed:21430269, level B): T790M drove acquired resistance to dacomitinib in patients; the in vitro
    sensitivity of T790M models does not overturn it and is shown as the conflict."""
    answer = ask("dacomitinib", "T790M")
    assert answer["verdict"] == "resistant" and answer["decided_by"].startswith("the clinical evidence")
    assert {e["level"] for e in answer["conflict"]} <= PRECLINICAL and answer["conflict"]


def test_neratinib_on_t790m_rests_on_a_cell_line_and_says_so(ask):
    """Shimamura T 2006, Cancer Res (pubmed:16818618): only NCI-H1975 cells; no clinical evidence is held."""
    answer = ask("neratinib", "T790M")
    assert answer["decided_by"].startswith("the in vitro evidence")
    assert "Only preclinical evidence supports activity" in answer["summary"]


def test_in_vitro_alternatives_rank_after_clinical_ones_for_t790m(offered):
    """Tagrisso label (tkd:label_osimertinib_FDA) and Sequist LV 2015 (pubmed:25923550, rociletinib) against
    Shimamura T 2006 (pubmed:16818618, neratinib in one cell line)."""
    found = offered("T790M")
    assert found[0]["drug"] == "osimertinib"
    levels = [a["level"] in PRECLINICAL for a in found]
    assert levels == sorted(levels)  # every preclinical-only alternative after every clinical or label one


def test_label_alternatives_outrank_cell_line_ones_for_l858r(ask):
    """Datroway label (tkd:label_datopotamab_deruxtecan_FDA): EGFR-mutated NSCLC after EGFR-directed therapy;
    lapatinib and neratinib against L858R rest on cell lines only (Shimamura T 2006, pubmed:16818618)."""
    answer = ask("erlotinib", "EGFR L858R")
    levels = [a["level"] in PRECLINICAL for a in answer["alternatives"]]
    assert levels == sorted(levels)


def test_imatinib_fails_t315i_by_its_label_level_evidence(ask):
    """Gorre ME 2001, Science (pubmed:11423618) and the ELN recommendations: T315I resists imatinib."""
    answer = ask("imatinib", "T315I")
    assert answer["verdict"] == "resistant" and answer["sentence"].startswith("imatinib fails against")
    assert set(drugs(answer)[:2]) == {"asciminib", "ponatinib"}


# -- class evidence beside the exact variant ----------------------------------------------------------
def test_a_rare_exon_19_deletion_inherits_flaura(ask):
    """Soria JC 2018, N Engl J Med (pubmed:29151359, FLAURA): osimertinib first line for exon 19 deletions."""
    answer = ask("osimertinib", "EGFR L747_P753delinsS")
    assert answer["verdict"] == "sensitive" and answer["matched_at"] == "parent"
    assert {e["about"] for e in answer["evidence"]} == {"class"}


def test_flt3_d835h_inherits_the_gilteritinib_label(ask):
    """Xospata label (tkd:label_gilteritinib_FDA): relapsed or refractory FLT3-mutated AML, TKD mutations
    included."""
    answer = ask("gilteritinib", "FLT3 D835H")
    assert answer["verdict"] == "sensitive" and "tkd:label_gilteritinib_FDA" in cited(answer)


def test_d835y_own_clinical_evidence_against_quizartinib(ask):
    """Smith CC 2012, Nature (pubmed:22504184): D835 mutations emerged at relapse on quizartinib."""
    answer = ask("quizartinib", "FLT3 D835Y")
    assert answer["verdict"] == "resistant"
    assert any(e["about"] == "variant" and e["level"] == "clinical" for e in answer["evidence"])


# -- class exceptions -----------------------------------------------------------------------------------
def test_fqea_is_no_exon_20_insertion_for_erlotinib(ask):
    """Yasuda H 2013, Sci Transl Med (pubmed:24353160): A763_Y764insFQEA is sensitive to erlotinib, unlike the
    resistant exon 20 insertions: the class excludes it."""
    answer = ask("erlotinib", "EGFR A763_Y764insFQEA")
    assert answer["verdict"] == "sensitive"


def test_regorafenib_is_not_active_against_kit_d816v_by_class(ask):
    """Serrano C 2019, Br J Cancer (pubmed:30792533) measured regorafenib on GIST activation-loop mutants; KIT
    D816V itself defeats the type II inhibitor imatinib (Frost MJ 2002 / CIViC, pubmed:15790786) and answers
    to type I drugs (avapritinib, tkd:label_avapritinib_FDA; midostaurin, pubmed:27355533). A type II drug's
    class-level cell-line activity is not carried to it."""
    answer = ask("regorafenib", "KIT D816V")
    assert answer["verdict"] != "sensitive"
    assert "regorafenib" not in drugs(ask("imatinib", "KIT D816V"))


def test_avapritinib_is_active_against_kit_d816v(ask):
    """DeAngelo DJ 2021 and Gotlib J 2021, Nat Med (doi:10.1038/s41591-021-01538-9, doi:10.1038/s41591-021-01539-8):
    the EXPLORER and PATHFINDER trials in advanced systemic mastocytosis, driven by KIT D816V; the Ayvakit label
    (tkd:label_avapritinib_FDA), which names KIT D816V, is cited beside them."""
    answer = ask("avapritinib", "KIT D816V")
    assert answer["verdict"] == "sensitive" and answer["decided_by"].startswith("the clinical evidence")


def test_a_primary_kit_exon_13_mutation_is_not_a_secondary_one(ask):
    """Heinrich MC 2003, J Clin Oncol (pubmed:14645423): both B2222 patients with a (primary) KIT exon 13 mutation
    responded to imatinib; K642E is such a primary mutation. The secondary ATP-pocket mutations acquired under
    imatinib (V654A; Heinrich MC 2006, J Clin Oncol, pubmed:16954519) are another class, whose resistance must not reach it."""
    primary = ask("imatinib", "KIT K642E")
    assert primary["verdict"] == "sensitive" and not primary["conflicting"]
    assert ask("imatinib", "KIT V654A")["verdict"] == "resistant"


# -- codons ------------------------------------------------------------------------------------------------
def test_ret_g810_gathers_its_solvent_front_changes(ask):
    """Solomon BJ 2020, J Thorac Oncol (doi:10.1016/j.jtho.2020.01.006): RET G810 solvent-front mutations at
    progression on selpercatinib."""
    answer = ask("selpercatinib", "RET G810")
    assert answer["verdict"] == "resistant" and answer["matched_at"] == "codon"
    assert "G810R" in answer["variant"]["label"]


def test_btk_c481_fails_ibrutinib(ask):
    """Woyach JA 2014, N Engl J Med (pubmed:24869598): BTK C481S at relapse on ibrutinib."""
    answer = ask("ibrutinib", "BTK C481")
    assert answer["verdict"] == "resistant" and answer["matched_at"] == "codon"


def test_flt3_d835_after_quizartinib_offers_type_i_inhibitors(ask):
    """Smith CC 2012, Nature (pubmed:22504184) and the Xospata label (tkd:label_gilteritinib_FDA)."""
    answer = ask("quizartinib", "FLT3 D835")
    assert answer["verdict"] == "resistant" and drugs(answer)[0] == "gilteritinib"


# -- alternatives in context ---------------------------------------------------------------------------
def test_met_amplification_after_osimertinib_keeps_the_egfr_inhibitor(ask):
    """Wu YL 2024, Lancet Oncol (doi:10.1016/S1470-2045(24)00270-5): osimertinib plus a MET inhibitor after
    osimertinib with MET amplification."""
    answer = ask("osimertinib", "MET amplification")
    assert drugs(answer)[0].startswith("osimertinib + ")
    assert all(not a["covers_driver"] for a in answer["alternatives"] if not a["combination"])


def test_met_amplification_in_an_alk_tumour_gets_no_egfr_combination(ask):
    """Dagogo-Jack I 2020, Clin Cancer Res (doi:10.1158/1078-0432.CCR-19-3906): MET amplification in ALK-positive
    NSCLC on lorlatinib and other ALK inhibitors; the osimertinib combinations were studied in EGFR tumours."""
    answer = ask("lorlatinib", "MET amplification")
    assert not [d for d in drugs(answer) if d.startswith("osimertinib")]


def test_withdrawn_mobocertinib_is_said_and_ranked_last(ask, offered):
    """Exkivity label (tkd:label_mobocertinib_FDA): accelerated approval, then withdrawn."""
    answer = ask("mobocertinib", "exon 20 insertion")
    assert any("approval of mobocertinib was withdrawn" in n for n in answer["notes"])
    found = offered("EGFR exon 20 insertion")
    assert found[-1]["drug"] == "mobocertinib" and found[-1]["withdrawn"]


def test_first_line_label_does_not_lead_after_gefitinib(ask):
    """Tagrisso label (tkd:label_osimertinib_FDA) covers T790M after an EGFR TKI; Vizimpro's is first line."""
    answer = ask("gefitinib", "L858R/T790M")
    assert drugs(answer)[0] == "osimertinib"


def test_first_line_options_lead_when_the_drug_still_works(ask):
    """NCCN NSCLC 2024 (tkd:guideline_NCCN_NSCLC_2024) lists osimertinib as preferred first-line for L858R;
    datopotamab deruxtecan (tkd:label_datopotamab_deruxtecan_FDA) is approved after EGFR-directed therapy."""
    answer = ask("gefitinib", "EGFR L858R")
    assert answer["verdict"] == "sensitive" and drugs(answer)[0] == "osimertinib"
    later = [a for a in answer["alternatives"] if a["later_line"]]
    assert "datopotamab deruxtecan" in [a["drug"] for a in later]
    first = [a for a in answer["alternatives"] if a["level"] == "guideline or label" and not a["later_line"]]
    assert max(drugs(answer).index(a["drug"]) for a in first) < min(drugs(answer).index(a["drug"]) for a in later)


def test_a_drug_without_approval_in_the_disease_ranks_after_approved_ones(ask):
    """Pemovska T 2015, Nature (pubmed:25686603): axitinib, approved for renal cell carcinoma, acts on BCR-ABL1
    M244V in Ba/F3 cells; ponatinib and nilotinib, approved for CML, rank before it at the same level."""
    answer = ask("imatinib", "BCR-ABL1 M244V")
    names = drugs(answer)
    axitinib = next(a for a in answer["alternatives"] if a["drug"] == "axitinib")
    assert not axitinib["approved_here"]
    assert all(a["approved_here"] for a in answer["alternatives"] if a["drug"] in {"ponatinib", "nilotinib"})
    assert names.index("ponatinib") < names.index("axitinib") and names.index("nilotinib") < names.index("axitinib")


def test_alternatives_from_another_disease_when_none_is_in_the_asked_ones(ask):
    """Tabernero J 2015, J Clin Oncol (pubmed:26324363): erdafitinib in FGFR-altered solid tumours; the FGFR2-fusion
    inhibitors pemigatinib and futibatinib are approved in cholangiocarcinoma: offered, flagged with that disease."""
    answer = ask("erdafitinib", "FGFR2 fusion")
    found = {a["drug"]: a for a in answer["alternatives"]}
    assert {"pemigatinib", "futibatinib"} <= set(found)
    assert all(a["other_disease"] == "cholangiocarcinoma" and a["other_disease_than_evidence"]
               for name, a in found.items() if name in {"pemigatinib", "futibatinib"})


def test_a_mek_inhibitor_keeps_braf_as_the_driver(ask):
    """Robert C 2015, N Engl J Med (COMBI-v): BRAF V600K melanoma; MEK lies below BRAF, so after trametinib the
    BRAF inhibitors are not flagged as missing the driver."""
    answer = ask("trametinib", "BRAF V600K")
    assert all(a["covers_driver"] for a in answer["alternatives"] if a["drug"] in {"vemurafenib", "dabrafenib"})


def test_platinum_etoposide_after_small_cell_transformation(ask):
    """Marcoux N 2019, J Clin Oncol (pubmed:30550363): platinum-etoposide after small-cell transformation of
    EGFR-mutant lung cancer; checkpoint inhibitors did not help."""
    answer = ask("osimertinib", "small-cell transformation")
    assert answer["verdict"] == "resistant"
    assert "carboplatin + etoposide" in drugs(answer)


def test_amivantamab_chemotherapy_after_an_egfr_tki(ask):
    """Rybrevant label (tkd:label_amivantamab_FDA, MARIPOSA-2): amivantamab with carboplatin and pemetrexed for
    L858R NSCLC that progressed on an EGFR TKI."""
    answer = ask("osimertinib", "EGFR L858R")
    assert "amivantamab + carboplatin + pemetrexed" in drugs(answer)


def test_encorafenib_cetuximab_for_braf_v600e_colorectal_cancer(ask):
    """Braftovi label (tkd:label_encorafenib_FDA): encorafenib with cetuximab for BRAF V600E colorectal cancer,
    where vemurafenib alone fails (EGFR feedback)."""
    answer = ask("vemurafenib", "BRAF V600E in colorectal cancer")
    assert answer["verdict"] == "resistant"
    assert "cetuximab + encorafenib" in drugs(answer)


# -- what a clinician types ---------------------------------------------------------------------------------
def test_brand_name_and_disease_in_the_variant(ask):
    """Gorre ME 2001, Science (pubmed:11423618): T315I in CML resists imatinib (Gleevec)."""
    answer = ask("Gleevec", "BCR-ABL1 T315I in CML")
    assert (answer["drug"]["label"], answer["verdict"]) == ("imatinib", "resistant")
    assert answer["disease"]["label"].lower().startswith("chronic myel")


def test_code_name_without_hyphen(ask):
    """Shah NP 2002, Cancer Cell (pubmed:12623848): P-loop E255K in patients relapsing on STI571 (imatinib)."""
    answer = ask("STI571", "E255K")
    assert (answer["drug"]["label"], answer["verdict"]) == ("imatinib", "resistant")


def test_positive_suffix(ask):
    """Tagrisso label (tkd:label_osimertinib_FDA): 'EGFR T790M-positive' NSCLC."""
    assert ask("osimertinib", "EGFR T790M-positive")["variant"]["label"] == "EGFR T790M"


def test_exon_19_deletion_shorthand(ask):
    """Rosell R 2012, Lancet Oncol (pubmed:22285168, EURTAC): erlotinib for exon 19 deletions."""
    answer = ask("erlotinib", "Ex19 del")
    assert (answer["variant"]["label"], answer["verdict"]) == ("EGFR exon 19 deletion", "sensitive")


@pytest.mark.parametrize("typed", ["small cell", "small cell lung cancer", "small-cell transformation"])
def test_small_cell_transformation_as_typed(ask, typed):
    """Marcoux N 2019, J Clin Oncol (pubmed:30550363): small-cell transformation on EGFR inhibitors."""
    assert ask("osimertinib", typed)["variant"]["label"] == "small-cell transformation"


def _has_alias(name):
    kb = tkigraph.open().kb
    return any(str(s).lower() == name.lower() for s in kb.graph.objects(None, SKOS.altLabel))


@pytest.mark.parametrize("typed", ["SCLC", "SCLC transformation", "small-cell lung cancer transformation"])
def test_sclc_abbreviation(ask, typed):
    """Marcoux N 2019, J Clin Oncol (pubmed:30550363). Needs the curated alias 'SCLC transformation' (a
    skos:altLabel of tkd:SCLC_transformation in ontology/kb/mechanisms.ttl, being added by a curator)."""
    if not _has_alias("SCLC transformation"):
        pytest.skip("the alias 'SCLC transformation' is not yet curated (ontology/kb/mechanisms.ttl)")
    assert ask("osimertinib", typed)["variant"]["label"] == "small-cell transformation"


def test_exon_class_named_by_one_of_its_exons(ask):
    """Heinrich MC 2006, J Clin Oncol (pubmed:16954519): secondary exon 17 mutations in imatinib-resistant GIST."""
    answer = ask("imatinib", "KIT exon 17 mutation")
    assert (answer["variant"]["label"], answer["verdict"]) == ("KIT exon 17/18 mutation", "resistant")


def test_unknown_change_at_a_known_codon_shows_its_neighbour(ask):
    """Awad MM 2013, N Engl J Med (pubmed:23724914): ROS1 G2032R resists crizotinib; G2032K is not in the graph,
    so the answer is no_evidence with G2032R shown as the nearest, not about G2032K."""
    answer = ask("crizotinib", "ROS1 G2032K")
    assert answer["verdict"] == "no_evidence" and answer["variant"]["codon"] == 2032
    near = {n["variant"]: n for n in answer["nearest"]}
    assert "ROS1 G2032R" in near and not near["ROS1 G2032R"]["about_this_variant"]


def test_plcg2_named_alone_with_its_change(ask):
    """Woyach JA 2014, N Engl J Med (pubmed:24869598): PLCG2 R665W at relapse on ibrutinib."""
    assert ask("ibrutinib", "PLCG2 R665W")["verdict"] == "resistant"


@pytest.mark.parametrize(("region", "gene"), [("A-loop", "KIT"), ("activation segment", "FLT3")])
def test_region_synonym_in_a_named_query(invoke, region, gene):
    """Gotlib J 2016, N Engl J Med (pubmed:27355533) for KIT D816V; Smith CC 2012 (pubmed:22504184) for FLT3
    D835: both in the activation loop."""
    result = invoke("query", "region-mutations", "--param", f"region={region}", "--format", "tsv")
    assert result.exit_code == 0 and gene in result.output
