"""Tests over the curated knowledge base: the data is the product (issue 3).

Each failure names the file or node and says how to fix it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict

import pytest

from tkigraph.coverage import coverage, kinase_families
from tkigraph.graph import to_networkx
from tkigraph.namespaces import DCTERMS, RDF, RDFS, SKOS, TKG, curie
from tkigraph.storage.canonical import is_canonical
from tkigraph.storage.files import kb_files
from tkigraph.variants import parse_variant

from .constants import CIVIC_EVIDENCE, CIVIC_EVIDENCE_2021, MOALMANAC_CITATIONS

#: registry prefix -> pattern of a valid local identifier
ID_PATTERNS = {
    "CHEBI": r"\d+", "HGNC": r"\d+", "NCBIGene": r"\d+", "DOID": r"\d+", "MONDO": r"\d{7}",
    "NCIT": r"C\d+", "pubmed": r"[1-9]\d{0,8}", "pubchem.compound": r"\d+",
    "chembl.compound": r"CHEMBL\d+", "reactome": r"R-HSA-\d+", "kegg.pathway": r"(hsa|map)\d{5}",
    "doi": r"10\.\d{4,9}/\S+",
}

#: (gene label, codon) -> the region the issue names for it
EXPECTED_REGIONS = {
    ("BCR-ABL1", 315): TKG.Gatekeeper, ("EGFR", 790): TKG.Gatekeeper, ("ALK", 1196): TKG.Gatekeeper,
    ("ROS1", 2026): TKG.Gatekeeper, ("KIT", 670): TKG.Gatekeeper, ("FLT3", 691): TKG.Gatekeeper,
    ("RET", 804): TKG.Gatekeeper, ("ALK", 1202): TKG.SolventFront, ("ROS1", 2032): TKG.SolventFront,
    ("RET", 810): TKG.SolventFront, ("NTRK1", 595): TKG.SolventFront, ("NTRK3", 623): TKG.SolventFront,
    ("EGFR", 797): TKG.CovalentCysteine, ("BTK", 481): TKG.CovalentCysteine,
    ("FLT3", 835): TKG.ActivationLoop, ("KIT", 816): TKG.ActivationLoop, ("PDGFRA", 842): TKG.ActivationLoop,
    ("BCR-ABL1", 253): TKG.PLoop, ("BCR-ABL1", 255): TKG.PLoop, ("BCR-ABL1", 250): TKG.PLoop,
}

REQUIRED_DRUGS = """imatinib nilotinib dasatinib bosutinib ponatinib asciminib olverembatinib gefitinib erlotinib
afatinib dacomitinib osimertinib lazertinib mobocertinib sunvozertinib crizotinib ceritinib alectinib brigatinib
lorlatinib ensartinib entrectinib repotrectinib taletrectinib capmatinib tepotinib savolitinib cabozantinib
selpercatinib pralsetinib vandetanib sunitinib regorafenib ripretinib avapritinib midostaurin gilteritinib
quizartinib ibrutinib acalabrutinib zanubrutinib pirtobrutinib larotrectinib selitrectinib erdafitinib pemigatinib
futibatinib infigratinib lapatinib neratinib tucatinib ruxolitinib fedratinib""".split()

REQUIRED_KINASES = """ABL1 BCR-ABL1 EGFR ERBB2 ALK ROS1 MET RET KIT PDGFRA FLT3 BTK NTRK1 NTRK2 NTRK3 FGFR1 FGFR2 FGFR3
JAK2 EML4-ALK CD74-ROS1 KIF5B-RET ETV6-NTRK3 FIP1L1-PDGFRA""".split()

REQUIRED_VARIANTS = """BCR-ABL1 T315I|BCR-ABL1 E255K|BCR-ABL1 E255V|BCR-ABL1 Y253H|BCR-ABL1 G250E|BCR-ABL1 F359V|
BCR-ABL1 V299L|BCR-ABL1 F317L|BCR-ABL1 M351T|BCR-ABL1 Q252H|EGFR T790M|EGFR C797S|EGFR L858R|EGFR L861Q|EGFR S768I|
PDGFRA D842V|BTK C481S|BTK T474I|BTK L528W|PLCG2 R665W|MET amplification""".replace("\n", "").split("|")


@pytest.fixture(scope="module")
def counts():
    """What `tkigraph coverage` reports, read from the store as the command does."""
    import tkigraph

    return coverage(tkigraph.open().kb)


@pytest.fixture(scope="module")
def g(kb):
    return kb.graph


def by_label(kb, label):
    nodes = [s for s in kb.graph.subjects(RDFS.label, None) if str(kb.graph.value(s, RDFS.label)) == label]
    return nodes[0] if nodes else None


def test_minimums(counts):
    totals = counts["totals"]
    assert totals["kinases (genes and fusions)"] >= 16
    assert totals["drugs"] >= 50, "issue 3 asks for at least 50 kinase inhibitors"
    assert totals["variants and alterations"] >= 180
    assert totals["findings"] >= 700
    assert totals["pathways"] >= 10
    assert totals["diseases"] >= 20


def test_diseases_and_pathways_have_identifiers(kb, g):
    missing = [kb.label(n) for n in kb.instances(TKG.Disease) | kb.instances(TKG.Pathway)
               if (n, SKOS.exactMatch, None) not in g]
    assert len(missing) <= 2, f"add a confirmed DOID/MONDO/NCIt/Reactome/KEGG id to: {missing}"
    identified = [n for n in kb.instances(TKG.Disease) if (n, SKOS.exactMatch, None) in g]
    assert len(identified) >= 20


def test_a_finding_whose_statement_names_one_disease_carries_it(g):
    """A finding without tkigraph:disease whose statement names exactly one disease of the graph (its label or a
    synonym) should carry it: "... neuroblastoma patients with ALK F1174L ..." is a neuroblastoma finding, so that
    `explain` can show it (CURATION.md, Diseases)."""
    names = {str(name).casefold(): d for d in g.subjects(RDF.type, TKG.Disease)
             for p in (RDFS.label, SKOS.altLabel) for name in g.objects(d, p) if len(name) >= 4}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b", re.I)
    #: findings that name a disease without being about it, and why
    not_about = {
        "tkd:F_MET_exon14_skipping_crizotinib_71": "histiocytic sarcoma, a histiocytic neoplasm, not a sarcoma (DOID:1115)",
        "tkd:F_PIK3CA_activating_mutation_capivasertib_6059": "a screen of 182 cell lines; two breast lines were grafted",
    }
    missing = []
    for f in g.subjects(RDF.type, TKG.Finding):
        if (f, TKG.disease, None) not in g and curie(f) not in not_about:
            named = {names[m.casefold()] for m in pattern.findall(str(g.value(f, TKG.statement) or ""))}
            if len(named) == 1:
                missing.append(f"{curie(f)}: {curie(named.pop())}")
    assert not missing, f"add tkigraph:disease to these findings: {sorted(missing)}"


def test_required_drugs_kinases_and_variants(kb):
    labels = {str(o) for o in kb.graph.objects(None, RDFS.label)}
    missing = [d for d in REQUIRED_DRUGS if d not in labels]
    missing += [k for k in REQUIRED_KINASES if k not in labels]
    missing += [v for v in REQUIRED_VARIANTS if v not in labels]
    assert not missing, f"add these to ontology/kb/ (see CURATION.md): {missing}"


def test_issue_15_depth(counts):
    """Issue 15's coverage: >= 90 drugs, >= 450 variants and alterations, >= 2,000 curated findings, >= 8
    guideline documents, every mechanism category with findings in >= 5 kinase families, no unverified source."""
    totals = counts["totals"]
    assert totals["drugs"] >= 90 and totals["variants and alterations"] >= 450 and totals["findings"] >= 2000
    assert totals["guideline documents"] >= 8 and totals["unverified citations"] == 0
    thin = {m: names for m, names in counts["families_by_mechanism"].items() if len(names) < 5}
    assert not thin, f"mechanism categories in fewer than 5 kinase families: {thin}"
    assert len(counts["families_by_mechanism"]) == 10, "every mechanism category has findings"


def test_kinase_families_join_numbered_paralogues_only():
    assert kinase_families({"NTRK1", "NTRK3", "FLT3", "EGFR", "MAP2K1", "MAP2K2", "JAK2", "PIK3CA"}) == {
        "NTRK1": "NTRK", "NTRK3": "NTRK", "MAP2K1": "MAP2K", "MAP2K2": "MAP2K",
        "FLT3": "FLT3", "EGFR": "EGFR", "JAK2": "JAK2", "PIK3CA": "PIK3CA"}


def test_coverage_counts_kinase_families_per_mechanism(counts):
    """A multi-kinase drug counts for each family it inhibits; on-target mutations reach at least ABL1, EGFR and ALK."""
    families = counts["families_by_mechanism"]
    assert {"ABL1", "EGFR", "ALK"} <= set(families["on-target mutation"])
    assert all(len(names) == len(set(names)) for names in families.values())


def test_each_mechanism_category_has_three_instances(counts):
    by_mechanism = counts["findings_by_mechanism"]
    for category in ("target amplification or overexpression", "bypass pathway activation",
                     "downstream pathway alteration", "drug efflux", "drug metabolism", "tumour microenvironment",
                     "epigenetic change", "histologic or lineage transformation"):
        assert by_mechanism.get(category, 0) >= 3, f"add findings with mechanism '{category}' to ontology/kb/mechanisms.ttl"


def test_every_finding_has_source_level_effect_variant_drug(kb, g):
    problems = []
    for f in g.subjects(RDF.type, TKG.Finding):
        for predicate in (DCTERMS.source, TKG.evidenceLevel, TKG.effect, TKG.variant, TKG.drug, TKG.mechanism,
                          TKG.statement):
            if (f, predicate, None) not in g:
                problems.append(f"{curie(f)} lacks {curie(predicate)}")
    assert not problems, problems[:20]


def test_every_point_substitution_parses_to_gene_and_change(kb, g):
    problems = []
    for v in kb.instances(TKG.PointSubstitution):
        change = str(g.value(v, TKG.proteinChange))
        gene = g.value(v, TKG.variantOf)
        label = kb.label(v)
        query = parse_variant(label)
        if query.changes != (change,) or query.gene != kb.label(gene):
            problems.append(f"{curie(v)}: label {label!r} should be '<gene> {change}' with gene {kb.label(gene)}")
        if str(g.value(v, TKG.codon)) != re.sub(r"\D", "", change[1:-1]):
            problems.append(f"{curie(v)}: tkigraph:codon does not match {change}")
        if parse_variant(str(g.value(v, TKG.hgvs))).changes != (change,):
            problems.append(f"{curie(v)}: tkigraph:hgvs {g.value(v, TKG.hgvs)} does not spell {change}")
    assert not problems, problems[:20]


def test_regions_the_issue_names(kb, g):
    problems = []
    for v in kb.instances(TKG.PointSubstitution):
        gene, codon = kb.label(g.value(v, TKG.variantOf)), g.value(v, TKG.codon)
        expected = EXPECTED_REGIONS.get((gene, int(codon)))
        if expected is not None and g.value(v, TKG.region) != expected:
            problems.append(f"{curie(v)}: set tkigraph:region {curie(expected)}")
    assert not problems, problems


def test_identifiers_match_their_registry_patterns(kb, g):
    problems = []
    for s, o in g.subject_objects(SKOS.exactMatch):
        text = curie(o)
        prefix, _, local = text.partition(":")
        pattern = ID_PATTERNS.get(prefix)
        if pattern and not re.fullmatch(pattern, local):
            problems.append(f"{curie(s)}: {text} does not match {prefix}:{pattern}")
    for pub in kb.instances(TKG.Publication):
        text = curie(pub)
        prefix, _, local = text.partition(":")
        if prefix in ID_PATTERNS and not re.fullmatch(ID_PATTERNS[prefix], local):
            problems.append(f"{text} is not a valid {prefix} identifier")
    assert not problems, problems


def test_no_two_entities_share_a_label(g):
    owners = defaultdict(set)
    for s, label in g.subject_objects(RDFS.label):
        if not curie(s).startswith("tkigraph:"):  # schema terms may share a word (tkigraph:Drug, tkigraph:drug)
            owners[str(label).casefold()].add(s)
    shared = {k: sorted(curie(s) for s in v) for k, v in owners.items() if len(v) > 1}
    assert not shared, f"give these distinct rdfs:labels: {shared}"


def test_no_orphan_nodes(kb):
    nxg = to_networkx(kb)
    orphans = sorted(n for n, d in nxg.nodes(data=True) if nxg.degree(n) == 0 and d["type"] not in ("concept",))
    assert not orphans, f"connect or remove these nodes: {orphans}"


def test_every_publication_is_cited(kb, g):
    uncited = sorted(curie(p) for p in kb.instances(TKG.Publication) if (None, DCTERMS.source, p) not in g)
    assert not uncited, f"remove or cite these publications: {uncited}"


def test_turtle_files_are_canonical():
    bad = [p.name for p in kb_files()[1:] if not is_canonical(p)]
    assert not bad, f"run `tkigraph fmt` to rewrite: {bad}"


def test_an_alteration_of_the_drugs_own_target_is_not_downstream(g):
    """A mutation of the kinase the drug inhibits is on target (MEK1 Q56P against the MEK inhibitor selumetinib:
    Emery CR 2009, pubmed:19915144), never "downstream" of it (CURATION.md: one finding, one mechanism)."""
    bad = [curie(f) for f in g.subjects(TKG.mechanism, TKG.DownstreamAlteration)
           if any((drug, TKG.inhibits, gene) in g for drug in g.objects(f, TKG.drug)
                  for v in g.objects(f, TKG.variant) for gene in g.objects(v, TKG.variantOf))]
    assert not bad, f"use tkigraph:OnTargetMutation for: {bad}"


def test_a_primary_mutation_is_not_in_a_class_of_acquired_ones(g):
    """A class of mutations acquired under a drug (KIT exon 13/14 mutation: secondary V654A, T670I) passes its
    resistance findings to its members; a primary driver mutation of the same exon (KIT K642E, imatinib-sensitive:
    Heinrich MC 2003, pubmed:14645423) placed in it would inherit them (CURATION.md)."""
    def words(node):
        return " ".join(str(x) for p in (SKOS.definition, TKG.structuralNote) for x in g.objects(node, p)).lower()

    acquired = re.compile(r"\b(secondary|acquired under)\b")
    bad = [f"{curie(v)} -> {curie(c)}" for v, c in g.subject_objects(TKG.parentVariant)
           if re.search(r"\bprimary\b", words(v)) and acquired.search(re.sub(r"not the secondary[^.;]*", "", words(c)))]
    assert not bad, f"a primary mutation in a class of secondary ones: {bad}"


def test_each_published_frequency_is_quoted_by_its_statement(g):
    """tkigraph:frequency (issue 15 item 2) only with the source that published it: the finding's own statement
    quotes the share ("16%") or the count it comes from ("11 of 57"), so a typed-in number that drifts is caught."""
    found = list(g.subject_objects(TKG.frequency))
    assert len(found) >= 20, "the published frequencies of resistance mechanisms (ontology/kb/frequencies.ttl)"
    bad = []
    for finding, value in found:
        share, statement = float(value), str(g.value(finding, TKG.statement) or "")
        size = g.value(finding, TKG.cohortSize)
        quoted = {f"{round(share * 100)}%", f"{round(share * 100)} %", f"({round(share * 100)}%)"}
        if size is not None:
            quoted.add(f"{round(share * int(size))} of {int(size)}")
            quoted.add(f"{round(share * int(size))} ({round(share * 100)}%)")
        if not 0 <= share <= 1 or not any(q in statement for q in quoted):
            bad.append(f"{curie(finding)}: {share} ({size}) not in {statement[:80]!r}")
    assert not bad, bad


def test_ic50_fold_changes_are_positive(g):
    bad = [curie(f) for f, v in g.subject_objects(TKG.ic50FoldChange) if float(v) <= 0]
    assert not bad


# -- citations against the reference lists under ../shared ---------------------------
def _reference_pmids():
    if not CIVIC_EVIDENCE.is_file():
        pytest.skip(f"{CIVIC_EVIDENCE} is absent: the citation reference lists live in ../shared/data")
    civic: dict[str, set[str]] = defaultdict(set)
    with CIVIC_EVIDENCE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            civic[row["pubmed_id"]].add(row["citation"])
    if CIVIC_EVIDENCE_2021.is_file():  # the 2021 release: PubMed ids in citation_id
        with CIVIC_EVIDENCE_2021.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["source_type"] == "PubMed":
                    civic[row["citation_id"]].add(row["citation"])
    moa: dict[str, str] = {}
    if MOALMANAC_CITATIONS.is_file():
        with MOALMANAC_CITATIONS.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                if row["pmid"]:
                    moa[row["pmid"]] = row["citation"]
    return civic, moa


def _surname(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.strip()).encode("ascii", "ignore").decode()
    return re.split(r"[ ,]", plain)[0].casefold()


def _years(year: str) -> set[str]:
    """A year and its neighbours: an article's online and print years often differ by one."""
    return {str(int(year) + d) for d in (-1, 0, 1)} if year.isdigit() else {year}


