"""Importing CIViC evidence: the real 2018 export, the current layout, bad input, the CLI around it."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import Literal, URIRef

from tkigraph.errors import InputFileError
from tkigraph.rdfterms import DCTERMS, PROV, PUBMED, RDF, RDFS, SKOS, TKD, TKG
from tkigraph.sources.civic import import_file, main
from tkigraph.sources.entities import EntityMapper

from .constants import CIVIC_EVIDENCE, MINI_KB

needs_civic = pytest.mark.skipif(not CIVIC_EVIDENCE.is_file(),
                                 reason=f"{CIVIC_EVIDENCE} is absent: the real CIViC export lives in ../shared/data")

#: evidence items of the May 2018 export (checked by eye in the file)
EID_T790M_ERLOTINIB_RESISTANCE = "238"      # EGFR T790M, Erlotinib, level A, rating 5
EID_T790M_OSIMERTINIB_SENSITIVITY = "1592"  # EGFR T790M, Osimertinib, level A, rating 5
EID_T790M_OSIMERTINIB_PRECLINICAL = "963"   # EGFR T790M, Osimertinib, level D
EID_KRAS_ERLOTINIB_NOT_SUPPORTED = "916"    # KRAS EXON 2 MUTATION, Erlotinib, Does Not Support
EID_EX19DEL_TWO_DRUGS = "413"               # EGFR EXON 19 DELETION, Gefitinib,Erlotinib

OLD_HEADER = ("gene entrez_id variant disease doid phenotypes drugs evidence_type evidence_direction "
              "evidence_level clinical_significance evidence_statement pubmed_id citation nct_ids rating "
              "evidence_status evidence_id variant_id gene_id chromosome start stop reference_bases variant_bases "
              "representative_transcript chromosome2 start2 stop2 representative_transcript2 ensembl_version "
              "reference_build variant_summary variant_origin last_review_date evidence_civic_url "
              "variant_civic_url gene_civic_url").split()
CURRENT_HEADER = ("molecular_profile molecular_profile_id disease doid phenotypes therapies therapy_interaction_type "
                  "evidence_type evidence_direction evidence_level significance evidence_statement citation_id "
                  "source_type asco_abstract_id citation nct_ids rating evidence_status evidence_id variant_origin "
                  "last_review_date evidence_civic_url molecular_profile_civic_url is_flagged").split()


def old_row(**fields) -> str:
    row = dict.fromkeys(OLD_HEADER, "")
    row.update(gene="EGFR", variant="T790M", disease="Lung Non-small Cell Carcinoma", doid="3908",
               drugs="Erlotinib", evidence_type="Predictive", evidence_direction="Supports", evidence_level="B",
               clinical_significance="Resistance or Non-Response", evidence_statement="A synthetic statement.",
               pubmed_id="15737014", citation="Pao et al., 2005, PLoS Med.", rating="4", evidence_id="900001")
    row.update(fields)
    return "\t".join(row[c] for c in OLD_HEADER)


def current_row(**fields) -> str:
    row = dict.fromkeys(CURRENT_HEADER, "")
    row.update(molecular_profile="EGFR T790M", disease="Lung Non-small Cell Carcinoma", doid="3908",
               therapies="Osimertinib", evidence_type="Predictive", evidence_direction="Supports",
               evidence_level="B", significance="Sensitivity/Response", evidence_statement="A synthetic statement.",
               citation_id="15737014", source_type="PubMed", citation="Pao et al., 2005, PLoS Med.", rating="3",
               evidence_status="accepted", evidence_id="910001")
    row.update(fields)
    return "\t".join(row[c] for c in CURRENT_HEADER)


def write(path, header, rows, end="\n") -> str:
    path.write_text("\t".join(header) + "\n" + "\n".join(rows) + end, encoding="utf-8")
    return str(path)


CURRENT_ROWS = [
    current_row(evidence_id="910001"),
    current_row(evidence_id="910002", molecular_profile="MET AMPLIFICATION", therapies="Osimertinib, Savolitinib",
                therapy_interaction_type="Combination"),
    current_row(evidence_id="910003", molecular_profile="EGFR L858R", therapies="Erlotinib, Gefitinib",
                therapy_interaction_type="Substitutes"),
    current_row(evidence_id="910004", molecular_profile="EGFR T790M AND EGFR C797S", significance="Resistance"),
    current_row(evidence_id="910005", therapies="Erlotinib", evidence_direction="Does Not Support"),
    current_row(evidence_id="910006", molecular_profile="ABL1 E255K", therapies="Nilotinib",
                significance="Reduced Sensitivity", evidence_level="D", doid="8552", disease="Chronic Myeloid Leukemia"),
    current_row(evidence_id="910007", evidence_type="Prognostic"),
    current_row(evidence_id="910008", therapies="Ramucirumab"),
    current_row(evidence_id="910009", molecular_profile="EGFR L858R OR EGFR T790M"),
    current_row(evidence_id="910010", source_type="ASCO", citation_id="12345", citation="Doe et al., 2020, ASCO"),
]


def finding(eid: str, n: int = 1) -> URIRef:
    return TKD[f"civic_EID{eid}_{n}"]


# -- the real May 2018 export -------------------------------------------------------------
@pytest.fixture(scope="module")
def real(kb):
    if not CIVIC_EVIDENCE.is_file():
        pytest.skip(f"{CIVIC_EVIDENCE} is absent: the real CIViC export lives in ../shared/data")
    return import_file(CIVIC_EVIDENCE, kb)


@needs_civic
def test_every_row_of_the_real_export_is_accounted_for(real):
    _, account = real
    assert account.layout == "2018"
    assert account.rows_read == 2525, "the export has 2,525 data rows (README of ../shared/data/civic)"
    assert account.rows_read == account.imported + account.merged + account.skipped_total + len(account.rejected)
    assert account.balanced() and account.imported > 800 and account.merged > 0
    assert account.skipped["not predictive evidence"] == 950  # 2,525 - 1,575 predictive
    assert any("repeat a curated finding" in note for note in account.notes)  # counted, not yet reconciled


@needs_civic
def test_t790m_erlotinib_resistance_is_a_finding(real):
    g, _ = real
    f = finding(EID_T790M_ERLOTINIB_RESISTANCE)
    assert (f, RDF.type, TKG.Finding) in g
    assert g.value(f, TKG.variant) == TKD.EGFR_T790M and g.value(f, TKG.drug) == TKD.erlotinib
    assert g.value(f, TKG.effect) == TKG.Resistant and g.value(f, TKG.mechanism) == TKG.OnTargetMutation
    assert g.value(f, TKG.evidenceLevel) == TKG.Clinical and str(g.value(f, TKG.civicLevel)) == "A"
    assert int(g.value(f, TKG.civicRating)) == 5
    assert g.value(f, TKG.disease) == TKD.NSCLC  # DOID:3908
    assert str(g.value(f, DCTERMS.identifier)) == "EID238" and str(g.value(f, DCTERMS.publisher)) == "civic"
    assert str(g.value(f, PROV.wasDerivedFrom)).endswith("/links/evidence_items/238")


@needs_civic
def test_osimertinib_sensitivity_and_preclinical_level(real):
    g, _ = real
    f = finding(EID_T790M_OSIMERTINIB_SENSITIVITY)
    assert g.value(f, TKG.drug) == TKD.osimertinib and g.value(f, TKG.effect) == TKG.Sensitive
    assert g.value(f, TKG.mechanism) == TKG.TargetDependence
    assert g.value(finding(EID_T790M_OSIMERTINIB_PRECLINICAL), TKG.evidenceLevel) == TKG.InVitro


@needs_civic
def test_does_not_support_is_kept_negated_not_flipped(real):
    g, _ = real
    f = finding(EID_KRAS_ERLOTINIB_NOT_SUPPORTED)
    assert (f, TKG.negated, Literal(True)) in g and g.value(f, TKG.effect) == TKG.Resistant
    assert g.value(f, TKG.mechanism) == TKG.DownstreamAlteration


@needs_civic
def test_old_layout_drug_lists_are_combinations_of_unknown_kind(real):
    g, _ = real
    combo = g.value(finding(EID_EX19DEL_TWO_DRUGS), TKG.drug)
    assert (combo, RDF.type, TKG.UnspecifiedCombination) in g  # a subclass of tkigraph:Combination, never an alternative
    assert set(g.objects(combo, TKG.hasComponentDrug)) == {TKD.erlotinib, TKD.gefitinib}
    assert "unknown kind" in str(g.value(combo, SKOS.definition))
    assert g.value(finding(EID_EX19DEL_TWO_DRUGS), TKG.variant) == TKD.EGFR_exon19del


@needs_civic
def test_publications_parse_the_citation(real, kb):
    g, _ = real
    pub = PUBMED["25668228"]  # "Denis et al., 2015, Clin. Chim. Acta", not in the curated graph
    if (pub, None, None) in kb.graph:
        pytest.skip("the curated graph already describes this publication")
    assert str(g.value(pub, TKG.firstAuthor)) == "Denis" and str(g.value(pub, DCTERMS.date)) == "2015"
    assert g.value(pub, TKG.verification) == TKG.VerifiedCIViC


# -- variant names in all their CIViC forms -------------------------------------------------
@pytest.mark.parametrize("gene, name, expected", [
    ("ABL1", "BCR-ABL E255K", "BCR-ABL1_E255K"),
    ("ALK", "EML4-ALK C1156Y", "ALK_C1156Y"),
    ("EGFR", "EXON 19 DELETION", "EGFR_exon19del"),
    ("FLT3", "ITD", "FLT3_ITD"),
    ("EGFR", "AMPLIFICATION", "EGFR_amplification"),
    ("KIT", "V560DEL", "KIT_V560del"),
    ("ALK", "EML4-ALK T1151INST", "ALK_T1151dup"),
    ("ROS1", "CD74-ROS1 G2032R", "ROS1_G2032R"),
    ("ALK", "ALK FUSION G1202R", "ALK_G1202R"),
    ("ALK", "HIP1-ALK I1171N", "ALK_I1171N"),
    ("ALK", "EML4-ALK C1156Y\u2013L1198F", "ALK_C1156Y_L1198F_phaseunknown"),
    ("PDGFRA", "FIP1L1-PDGFRA T674I", "FIP1L1-PDGFRA_T674I"),
    ("FLT3", "D835", "FLT3_D835X"),
])
def test_variant_names_map_onto_our_variants(kb, gene, name, expected):
    from tkigraph.storage.files import new_graph

    assert EntityMapper(kb, new_graph()).single(gene, name) == TKD[expected]


@pytest.mark.parametrize("gene, name, expected, cls", [
    ("PDGFRA", "DI842-843IM", "imported_PDGFRA_D842_I843delinsIM", TKG.Indel),
    ("EGFR", "MUTATION", "imported_EGFR_mutation", TKG.VariantClass),
    ("EGFR", "OVEREXPRESSION", "imported_EGFR_overexpression", TKG.ExpressionChange),
    ("EGFR", "E709A", "imported_EGFR_E709A", TKG.PointSubstitution),
    ("EGFR", "Ex19 del L858R", "imported_EGFR_exon19del_L858R_phaseunknown", TKG.CompoundVariant),
    ("ALK", "TPM3-ALK", "imported_ALK_TPM3-ALK", TKG.Fusion),
])
def test_unknown_variants_are_created_typed_and_labelled(kb, gene, name, expected, cls):
    from tkigraph.storage.files import new_graph

    out = new_graph()
    node = EntityMapper(kb, out).single(gene, name)
    assert node == TKD[expected] and (node, RDF.type, cls) in out
    assert out.value(node, RDFS.label) is not None and out.value(node, TKG.variantOf) is not None
    if cls == TKG.PointSubstitution:
        assert str(out.value(node, TKG.hgvs)) == "p.Glu709Ala" and int(out.value(node, TKG.codon)) == 709
    if cls == TKG.CompoundVariant:
        assert set(out.objects(node, TKG.hasComponent)) == {TKD.EGFR_exon19del, TKD.EGFR_L858R}


# -- the current layout -------------------------------------------------------------------
@pytest.fixture(scope="module")
def current(kb, tmp_path_factory):
    path = write(tmp_path_factory.mktemp("civic") / "current.tsv", CURRENT_HEADER, CURRENT_ROWS)
    return import_file(path, kb)


def test_current_layout_account(current):
    _, account = current
    assert account.layout == "2022" and account.rows_read == len(CURRENT_ROWS)
    assert (account.imported, account.merged, account.skipped_total, len(account.rejected)) == (7, 0, 3, 0)
    assert account.skipped["no kinase inhibitor: antibodies only (not TKI findings)"] == 1  # ramucirumab
    assert account.skipped["molecular profile with OR or NOT (not representable)"] == 1


def test_only_accepted_unflagged_evidence_is_imported(kb, tmp_path):
    """CIViC's submitted (unreviewed) and flagged items are counted as skipped, never findings."""
    rows = [current_row(evidence_id="910101"), current_row(evidence_id="910102", evidence_status="submitted"),
            current_row(evidence_id="910103", evidence_status="rejected"),
            current_row(evidence_id="910104", is_flagged="true")]
    graph, account = import_file(write(tmp_path / "status.tsv", CURRENT_HEADER, rows), kb)
    assert (account.imported, account.skipped_total) == (1, 3)
    assert account.skipped["evidence status submitted (only accepted evidence is imported)"] == 1
    assert account.skipped["evidence status rejected (only accepted evidence is imported)"] == 1
    assert account.skipped["flagged in CIViC (under review for a problem)"] == 1
    assert (finding("910101"), RDF.type, TKG.Finding) in graph
    assert not any((finding(eid), None, None) in graph for eid in ("910102", "910103", "910104"))


