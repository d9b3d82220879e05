"""Names, synonyms and CURIEs resolve; unknown and ambiguous names say what to do."""

import pytest

from tkigraph.errors import AmbiguousNameError, UnknownNameError
from tkigraph.model import Phase
from tkigraph.namespaces import curie
from tkigraph.resolve import Resolver

from .constants import ALPHATINIB


@pytest.fixture()
def mini_resolver(mini_any):
    """Names resolve alike on each kind of graph (rdflib, Oxigraph store, snapshot)."""
    return Resolver(mini_any)


@pytest.mark.parametrize("name", ["alphatinib", "ALPHATINIB", "Alphavex", "at-001", "tkd:alphatinib"])
def test_drug_by_label_synonym_code_and_curie(mini_resolver, name):
    assert curie(mini_resolver.drug(name)) == f"tkd:{ALPHATINIB}"


def test_unknown_name_suggests_close_matches(mini_resolver):
    with pytest.raises(UnknownNameError) as err:
        mini_resolver.drug("alphatinb")
    assert "alphatinib" in err.value.suggestions
    assert err.value.exit_code == 2


def test_kind_filters_candidates(mini_resolver):
    with pytest.raises(UnknownNameError):
        mini_resolver.drug("KINX")


@pytest.mark.parametrize(("text", "expected"), [
    ("T10I", "tkd:PARTY-KINX_T10I"),
    ("p.Thr10Ile", "tkd:PARTY-KINX_T10I"),
    ("PARTY-KINX T10I", "tkd:PARTY-KINX_T10I"),
    ("PARTY::KINX T10I", "tkd:PARTY-KINX_T10I"),
    ("KINX T10I", "tkd:PARTY-KINX_T10I"),          # the 3' kinase names its fusion's variants
    ("KINX-T10I", "tkd:PARTY-KINX_T10I"),
    ("D30Y", "tkd:PARTY-KINX_D30Y"),
    ("D30", "tkd:PARTY-KINX_D30X"),
    ("PARTY-KINX", "tkd:PARTY-KINX"),
    ("KINX amplification", "tkd:KINX_amplification"),
    ("T10I+C20S in cis", "tkd:PARTY-KINX_T10I_C20S_cis"),
    ("T10I/C20S in trans", "tkd:PARTY-KINX_T10I_C20S_trans"),
])
def test_variant_forms(mini_resolver, text, expected):
    assert curie(mini_resolver.variant(text).node) == expected


def test_compound_without_phase_takes_the_cis_node(mini_resolver):
    """No phase given, cis and trans both curated: the cis node answers (and explain says so)."""
    match = mini_resolver.variant("T10I+C20S")
    assert curie(match.node) == "tkd:PARTY-KINX_T10I_C20S_cis" and match.query.phase is None
    assert [curie(c) for c in match.components] == ["tkd:PARTY-KINX_T10I", "tkd:PARTY-KINX_C20S"]


def test_compound_phase_is_the_asked_one_or_the_curated_one(mini_resolver):
    assert mini_resolver.variant("T10I+C20S").phase is Phase.CIS
    assert mini_resolver.variant("T10I+C20S in trans").phase is Phase.TRANS
    assert curie(mini_resolver.variant("T10I+C20S in trans").node) == "tkd:PARTY-KINX_T10I_C20S_trans"


def test_compound_without_a_curated_node_falls_back_to_components(mini_resolver):
    match = mini_resolver.variant("T10I+D30Y")
    assert match.node is None and match.matched_at == "component"


def test_ambiguous_change_lists_candidates(mini_resolver):
    with pytest.raises(AmbiguousNameError) as err:
        mini_resolver.variant("E40K")
    assert set(err.value.candidates) == {"OTHERK E40K", "PARTY-KINX E40K"}


def test_gene_option_disambiguates(mini_resolver):
    assert curie(mini_resolver.variant("E40K", gene="OTHERK").node) == "tkd:OTHERK_E40K"


def test_unknown_variant(mini_resolver):
    with pytest.raises(UnknownNameError):
        mini_resolver.variant("Q999Z")


@pytest.mark.parametrize(("name", "key"), [("AZD-9291", "azd9291"),
                                          ("small cell transformation", "smallcelltransformation")])
def test_loose_keys(name, key):
    """AZD9291 is osimertinib's code name (Cross DA 2014, pubmed:24893891); Oxnard GR 2018 (pubmed:30073261)."""
    from tkigraph.resolve import loose

    assert loose(name) == key


@pytest.mark.parametrize("name", ["alphatinib mesylate", "Alphatinib hydrochloride", "AT001", "AT 001"])
def test_salt_forms_and_code_names_without_hyphen(mini_resolver, name):
    """Synthetic names; the clinical case is 'imatinib mesylate' (Gleevec label, tkd:label_imatinib_FDA)."""
    assert curie(mini_resolver.drug(name)) == f"tkd:{ALPHATINIB}"


def test_protein_alias_of_a_gene(resolver):
    """P-glycoprotein is ABCB1 (Mahon FX 2003, doi:10.1182/blood.v101.6.2368); BCRP is ABCG2."""
    assert curie(resolver.gene("P-gp")) == "tkd:ABCB1"
    assert curie(resolver.gene("BCRP")) == "tkd:ABCG2"


def test_gene_family(resolver):
    """Drilon A 2018, N Engl J Med (pubmed:29466156): larotrectinib in TRK fusion-positive cancers."""
    assert {curie(g) for g in resolver.genes("NTRK")} == {"tkd:NTRK1", "tkd:NTRK2", "tkd:NTRK3"}


def test_absent_variant_of_a_known_gene(mini_resolver):
    """Synthetic KINX T99I: a well-formed change of a known gene that the graph lacks (as ALK R1192P)."""
    match = mini_resolver.variant("KINX T99I")
    assert match.absent and match.node is None and curie(match.gene) == "tkd:KINX"
    with pytest.raises(UnknownNameError):
        mini_resolver.variant("NOSUCHGENE T99I")


def test_codon_query_gathers_members(mini_resolver):
    """Synthetic D30: the codon class and its substitutions (as BTK C481, Woyach JA 2014, pubmed:24869598)."""
    match = mini_resolver.variant("D30")
    assert curie(match.node) == "tkd:PARTY-KINX_D30X" and match.matched_at == "codon"
    assert [curie(m) for m in match.members] == ["tkd:PARTY-KINX_D30Y"]


def test_an_unknown_class_of_a_known_gene_offers_that_genes_variants_first(resolver):
    """'HER2 exon 19 deletion' (ERBB2 has no such class): ERBB2's exon 19 deletion comes first, before EGFR's exon
    19 deletion class, which a reader could take for an answer about HER2."""
    with pytest.raises(UnknownNameError) as err:
        resolver.variant("HER2 exon 19 deletion")
    suggestions = err.value.suggestions
    assert suggestions and all(s.startswith("ERBB2 ") for s in suggestions[:2]), suggestions
    assert suggestions[0] == "ERBB2 L755_T759del"
    assert "EGFR exon 19 deletion" not in suggestions[:2]


def test_her2_exon_20_insertion_is_a_class_of_erbb2(resolver):
    """ERBB2 exon 20 insertions (A775_G776insYVMA ...) are activating HER2 mutations: the class resolves, and its
    members' findings and its parent's reach it."""
    match = resolver.variant("HER2 exon 20 insertion")
    assert resolver.kb.label(match.node) == "ERBB2 exon 20 insertion"