def test_pmids_verified_against_civic_are_in_civic_with_the_same_author_and_year(kb, g):
    civic, _ = _reference_pmids()
    problems = []
    for pub in g.subjects(TKG.verification, TKG.VerifiedCIViC):
        pmid = curie(pub).removeprefix("pubmed:")
        citations = civic.get(pmid)
        if not citations:
            problems.append(f"{curie(pub)} is marked tkigraph:VerifiedCIViC but is not in the CIViC export")
            continue
        author, year = str(g.value(pub, TKG.firstAuthor) or ""), str(g.value(pub, DCTERMS.date) or "")
        if not any(_surname(c) == _surname(author) and any(y in c for y in _years(year)) for c in citations):
            problems.append(f"{curie(pub)}: CIViC says {sorted(citations)}, we say {author} {year}")
    assert not problems, problems


def test_pmids_verified_against_moalmanac_are_in_moalmanac(kb, g):
    _, moa = _reference_pmids()
    problems = [curie(p) for p in g.subjects(TKG.verification, TKG.VerifiedMOAlmanac)
                if curie(p).startswith("pubmed:") and curie(p).removeprefix("pubmed:") not in moa]
    assert not problems, f"marked tkigraph:VerifiedMOAlmanac but not in the MOAlmanac list: {problems}"