def test_current_layout_single_combination_and_substitutes(current):
    g, _ = current
    assert g.value(finding("910001"), TKG.drug) == TKD.osimertinib
    combo = g.value(finding("910002"), TKG.drug)
    assert combo == TKD.osimertinib_savolitinib  # the curated combination with exactly these components
    assert (finding("910002", 2), None, None) not in g
    assert {g.value(finding("910003", n), TKG.drug) for n in (1, 2)} == {TKD.erlotinib, TKD.gefitinib}


def test_current_layout_complex_profile_is_a_compound_of_unknown_phase(current):
    g, _ = current
    compound = g.value(finding("910004"), TKG.variant)
    assert (compound, RDF.type, TKG.CompoundVariant) in g and g.value(compound, TKG.phase) == TKG.PhaseUnknown
    assert set(g.objects(compound, TKG.hasComponent)) == {TKD.EGFR_T790M, TKD.EGFR_C797S}
    assert g.value(finding("910004"), TKG.effect) == TKG.Resistant


def test_current_layout_negation_reduced_sensitivity_and_asco(current):
    g, _ = current
    assert (finding("910005"), TKG.negated, Literal(True)) in g
    f = finding("910006")
    assert g.value(f, TKG.effect) == TKG.ReducedSensitivity and g.value(f, TKG.variant) == TKD["BCR-ABL1_E255K"]
    assert g.value(f, TKG.disease) == TKD.CML and g.value(f, TKG.evidenceLevel) == TKG.InVitro
    assert g.value(finding("910010"), DCTERMS.source) == TKD.civic_ASCO_12345


