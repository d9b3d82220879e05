"""Reconciling sources (issue 16): both shipped files imported on a clean data directory, one claim
with several supports, conflicts between sources in ``explain``, one node per disease and drug target.

The CIViC 2021 export and the MOAlmanac release are read from ../shared/data (never bundled:
MOAlmanac is GPL-2.0); the tests that need them are skipped, saying so, when they are absent.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tkigraph.explainer.verdict import sides
from tkigraph.model import Effect, Entity, Evidence, Level, record_of
from tkigraph.sources.entities import disease_key
from tkigraph.sources.moalmanac import strategy_targets

from .constants import CIVIC_EVIDENCE_2021, SHARED

MOALMANAC = SHARED / "data" / "moalmanac" / "molecular-oncology-almanac.json"
needs_both = pytest.mark.skipif(
    not (CIVIC_EVIDENCE_2021.is_file() and MOALMANAC.is_file()),
    reason=f"{CIVIC_EVIDENCE_2021} or {MOALMANAC} is absent: the shipped exports live in ../shared/data")

TKG = "https://w3id.org/tkigraph/ontology#"
TKD = "https://w3id.org/tkigraph/kb/"
PREFIXES = (f"PREFIX tkigraph: <{TKG}> PREFIX dcterms: <http://purl.org/dc/terms/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")
#: a claim all three sources make: osimertinib remains active against EGFR T790M (in NSCLC)
OSIMERTINIB, T790M = TKD + "osimertinib", TKD + "EGFR_T790M"
#: CIViC (resistant, in vitro) and MOAlmanac (sensitive, FDA label) disagree on regorafenib against KIT T670I
REGORAFENIB, KIT_T670I = "regorafenib", "KIT T670I"
CIVIC_EID_T670I, MOA_ASSERTION_T670I = "EID4510", "moalmanac:339"


# -- the conflict sides, on typed evidence (no shared data needed) ----------------
def _evidence(finding: str, effect: Effect, level: Level, origin: str, negated: bool = False,
              claim: str | None = None) -> Evidence:
    drug, variant = Entity("tkd:d", "drug", "drug"), Entity("tkd:v", "v", "variant")
    return Evidence(finding, variant, drug, effect, level, level.rank, None, None, (), (), "", negated=negated,
                    origin=origin, claim=claim)


def test_one_position_is_no_conflict():
    same = [_evidence("tkd:f1", Effect.RESISTANT, Level.CLINICAL, "curated", claim="tkd:c"),
            _evidence("tkd:f2", Effect.RESISTANT, Level.IN_VITRO, "civic", claim="tkd:c")]
    assert sides(same) == []


def test_each_side_has_its_sources_and_its_strongest_evidence():
    pool = [_evidence("tkd:f1", Effect.RESISTANT, Level.IN_VITRO, "civic", claim="tkd:c1"),
            _evidence("tkd:f2", Effect.RESISTANT, Level.CLINICAL, "curated", claim="tkd:c1"),
            _evidence("tkd:f3", Effect.SENSITIVE, Level.GUIDELINE_OR_LABEL, "moalmanac", claim="tkd:c2"),
            _evidence("tkd:f4", Effect.SENSITIVE, Level.CLINICAL, "civic", negated=True, claim="tkd:c3")]
    found = sides(pool)
    assert [(s.words, s.origins) for s in found] == [
        ("sensitive", ("moalmanac",)), ("resistant", ("civic", "curated")), ("does not support sensitive", ("civic",))]
    resistant = found[1]
    assert resistant.strongest.finding == "tkd:f2" and resistant.findings == 2 and resistant.claims == 1


def test_record_identifiers_link_to_the_source_pages():
    assert record_of("EID1234").url == "https://civicdb.org/links/evidence_items/1234"
    assert record_of("moalmanac:339").url == "https://moalmanac.org/assertion/339"
    assert record_of("EID12a") is None and record_of("pubmed:1") is None


def test_a_strategy_names_targets_only_when_it_names_genes():
    assert strategy_targets("EGFR inhibition") == ["EGFR"]
    assert strategy_targets("B-RAF inhibition + MEK inhibition") == ["BRAF", "MAP2K1", "MAP2K2"]
    assert strategy_targets("PI3K/AKT/mTOR inhibition") == []
    assert strategy_targets("Radiation") == []


def test_the_claim_rule_gives_rdflib_and_oxigraph_the_same_claims():
    from tkigraph.storage.files import load_graph
    from tkigraph.storage.oxigraph import kb_store

    on_rdflib = load_graph()
    claims_rdflib = {(str(f), str(c)) for f, c in on_rdflib.subject_objects(predicate=_iri(TKG + "supports"))}
    store = kb_store()[0]
    claims_ox = {(r["f"].value, r["c"].value) for r in store.query(PREFIXES + "SELECT ?f ?c { ?f tkigraph:supports ?c }")}
    assert claims_rdflib == claims_ox and len(claims_ox) > 800


def _iri(text: str):
    from rdflib import URIRef

    return URIRef(text)


# -- both shipped files on a clean data directory --------------------------------
@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Import CIViC 2021 and MOAlmanac into an empty data directory: (first outputs, second outputs, folder)."""
    if not (CIVIC_EVIDENCE_2021.is_file() and MOALMANAC.is_file()):
        pytest.skip(f"{CIVIC_EVIDENCE_2021} or {MOALMANAC} is absent: the shipped exports live in ../shared/data")
    from click.testing import CliRunner

    from tkigraph.cli import cli

    data = tmp_path_factory.mktemp("reconcile-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TKIGRAPH_DATA_DIR", str(data))
        runner = CliRunner()

        def run(*args: str):
            return runner.invoke(cli, list(args), catch_exceptions=False)

        files = {"civic": CIVIC_EVIDENCE_2021, "moalmanac": MOALMANAC}
        first = {name: run("import", name, str(path), "--format", "json") for name, path in files.items()}
        snapshot = {p.name: p.read_bytes() for p in (data / "sources").iterdir()}
        second = {name: run("import", name, str(path), "--format", "json") for name, path in files.items()}
        after = {p.name: p.read_bytes() for p in (data / "sources").iterdir()}
        yield {"first": first, "second": second, "snapshot": snapshot, "after": after, "run": run}