def test_pmids_in_neither_list_are_checked_or_flagged(kb, g):
    civic, moa = _reference_pmids()
    problems = []
    for pub in kb.instances(TKG.Publication):
        text = curie(pub)
        if not text.startswith("pubmed:"):
            continue
        pmid = text.removeprefix("pubmed:")
        how = g.value(pub, TKG.verification)
        if pmid not in civic and pmid not in moa and how not in (TKG.VerifiedSearch, TKG.Unverified):
            problems.append(f"{text}: in neither list, so mark it tkigraph:VerifiedSearch (if checked) or tkigraph:Unverified")
    assert not problems, problems


def test_publications_record_author_year_title(kb, g):
    problems = []
    for pub in kb.instances(TKG.Publication):
        if curie(pub).startswith(("pubmed:", "doi:")):
            for predicate in (TKG.firstAuthor, DCTERMS.date, DCTERMS.title):
                if (pub, predicate, None) not in g:
                    problems.append(f"{curie(pub)} lacks {curie(predicate)}")
    assert not problems, problems


def test_no_unverified_source(kb, g):
    """Every source is confirmed (issue 15): its id, first author, year and journal seen together in a
    stored page or a reference file under ../shared/data, named in its tkigraph:sourceNote."""
    unverified = sorted(curie(p) for p in kb.instances(TKG.Publication) if kb.is_unverified(p))
    assert not unverified, ("confirm these (then set tkigraph:verification and name the page in tkigraph:sourceNote), "
                            f"replace them with a confirmable source, or drop their findings: {unverified}")