# -- bad input ----------------------------------------------------------------------------
def test_bad_rows_are_rejected_with_line_and_reason(kb, tmp_path):
    good = old_row(evidence_id="900001")
    rows = [good, good + "\textra", "\t".join(good.split("\t")[:10]), old_row(evidence_id="900004", pubmed_id="PMID12"),
            old_row(evidence_id="900005", clinical_significance='"Sensitivity'),
            old_row(evidence_id="900006", evidence_level="Z"), old_row(evidence_id="900001")]
    path = tmp_path / "bad.tsv"
    text = "\t".join(OLD_HEADER) + "\n" + "\n".join(rows) + "\n"
    path.write_bytes(text.encode() + old_row(evidence_id="900007", evidence_statement="caf\udce9").encode(
        "utf-8", "surrogateescape") + b"\n" + "\t".join(good.split("\t")[:5]).encode())  # Latin-1, then truncated
    _, account = import_file(path, kb)
    reasons = {r.line: r.reason for r in account.rejected}
    assert account.rows_read == 9 and account.imported == 1 and account.balanced()
    assert "too many columns" in reasons[3] and "too few columns" in reasons[4]
    assert "PubMed id 'PMID12' is not a number" in reasons[5]
    assert "unpaired double quote" in reasons[6] and "evidence_level" in reasons[7]
    assert "appears twice" in reasons[8]
    assert "not UTF-8" in reasons[9] and "truncated" in reasons[10]