@pytest.fixture(scope="module")
def store(imported):
    from tkigraph.storage.files import installed_sources
    from tkigraph.storage.oxigraph import kb_store

    return kb_store(sources=tuple(installed_sources()))[0]


def _select(store, text: str) -> list:
    return list(store.query(PREFIXES + text))


@needs_both
def test_both_imports_account_for_every_row(imported):
    for name, result in imported["first"].items():
        assert result.exit_code == 0 and "Traceback" not in result.output, name
        account = json.loads(result.output)
        assert account["rows_read"] == (account["imported"] + account["merged"] + account["skipped"]
                                        + account["rejected"]), name
        assert sum(account["skipped_by_reason"].values()) == account["skipped"], name
        assert account["findings"] >= account["imported"] > 0, name


@needs_both
def test_a_second_import_changes_nothing(imported):
    for name, result in imported["second"].items():
        assert result.exit_code == 0 and json.loads(result.output)["changed"] is False, name
    assert imported["after"] == imported["snapshot"]


@needs_both
def test_a_claim_of_three_sources_is_one_claim_with_a_support_from_each(store):
    rows = _select(store, f"""SELECT ?c (GROUP_CONCAT(DISTINCT ?origin) AS ?origins) (COUNT(?f) AS ?n) WHERE {{
        ?f tkigraph:variant <{T790M}> ; tkigraph:drug <{OSIMERTINIB}> ; tkigraph:effect tkigraph:Sensitive ; tkigraph:supports ?c .
        FILTER NOT EXISTS {{ ?f tkigraph:negated true }}
        OPTIONAL {{ ?f dcterms:publisher ?p }} BIND(COALESCE(?p, "curated") AS ?origin) }} GROUP BY ?c""")
    origins = [set(r["origins"].value.split()) for r in rows]
    assert {"curated", "civic", "moalmanac"} in origins
    shared = next(r for r, o in zip(rows, origins, strict=True) if o == {"curated", "civic", "moalmanac"})
    assert int(shared["n"].value) >= 3  # several supports, one claim