def test_drugs_have_identifiers_targets_and_names(kb, g):
    problems = []
    for drug in kb.instances(TKG.Drug) - kb.instances(TKG.Combination):
        label = kb.label(drug)
        if label not in REQUIRED_DRUGS:
            continue
        if not list(g.objects(drug, TKG.inhibits)):
            problems.append(f"{label}: add tkigraph:inhibits")
        if (drug, TKG.bindingMode, None) not in g:
            problems.append(f"{label}: add tkigraph:bindingMode")
        if not list(g.objects(drug, SKOS.altLabel)):
            problems.append(f"{label}: add skos:altLabel brand or code names")
    assert not problems, problems


@pytest.mark.parametrize(("drug", "variant", "expected"), [
    ("imatinib", "BCR-ABL1 T315I", "resistant"),
    ("ponatinib", "BCR-ABL1 T315I", "sensitive"),
    ("asciminib", "BCR-ABL1 T315I", "sensitive"),
    ("gefitinib", "EGFR T790M", "resistant"),
    ("osimertinib", "EGFR T790M", "sensitive"),
    ("osimertinib", "EGFR L858R", "sensitive"),
    ("osimertinib", "EGFR C797S", "resistant"),
    ("crizotinib", "ALK G1202R", "resistant"),
    ("lorlatinib", "ALK G1202R", "sensitive"),
    ("imatinib", "PDGFRA D842V", "resistant"),
    ("avapritinib", "PDGFRA D842V", "sensitive"),
    ("ibrutinib", "BTK C481S", "resistant"),
    ("pirtobrutinib", "BTK C481S", "sensitive"),
    ("gefitinib", "MET amplification", "resistant"),
])
def test_spot_checks_against_the_literature(kb, drug, variant, expected):
    import tkigraph

    assert tkigraph.explain(kb, drug, variant).verdict == expected