def test_a_byte_order_mark_is_ignored(kb, tmp_path):
    path = tmp_path / "bom.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\t".join(OLD_HEADER) + "\n" + old_row() + "\n").encode())
    _, account = import_file(path, kb)
    assert account.imported == 1 and any("byte-order mark" in n for n in account.notes)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (("\t".join(OLD_HEADER) + "\n").encode(), "no data rows"),
    (b"gene\tvariant\tsomething\nEGFR\tT790M\tx\n", "lacks disease, doid, drugs"),
])
def test_whole_file_problems_raise(kb, tmp_path, content, message):
    path = tmp_path / "whole.tsv"
    path.write_bytes(content)
    with pytest.raises(InputFileError) as err:
        import_file(path, kb)
    assert message in str(err.value)


# -- the command line ---------------------------------------------------------------------
@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("TKIGRAPH_DATA_DIR", str(folder))
    return folder / "sources"


def test_import_writes_an_account_and_reimport_is_byte_identical(invoke, data_dir, tmp_path):
    path = write(tmp_path / "c.tsv", CURRENT_HEADER, [*CURRENT_ROWS, current_row(evidence_id="x")])
    first = invoke("import", "civic", path)
    assert first.exit_code == 0, first.output
    assert "rows read: 11 = imported 7 + merged 0 + skipped 3 + rejected 1" in first.output
    assert str(data_dir / "civic_rejects.tsv") in first.output
    assert "evidence_id 'x' is not a number" in (data_dir / "civic_rejects.tsv").read_text()
    meta = json.loads((data_dir / "civic.json").read_text())
    assert meta["rows_read"] == 11 and len(meta["sha256"]) == 64 and meta["imported_at"]
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    second = invoke("import", "civic", path)
    assert second.exit_code == 0 and "unchanged" in second.output
    assert {p.name: p.read_bytes() for p in data_dir.iterdir()} == before
    listed = invoke("sources")
    assert "civic: 8 findings from 7 of 11 rows" in listed.output