@needs_both
def test_claims_count_each_claim_once(store, imported):
    findings = _select(store, """SELECT ?f ?v ?d ?dis ?e ?neg ?c WHERE { ?f a tkigraph:Finding ; tkigraph:variant ?v ;
        tkigraph:drug ?d ; tkigraph:effect ?e ; tkigraph:supports ?c OPTIONAL { ?f tkigraph:disease ?dis }
        BIND(EXISTS { ?f tkigraph:negated true } AS ?neg) }""")
    by_claim: dict[str, set] = {}
    for r in findings:
        key = tuple(r[k].value if r[k] is not None else None for k in ("v", "d", "dis", "e", "neg"))
        by_claim.setdefault(r["c"].value, set()).add(key)
    assert all(len(keys) == 1 for keys in by_claim.values())  # one claim says one thing
    assert len({next(iter(k)) for k in by_claim.values()}) == len(by_claim)  # one thing is one claim
    total = int(_select(store, "SELECT (COUNT(*) AS ?n) { ?f a tkigraph:Finding }")[0]["n"].value)
    assert len(findings) == total  # every finding supports a claim
    coverage = json.loads(imported["run"]("coverage", "--format", "json").output)
    assert coverage["totals"]["claims (the same claim from several sources counted once)"] == len(by_claim) < total


@needs_both
def test_explain_shows_a_conflict_between_sources_with_each_side(imported):
    run = imported["run"]
    data = json.loads(run("explain", REGORAFENIB, KIT_T670I, "--format", "json").output)
    by_position = {s["position"]: s for s in data["sides"]}
    assert {"sensitive", "resistant"} <= set(by_position)
    sensitive, resistant = by_position["sensitive"], by_position["resistant"]
    assert "moalmanac" in sensitive["sources"] and "civic" in resistant["sources"]
    assert sensitive["strongest"]["level"] == "guideline or label"  # the FDA label is that side's strongest
    assert data["verdict"] == "sensitive" and data["conflicting"]  # the hierarchy still decides
    links = {r["url"] for s in data["sides"] for r in s["strongest"]["records"]}
    assert "https://moalmanac.org/assertion/339" in links
    text = run("explain", REGORAFENIB, KIT_T670I).output
    assert "Conflict" in text and "https://civicdb.org/links/evidence_items/4510" in text
    assert "https://moalmanac.org/assertion/339" in text
    markdown = run("explain", REGORAFENIB, KIT_T670I, "--format", "markdown").output
    assert "[CIViC EID4510](https://civicdb.org/links/evidence_items/4510)" in markdown
    assert "[MOAlmanac assertion 339](https://moalmanac.org/assertion/339)" in markdown


@needs_both
def test_a_disease_named_by_both_sources_is_one_node(store):
    rows = _select(store, """SELECT ?d ?label WHERE { ?d a tkigraph:Disease ; rdfs:label ?label }""")
    keys = Counter(disease_key(r["label"].value) for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []
    shared = _select(store, """SELECT ?d (GROUP_CONCAT(DISTINCT ?p) AS ?publishers) WHERE {
        ?d a tkigraph:Disease ; rdfs:label "acute lymphoblastic leukemia" ; skos:exactMatch ?doid .
        ?f tkigraph:disease ?d ; dcterms:publisher ?p } GROUP BY ?d""")
    assert len(shared) == 1 and set(shared[0]["publishers"].value.split()) == {"civic", "moalmanac"}


@needs_both
def test_imported_drugs_inhibit_what_their_rows_name(store):
    def targets(drug: str) -> set[str]:
        rows = _select(store, f"SELECT ?t {{ <{TKD}imported_drug_{drug}> tkigraph:inhibits ?t }}")
        return {r["t"].value.removeprefix(TKD) for r in rows}

    assert targets("icotinib") == {"EGFR"}  # MOAlmanac: "EGFR inhibition"
    assert targets("danusertib") == {"AURKA", "AURKB"}  # "Aurora kinase inhibition": genes the curated graph lacks
    assert targets("omipalisib") == set()  # "B-RAF inhibition + PI3K/AKT/mTOR inhibition" names no one gene