def test_identifiers_are_valid_in_bioregistry(kb, g):
    """Every external identifier has a prefix bioregistry knows and a local id matching its pattern (offline)."""
    bioregistry = pytest.importorskip("bioregistry")
    problems, checked = [], 0
    terms = set(g.objects(None, SKOS.exactMatch)) | kb.instances(TKG.Publication)
    for term in terms:
        text = curie(term)
        prefix, sep, local = text.partition(":")
        if not sep or prefix in ("tkd", "tkigraph", "http", "https", "urn"):
            continue
        checked += 1
        normal = bioregistry.normalize_prefix(prefix)
        if normal is None:
            problems.append(f"{text}: prefix {prefix!r} unknown to bioregistry")
        elif bioregistry.is_valid_identifier(normal, local) is False:
            problems.append(f"{text}: does not match {normal}'s pattern {bioregistry.get_pattern(normal)}")
    assert not problems, problems
    assert checked > 400  # drugs, genes, diseases, pathways and publications were all looked at


def test_our_prefixes_do_not_collide_with_registered_ones():
    """The project's own CURIE prefixes name no registered resource, and every registry prefix
    we use expands to the IRI bioregistry gives it: a CURIE means one thing wherever it is read
    (bioregistry's `tkg` is the Tohoku University cell line catalog, so the schema is `tkigraph:`)."""
    bioregistry = pytest.importorskip("bioregistry")
    from tkigraph.namespaces import PREFIXES

    ours = {prefix for prefix, iri in PREFIXES.items() if iri.startswith("https://w3id.org/tkigraph/")}
    assert ours == {"tkigraph", "tkd"}
    for prefix in ours:
        assert bioregistry.normalize_prefix(prefix) is None, f"{prefix}: registered to {bioregistry.get_name(prefix)}"