def test_explain_cites_imported_beside_curated_evidence(invoke, data_dir, tmp_path):
    path = write(tmp_path / "c.tsv", OLD_HEADER, [old_row(evidence_id="900001")])
    assert invoke("import", "civic", path).exit_code == 0
    result = invoke("explain", "erlotinib", "T790M", "--format", "json")
    data = json.loads(result.output)
    origins = {e["finding"]: e["origin"] for e in data["evidence"]}
    assert origins["tkd:civic_EID900001_1"] == "civic" and "curated" in origins.values()
    assert data["verdict"] == "resistant"
    curated = json.loads(invoke("explain", "erlotinib", "T790M", "--format", "json", "--source", "curated").output)
    assert all(e["origin"] == "curated" for e in curated["evidence"])
    civic = json.loads(invoke("explain", "erlotinib", "T790M", "--format", "json", "--source", "civic").output)
    assert [e["finding"] for e in civic["evidence"]] == ["tkd:civic_EID900001_1"]
    text = invoke("explain", "erlotinib", "T790M").output
    assert "[civic]" in text


@needs_civic
def test_real_export_through_the_cli_and_explain(invoke, data_dir):
    result = invoke("import", "civic", str(CIVIC_EVIDENCE))
    assert result.exit_code == 0 and "rows read: 2525 = imported" in result.output
    data = json.loads(invoke("explain", "erlotinib", "T790M", "--format", "json").output)
    findings = {e["finding"]: e["origin"] for e in data["evidence"]}
    assert findings[f"tkd:civic_EID{EID_T790M_ERLOTINIB_RESISTANCE}_1"] == "civic"
    assert any(o == "curated" for o in findings.values())
    query = "SELECT (COUNT(?f) AS ?n) WHERE { ?f a tkigraph:Finding ; dcterms:publisher \"civic\" }"
    count = invoke("query", query, "--format", "csv")
    assert count.output.split()[-1] == str(json.loads((data_dir / "civic.json").read_text())["findings"])


def test_source_civic_without_an_import_is_a_clean_error(invoke, data_dir):
    result = invoke("stats", "--source", "civic")
    assert result.exit_code == 1 and "not installed" in result.output and "Traceback" not in result.output


