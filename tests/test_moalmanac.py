"""Importing MOAlmanac: the real release (read from ../shared, never bundled: GPL-2.0), synthetic rows, the CLI."""

from __future__ import annotations

import json

import pytest
from rdflib import Literal

from tkigraph.errors import InputFileError
from tkigraph.rdfterms import DCTERMS, PUBMED, RDF, RDFS, TKD, TKG
from tkigraph.sources.moalmanac import import_file, main

from .constants import SHARED

MOALMANAC = SHARED / "data" / "moalmanac" / "molecular-oncology-almanac.json"
needs_moalmanac = pytest.mark.skipif(not MOALMANAC.is_file(),
                                     reason=f"{MOALMANAC} is absent: the MOAlmanac release lives in ../shared/data")

#: assertions of the real release (checked by eye in the file)
A_T315I_IMATINIB_RESISTANCE = "66"   # ABL1 p.T315I, Imatinib, therapy_resistance 1, Preclinical, PMID 11423618
A_BCR_ABL1_BOSUTINIB_LABEL = "1"     # BCR-ABL1 fusion, Bosutinib, FDA-Approved, a drug label without PMID


def assertion(**fields) -> dict:
    """A synthetic MOAlmanac assertion (invented values; the keys of the one-file release)."""
    record = {"feature_type": "Somatic Variant", "gene": "EGFR", "protein_change": "p.T790M",
              "disease": "Non-Small Cell Lung Cancer", "oncotree_term": "Non-Small Cell Lung Cancer",
              "therapy_name": "Osimertinib",
              "therapy_strategy": "EGFR inhibition", "therapy_type": "Targeted therapy", "therapy_sensitivity": 1,
              "therapy_resistance": "", "predictive_implication": "Clinical evidence",
              "description": "A synthetic assertion.", "source_type": "Journal", "citation": "Doe J, et al. 2020.",
              "url": "https://doi.org/10.1000/x1", "doi": "10.1000/x1", "pmid": 15737014,
              "publication_date": "2020-01-01", "last_updated": "2024-01-01", "_deprecated": False,
              "assertion_id": 800001, "source_id": 900001, "therapy_name_mappings": []}
    record.update(fields)
    return record


SYNTHETIC = [
    assertion(assertion_id=800001),
    assertion(assertion_id=800002, therapy_name="Trametinib", therapy_strategy="MEK inhibition", gene="KRAS",
              protein_change="p.G12C", therapy_name_mappings=[{"coding": {"code": "C77908", "name": "Trametinib"}}]),
    assertion(assertion_id=800003, therapy_name="Cetuximab", therapy_type="Immunotherapy"),
    assertion(assertion_id=800004, therapy_name="Cisplatin", therapy_type="Chemotherapy"),
    assertion(assertion_id=800005, therapy_name="Osimertinib + Savolitinib", feature_type="Copy Number",
              gene="MET", direction="Amplification", therapy_type="Combination therapy"),
    assertion(assertion_id=800006),  # the same claim from the same paper as 800001: merged
    assertion(assertion_id=800007, feature_type="Mutational Burden"),
    assertion(assertion_id=800008, therapy_sensitivity="", therapy_resistance=""),
    assertion(assertion_id=800009, feature_type="Rearrangement", gene1="BCR", gene2="ABL1", therapy_name="Bosutinib",
              predictive_implication="FDA-Approved", source_type="FDA", pmid="", doi="",
              url="https://www.accessdata.fda.gov/label.pdf", citation="Bosulif label."),
    assertion(assertion_id=800010, therapy_resistance=1, therapy_sensitivity="", therapy_name="Erlotinib",
              predictive_implication="Preclinical"),
    "not an object",
    assertion(assertion_id="80x"),
    assertion(assertion_id=800013, description="bidi \u202e here"),
    assertion(assertion_id=800014, doi="10.1000/x> <urn:y", pmid=""),
    assertion(assertion_id=800015, _deprecated=True),
]


