"""Names, synonyms and CURIEs resolve; unknown and ambiguous names say what to do."""

import pytest

from tkigraph.errors import AmbiguousNameError, UnknownNameError
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


def test_compound_without_phase_falls_back_to_components(mini_resolver):
    match = mini_resolver.variant("T10I+C20S")
    assert match.node is None and match.matched_at == "component"
    assert [curie(c) for c in match.components] == ["tkd:PARTY-KINX_T10I", "tkd:PARTY-KINX_C20S"]


def test_ambiguous_change_lists_candidates(mini_resolver):
    with pytest.raises(AmbiguousNameError) as err:
        mini_resolver.variant("E40K")
    assert set(err.value.candidates) == {"OTHERK E40K", "PARTY-KINX E40K"}


def test_gene_option_disambiguates(mini_resolver):
    assert curie(mini_resolver.variant("E40K", gene="OTHERK").node) == "tkd:OTHERK_E40K"


def test_unknown_variant(mini_resolver):
    with pytest.raises(UnknownNameError):
        mini_resolver.variant("Q999Z")