def test_bad_file_through_the_cli_writes_nothing(invoke, data_dir, tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_bytes(b"")
    result = invoke("import", "civic", str(empty))
    assert result.exit_code == 1 and "empty" in result.output and "Traceback" not in result.output
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_an_interrupted_import_leaves_the_previous_one_intact(invoke, data_dir, tmp_path, monkeypatch):
    assert invoke("import", "civic", write(tmp_path / "a.tsv", CURRENT_HEADER, CURRENT_ROWS[:1])).exit_code == 0
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    calls = []

    def interrupted_fsync(fd):  # the second file written is the Turtle: stop in the middle of it
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    result = invoke("import", "civic", write(tmp_path / "b.tsv", CURRENT_HEADER, CURRENT_ROWS))
    monkeypatch.undo()
    assert result.exit_code == 130
    after = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.name != "civic_rejects.tsv"}
    assert after == {k: v for k, v in before.items() if k != "civic_rejects.tsv"}  # no temp file left either


class _Fixture(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        if self.path != "/nightly.tsv":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    _Fixture.body = ("\t".join(CURRENT_HEADER) + "\n" + "\n".join(CURRENT_ROWS) + "\n").encode()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Fixture)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_download_from_a_loopback_server(invoke, data_dir, server):
    result = invoke("import", "civic", "--download", "--url", f"{server}/nightly.tsv")
    assert result.exit_code == 0, result.output
    assert "rows read: 10 = imported 7" in result.output
    assert json.loads((data_dir / "civic.json").read_text())["origin"] == f"{server}/nightly.tsv"
    missing = invoke("import", "civic", "--download", "--url", f"{server}/gone.tsv")
    assert missing.exit_code == 1 and "could not download" in missing.output


def test_module_runs_alone(kb, tmp_path, capsys):
    path = write(tmp_path / "c.tsv", CURRENT_HEADER, CURRENT_ROWS)
    assert main([path]) == 0
    assert "rows read: 10 = imported 7 + merged 0 + skipped 3 + rejected 0" in capsys.readouterr().out


def test_unspecified_combinations_are_never_offered_as_alternatives(tmp_path):
    """A 2018 row naming several drugs does not say they were combined: such a group is not an alternative."""
    import tkigraph
    from tkigraph.storage.oxigraph import open_kb

    extra = tmp_path / "unspecified.ttl"
    extra.write_text("""@prefix tkigraph: <https://w3id.org/tkigraph/ontology#> .
@prefix tkd: <https://w3id.org/tkigraph/kb/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
tkd:alpha_gamma_unspecified a tkigraph:UnspecifiedCombination ; rdfs:label "alphatinib + gammatinib (combination or alternatives)" ;
    tkigraph:hasComponentDrug tkd:alphatinib, tkd:gammatinib .
tkd:F_unspecified a tkigraph:Finding ; tkigraph:variant tkd:PARTY-KINX_T10I ; tkigraph:drug tkd:alpha_gamma_unspecified ;
    tkigraph:disease tkd:diseaseA ; tkigraph:effect tkigraph:Sensitive ; tkigraph:mechanism tkigraph:TargetDependence ;
    tkigraph:evidenceLevel tkigraph:Clinical ; tkigraph:statement "synthetic" .
""")
    kb = open_kb((str(MINI_KB), str(extra)), include_kb=False)
    result = tkigraph.explain(kb, "betatinib", "T10I")
    assert "alphatinib + gammatinib (combination or alternatives)" in {d.label for d, _ in result.cross_resistance}
    assert "alphatinib + gammatinib (combination or alternatives)" not in {a.drug.label for a in result.alternatives}