def release(records: list) -> str:
    """A JSON list with one assertion a line: the assertion at index i starts on line i + 2."""
    return "[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n"


@pytest.fixture(scope="module")
def synthetic(kb, tmp_path_factory):
    path = tmp_path_factory.mktemp("moa") / "moa.json"
    path.write_text(release(SYNTHETIC), encoding="utf-8")
    return import_file(path, kb)


def finding(aid) -> object:
    return TKD[f"moalmanac_A{aid}_1"]


def test_synthetic_account_is_exact(synthetic):
    _, account = synthetic
    assert account.rows_read == len(SYNTHETIC) and account.balanced()
    assert (account.imported, account.merged, len(account.rejected)) == (5, 1, 4)
    assert account.skipped["feature type Mutational Burden is not a variant tkigraph models"] == 1
    # cetuximab alone: a curated partner of kinase inhibitors, but not one itself
    assert account.skipped["no kinase inhibitor: antibodies only (not TKI findings)"] == 1
    assert account.skipped["deprecated assertion"] == 1
    reasons = {r.line: r.reason for r in account.rejected}  # by the line each assertion starts on
    assert "not a JSON object" in reasons[12] and "assertion_id '80x' is not a number" in reasons[13]
    assert "U+202E" in reasons[14] and "is not a DOI" in reasons[15]


def test_synthetic_findings(synthetic):
    g, _ = synthetic
    f = finding(800001)
    assert g.value(f, TKG.variant) == TKD.EGFR_T790M and g.value(f, TKG.drug) == TKD.osimertinib
    assert g.value(f, TKG.disease) == TKD.NSCLC and g.value(f, DCTERMS.source) == PUBMED["15737014"]
    assert str(g.value(f, DCTERMS.publisher)) == "moalmanac" and g.value(f, TKG.evidenceLevel) == TKG.Clinical
    assert set(g.objects(f, DCTERMS.identifier)) == {Literal("moalmanac:800001"), Literal("moalmanac:800006")}
    assert g.value(finding(800005), TKG.drug) == TKD.osimertinib_savolitinib
    assert g.value(finding(800005), TKG.variant) == TKD.MET_amplification
    label = g.value(finding(800009), DCTERMS.source)
    assert (label, RDF.type, TKG.DrugLabel) in g and g.value(finding(800009), TKG.evidenceLevel) == TKG.GuidelineOrLabel
    assert g.value(finding(800009), TKG.variant) == TKD["BCR-ABL1"]
    assert g.value(finding(800010), TKG.effect) == TKG.Resistant
    assert g.value(finding(800010), TKG.evidenceLevel) == TKG.InVitro


def test_a_kinase_inhibitor_the_curated_graph_holds_is_not_created_again(synthetic):
    """Trametinib is curated (ontology/kb/braf_mek.ttl): the row maps onto it (creation: test_civic)."""
    g, account = synthetic
    drug = g.value(finding(800002), TKG.drug)
    assert drug == TKD.trametinib and (drug, DCTERMS.publisher, None) not in g
    assert account.new_drugs == 0


@needs_moalmanac
def test_the_real_release_is_accounted_for(kb):
    g, account = import_file(MOALMANAC, kb)
    assert account.rows_read == 1018 and account.balanced() and account.rejected == []
    assert account.imported > 300 and account.skipped["deprecated assertion"] == 3
    f = finding(A_T315I_IMATINIB_RESISTANCE)
    assert g.value(f, TKG.variant) == TKD["BCR-ABL1_T315I"] and g.value(f, TKG.drug) == TKD.imatinib
    assert g.value(f, TKG.effect) == TKG.Resistant and g.value(f, TKG.mechanism) == TKG.OnTargetMutation
    label = g.value(finding(A_BCR_ABL1_BOSUTINIB_LABEL), DCTERMS.source)
    assert (label, RDF.type, TKG.DrugLabel) in g and g.value(label, TKG.verification) == TKG.VerifiedMOAlmanac
    for drug in g.subjects(RDF.type, TKG.Drug):  # no antibody became a drug of its own
        assert not str(g.value(drug, RDFS.label, default="")).endswith("mab") or (drug, TKG.inhibits, None) not in g


