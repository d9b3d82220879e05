"""The variant-name parser: every input form of `tkigraph explain` (issue 4)."""

import pytest

from tkigraph.variants import parse_variant, three_to_one


@pytest.mark.parametrize(("text", "gene", "changes", "kind"), [
    ("T315I", None, ("T315I",), "point"),
    ("p.T315I", None, ("T315I",), "point"),
    ("p.Thr315Ile", None, ("T315I",), "point"),
    ("ABL1 T315I", "ABL1", ("T315I",), "point"),
    ("BCR-ABL1 T315I", "BCR-ABL1", ("T315I",), "point"),
    ("BCR::ABL1 T315I", "BCR-ABL1", ("T315I",), "point"),
    ("EGFR-T790M", "EGFR", ("T790M",), "point"),
    ("egfr t790m", "egfr", ("T790M",), "point"),
    ("D835", None, ("D835",), "codon"),
    ("G719X", None, ("G719X",), "class"),
    ("E746_A750del", None, ("E746_A750del",), "indel"),
    ("p.Glu746_Ala750del", None, ("E746_A750del",), "indel"),
    ("A763_Y764insFQEA", None, ("A763_Y764insFQEA",), "indel"),
    ("V560del", None, ("V560del",), "indel"),
    ("L747_P753delinsS", None, ("L747_P753delinsS",), "indel"),
    ("A502_Y503dup", None, ("A502_Y503dup",), "indel"),
    ("T790M+C797S", None, ("T790M", "C797S"), "compound"),
    ("T790M/C797S", None, ("T790M", "C797S"), "compound"),
    ("EGFR T790M + C797S", "EGFR", ("T790M", "C797S"), "compound"),
])
def test_changes(text, gene, changes, kind):
    query = parse_variant(text)
    assert (query.gene, query.changes, query.kind) == (gene, changes, kind)


@pytest.mark.parametrize(("text", "phase"), [
    ("T790M/C797S in cis", "cis"), ("T790M+C797S in trans", "trans"),
    ("T790M + C797S (cis)", "cis"), ("T790M+C797S", None),
])
def test_phase(text, phase):
    assert parse_variant(text).phase == phase


@pytest.mark.parametrize(("text", "gene", "category"), [
    ("exon 19 deletion", None, "exon19del"),
    ("EGFR exon 19 deletion", "EGFR", "exon19del"),
    ("exon 20 insertion", None, "exon20ins"),
    ("MET exon 14 skipping", "MET", "exon14_skipping"),
    ("ITD", None, "ITD"),
    ("FLT3-ITD", "FLT3", "ITD"),
    ("amplification", None, "amplification"),
    ("MET amplification", "MET", "amplification"),
    ("overexpression", None, "overexpression"),
    ("fusion", None, "fusion"),
])
def test_categories(text, gene, category):
    query = parse_variant(text)
    assert (query.kind, query.gene, query.category) == ("category", gene, category)


@pytest.mark.parametrize("text", ["EML4-ALK", "ABCB1", "small-cell transformation", "", "???"])
def test_names_are_left_to_the_resolver(text):
    assert parse_variant(text).kind == "name"


def test_gene_option_is_used_for_a_bare_change():
    assert parse_variant("T315I", gene="BCR::ABL1").gene == "BCR-ABL1"


def test_three_to_one():
    assert three_to_one("Thr315Ile") == "T315I"
    assert three_to_one("Gly719Ser") == "G719S"


@pytest.mark.parametrize(("text", "gene", "changes", "categories"), [
    ("Ex19del+T790M", None, ("T790M",), ("exon19del",)),
    ("EGFR exon 19 deletion + T790M", "EGFR", ("T790M",), ("exon19del",)),
])
def test_a_category_can_be_part_of_a_compound(text, gene, changes, categories):
    """Mok TS 2016, N Engl J Med (pubmed:27959700, AURA3): T790M acquired on an exon 19 deletion (issue 14)."""
    query = parse_variant(text)
    assert (query.gene, query.changes, query.categories, query.kind) == (gene, changes, categories, "compound")


@pytest.mark.parametrize("text", ["EGFR L858R mutation", "EGFR L858R mut", "EGFR L858R mutant", "L858R-positive"])
def test_mutation_suffixes_are_ignored(text):
    """Clinicians write 'L858R mutation' (issue 14)."""
    assert parse_variant(text).changes == ("L858R",)


@pytest.mark.parametrize(("text", "gene", "changes", "categories"), [
    ("L858R T790M", None, ("L858R", "T790M"), ()),
    ("EGFR del19 T790M", "EGFR", ("T790M",), ("exon19del",)),
    ("EGFR L858R T790M C797S", "EGFR", ("L858R", "T790M", "C797S"), ()),
])
def test_a_compound_may_be_written_with_spaces(text, gene, changes, categories):
    """Mok TS 2016, N Engl J Med (pubmed:27959700, AURA3): 'L858R T790M' is how reports write T790M acquired on
    L858R; spaces join changes (or an exon class and a change), never words that are no change."""
    query = parse_variant(text)
    assert (query.gene, query.changes, query.categories, query.kind) == (gene, changes, categories, "compound")


@pytest.mark.parametrize("text", ["T315I mutation", "exon 19 deletion", "MET amplification", "T790M positive"])
def test_words_beside_a_change_do_not_make_a_compound(text):
    """No literature (a parser rule): a change with its words, or a class named in words, stays one variant."""
    assert parse_variant(text).kind != "compound"


@pytest.mark.parametrize("text", ["exon 21 L858R", "EGFR exon 21 L858R", "ex21 L858R"])
def test_an_exon_before_a_change_is_dropped(text):
    """Tagrisso (osimertinib) US label: 'EGFR exon 19 deletions or exon 21 L858R mutations' (issue 14)."""
    assert parse_variant(text).changes == ("L858R",)