class _GraphStore(BaseHTTPRequestHandler):
    """A Graph Store Protocol endpoint that keeps what it is sent."""

    received: list[tuple[str, bytes]] = []

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        _GraphStore.received.append((self.path, self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def _civic_only_findings(ntriples: str) -> set[str]:
    typed = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/tkigraph/ontology#Finding> ."
    return {line.split()[0] for line in ntriples.splitlines() if line.endswith(typed)}


def test_push_and_serve_send_only_the_chosen_source(invoke, data_dir, tmp_path):
    import subprocess
    import sys
    import urllib.parse
    import urllib.request

    path = write(tmp_path / "c.tsv", OLD_HEADER, [old_row(evidence_id="900001")])
    assert invoke("import", "civic", path).exit_code == 0
    wanted = {f"<{finding('900001')}>"}

    _GraphStore.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _GraphStore)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        result = invoke("push", "--endpoint", f"http://127.0.0.1:{httpd.server_address[1]}/query", "--source", "civic")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.exit_code == 0, result.output
    [(target, body)] = _GraphStore.received
    assert target.startswith("/store?")  # the default graph, or tkigraph's named graph (sparql/remote.py)
    assert _civic_only_findings(body.decode()) == wanted  # no curated finding went with them

    env = {**os.environ, "TKIGRAPH_DATA_DIR": str(data_dir.parent)}
    process = subprocess.Popen([sys.executable, "-m", "tkigraph", "serve", "--port", "0", "--source", "civic"],
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        line = process.stderr.readline()
        url = line.split("endpoint: ", 1)[1].split()[0]
        query = "SELECT ?f WHERE { ?f a tkigraph:Finding }"
        request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            rows = json.loads(response.read())["results"]["bindings"]
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert {f"<{row['f']['value']}>" for row in rows} == wanted


# -- the 2021 layout, the 2022+ molecular-profile sample, new drugs, merged rows -----------------
CIVIC_2021 = CIVIC_EVIDENCE.parent / "01-Aug-2021-ClinicalEvidenceSummaries.tsv"
CIVIC_2026_SAMPLE = CIVIC_EVIDENCE.parent / "01-Oct-2026-AcceptedClinicalEvidenceSummaries.first35rows.tsv"
HEADER_2021 = [c for c in OLD_HEADER if c != "pubmed_id"]
HEADER_2021[HEADER_2021.index("drugs") + 1:HEADER_2021.index("drugs") + 1] = ["drug_interaction_type"]
HEADER_2021[HEADER_2021.index("evidence_statement") + 1:HEADER_2021.index("evidence_statement") + 1] = [
    "citation_id", "source_type", "asco_abstract_id"]


def row_2021(**fields) -> str:
    values = dict.fromkeys(HEADER_2021, "")
    values.update(gene="EGFR", variant="T790M", disease="Lung Non-small Cell Carcinoma", doid="3908", drugs="Erlotinib",
                  evidence_type="Predictive", evidence_direction="Supports", evidence_level="B",
                  clinical_significance="Resistance", evidence_statement="A synthetic statement.",
                  citation_id="15737014", source_type="PubMed", citation="Pao et al., 2005, PLoS Med.", rating="4",
                  evidence_id="920001")
    values.update(fields)
    return "\t".join(values[c] for c in HEADER_2021)


def test_2021_layout_is_detected_and_mapped(kb, tmp_path):
    rows = [row_2021(),
            row_2021(evidence_id="920002", drugs="Erlotinib, Cetuximab", drug_interaction_type="Combination",
                     clinical_significance="Sensitivity/Response"),
            row_2021(evidence_id="920003", drugs="Selumetinib", gene="KRAS", variant="G12C"),
            row_2021(evidence_id="920004", evidence_direction="N/A"),
            row_2021(evidence_id="920005"),  # the claim of 920001 from the same paper: merged into it
            row_2021(evidence_id="920006", drugs="Trastuzumab, Pertuzumab", drug_interaction_type="Combination"),
            row_2021(evidence_id="920007", source_type="ASCO", citation_id="777")]
    g, account = import_file(write(tmp_path / "c2021.tsv", HEADER_2021, rows), kb)
    assert account.layout == "2021" and account.balanced()
    assert (account.imported, account.merged, account.skipped_total, len(account.rejected)) == (4, 1, 2, 0)
    assert account.skipped["evidence direction not applicable (N/A)"] == 1
    assert account.skipped["no kinase inhibitor: antibodies only (not TKI findings)"] == 1
    assert set(g.objects(finding("920001"), DCTERMS.identifier)) == {Literal("EID920001"), Literal("EID920005")}
    combo = g.value(finding("920002"), TKG.drug)
    assert (combo, RDF.type, TKG.Combination) in g and (combo, RDF.type, TKG.UnspecifiedCombination) not in g
    cetuximab = next(d for d in g.objects(combo, TKG.hasComponentDrug) if d != TKD.erlotinib)
    assert (None, TKG.drug, cetuximab) not in g  # an antibody only as a component, never a finding's drug
    selumetinib = g.value(finding("920003"), TKG.drug)
    assert selumetinib == TKD.selumetinib  # curated now (solid_next.ttl): the import maps onto it
    assert g.value(finding("920003"), TKG.mechanism) == TKG.OnTargetMutation or (TKD.KRAS, None, None) in kb.graph
    assert g.value(finding("920007"), DCTERMS.source) == TKD.civic_ASCO_777


@pytest.mark.skipif(not CIVIC_2021.is_file(), reason=f"{CIVIC_2021} is absent (../shared/data/civic)")
def test_the_real_2021_release_is_accounted_for(kb):
    g, account = import_file(CIVIC_2021, kb)
    assert account.layout == "2021" and account.rows_read == 3650 and account.balanced()
    assert account.release == "2021-08-01" and account.rejected == []
    assert account.skipped["not predictive evidence"] == 3650 - 2333  # 2,333 predictive items
    assert account.imported > 1300 and account.new_drugs > 10  # fewer since palbociclib, alpelisib... are curated
    imatinib_t315i = [f for f in g.subjects(TKG.drug, TKD.imatinib) if g.value(f, TKG.variant) == TKD["BCR-ABL1_T315I"]]
    assert imatinib_t315i and all(g.value(f, TKG.effect) == TKG.Resistant for f in imatinib_t315i)


@pytest.mark.skipif(not CIVIC_2026_SAMPLE.is_file(), reason=f"{CIVIC_2026_SAMPLE} is absent (../shared/data/civic)")
def test_the_2026_molecular_profile_sample_is_accounted_for(kb):
    _, account = import_file(CIVIC_2026_SAMPLE, kb)
    assert account.layout == "2022" and account.rows_read == 35 and account.balanced() and account.rejected == []
    assert account.skipped["not predictive evidence"] == 13 and account.imported >= 10
    assert account.skipped["flagged in CIViC (under review for a problem)"] == 1  # a diagnostic item


def test_unknown_layout_through_the_cli_names_the_missing_columns(invoke, data_dir, tmp_path):
    header = [c for c in CURRENT_HEADER if c not in ("therapies", "significance")]
    path = write(tmp_path / "odd.tsv", header, ["\t".join("x" for _ in header)])
    result = invoke("import", "civic", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "lacks therapies, significance (closest: the 2022 layout" in result.output
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_json_account_and_sources_listing(invoke, data_dir, tmp_path):
    path = write(tmp_path / "c.tsv", CURRENT_HEADER, CURRENT_ROWS)
    result = invoke("import", "civic", path, "--format", "json")
    assert result.exit_code == 0
    account = json.loads(result.output)  # stdout is the JSON alone: no progress bar off a terminal
    assert account["rows_read"] == account["imported"] + account["merged"] + account["skipped"] + account["rejected"]
    assert account["layout"] == "2022" and account["licence"] == "CC0-1.0"
    listed = invoke("sources").output
    sha256 = json.loads((data_dir / "civic.json").read_text())["sha256"]
    assert "licence CC0-1.0" in listed and f"sha256 {sha256}" in listed


def test_progress_bar_only_on_a_terminal(monkeypatch, capsys):
    import sys

    from tkigraph.cli.importing import _progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with _progress(3, "importing rows") as bar:
        assert bar is None  # the importer is given no progress callback: nothing is printed
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with _progress(3, "importing rows") as bar:
        for _ in range(3):
            bar(1)
    assert "importing rows" in capsys.readouterr().err


def test_a_table_is_read_as_a_stream(tmp_path):
    """Reading a large export keeps one line at a time in memory, not the file (issue 19)."""
    import tracemalloc

    from tkigraph.sources.table import read_table

    path = tmp_path / "big.tsv"
    row = "\t".join(["x" * 60] * 3)
    path.write_text("a\tb\tc\n" + "\n".join(row for _ in range(50_000)) + "\n", encoding="utf-8")  # about 9 MB
    tracemalloc.start()
    try:
        table = read_table(path)
        rows = sum(1 for _, r in table.rows() if isinstance(r, dict))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == len(table.lines) == 50_000 and table.lines.last == 50_001
    assert peak < 1_000_000, f"reading held {peak} bytes"