def test_a_label_with_a_set_id_links_its_dailymed_page(kb, g):
    """A label's link is its DailyMed page when the graph records its set id, whatever other links it has,
    so every reader of the graph (local or remote) cites the same address."""
    labelled = sorted(g.subjects(TKG.setId, None), key=str)
    assert labelled, "no label records a DailyMed set id"
    for label in labelled:
        url = kb.reference(label).url
        assert url == f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={g.value(label, TKG.setId)}", label


@pytest.mark.parametrize("value,valid", [('"2025-03-27"^^xsd:date', True), ('"2025-06"^^xsd:gYearMonth', True),
                                         ('"June 2025"', False), ('"2025"^^xsd:gYear', False)])
def test_a_label_revision_is_a_date_or_a_month(tmp_path, value, valid):
    """A label's revision date is recorded as seen: the day (DailyMed 'updated March 27, 2025') or only the month
    (a label's own 'Revised: 6/2025'); free text or a bare year is refused."""
    from tkigraph.validate import validate

    path = tmp_path / "label.ttl"
    path.write_text("@prefix tkigraph: <https://w3id.org/tkigraph/ontology#> .\n"
                    "@prefix tkd: <https://w3id.org/tkigraph/kb/> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                    'tkd:label_x a tkigraph:DrugLabel ; rdfs:label "X label" ; tkigraph:verification tkigraph:VerifiedLabel ;\n'
                    f'    tkigraph:revisionDate {value} .\n', encoding="utf-8")
    found = [v for v in validate([path]) if "revisionDate" in str(v)]
    assert (not found) is valid, found