@pytest.mark.parametrize("content, message", [
    ("", "not JSON"),
    ("{\"statements\": []}", "not the list of assertions"),
    ("[]", "empty"),
    ("[{\"gene\": \"EGFR\"}]", "no assertion has feature_type"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
])
def test_whole_file_problems_raise(kb, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        import_file(path, kb)


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TKIGRAPH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / "sources"


def test_cli_import_sources_and_explain(invoke, data_dir, tmp_path):
    path = tmp_path / "moa.json"
    path.write_text(release(SYNTHETIC), encoding="utf-8")
    first = invoke("import", "moalmanac", str(path), "--format", "json")
    assert first.exit_code == 0, first.output
    account = json.loads(first.output)  # nothing but the JSON on stdout: no progress bar off a terminal
    assert (account["rows_read"], account["imported"], account["merged"], account["rejected"]) == (15, 5, 1, 4)
    assert account["licence"] == "GPL-2.0" and account["changed"] is True
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    second = invoke("import", "moalmanac", str(path))
    assert second.exit_code == 0 and "unchanged" in second.output
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before
    listed = json.loads(invoke("sources", "--format", "json").output)["sources"]["moalmanac"]
    assert listed["licence"] == "GPL-2.0" and len(listed["sha256"]) == 64 and listed["merged"] == 1
    data = json.loads(invoke("explain", "osimertinib", "EGFR T790M", "--format", "json").output)
    origins = {e["finding"]: e["origin"] for e in data["evidence"]}
    assert origins["tkd:moalmanac_A800001_1"] == "moalmanac" and "curated" in origins.values()
    assert invoke("stats").exit_code == 0


def test_cli_bad_file_writes_nothing(invoke, data_dir, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("[1, 2", encoding="utf-8")
    result = invoke("import", "moalmanac", str(path))
    assert result.exit_code == 1 and "not JSON" in result.output and "Traceback" not in result.output
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_module_runs_alone(tmp_path, capsys):
    path = tmp_path / "moa.json"
    path.write_text(json.dumps(SYNTHETIC[:2]), encoding="utf-8")
    assert main([str(path)]) == 0
    assert "rows read: 2 = imported 2 + merged 0 + skipped 0 + rejected 0" in capsys.readouterr().out


def test_two_sources_creating_one_entity_meet_on_one_node(invoke, data_dir, tmp_path):
    """CIViC and MOAlmanac both naming KRAS G12C, trametinib and cetuximab give one node each, not an ambiguity."""
    from .test_civic import CURRENT_HEADER, current_row, write

    civic = write(tmp_path / "c.tsv", CURRENT_HEADER, [
        current_row(evidence_id="940001", molecular_profile="KRAS G12C", therapies="Trametinib"),
        current_row(evidence_id="940002", molecular_profile="KRAS G12C", therapies="Trametinib, Cetuximab",
                    therapy_interaction_type="Combination")])
    moa = tmp_path / "m.json"
    moa.write_text(json.dumps([assertion(assertion_id=1, gene="KRAS", protein_change="p.G12C",
                                         therapy_name="Trametinib"),
                               assertion(assertion_id=2, gene="KRAS", protein_change="p.G12C",
                                         therapy_name="Cetuximab + Trametinib")]), encoding="utf-8")
    assert invoke("import", "civic", civic).exit_code == 0 and invoke("import", "moalmanac", str(moa)).exit_code == 0
    for drug in ("trametinib", "cetuximab + trametinib"):
        result = invoke("explain", drug, "KRAS G12C", "--format", "json")
        assert result.exit_code == 0, result.output
        assert {"civic", "moalmanac"} <= {e["origin"] for e in json.loads(result.output)["evidence"]}
