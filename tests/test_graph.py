"""The networkx projection: CURIE nodes with label and type, subject->object edges with predicates."""

from tkigraph.graph import neighbourhood, shortest_path, to_networkx


def test_nodes_are_curies_with_label_and_type(mini):
    g = to_networkx(mini)
    assert g.nodes["tkd:alphatinib"]["label"] == "alphatinib"
    assert g.nodes["tkd:alphatinib"]["type"] == "drug"
    assert g.nodes["tkd:alphatinib"]["synonyms"] == ["AT-001", "Alphavex"]
    assert g.nodes["tkd:PARTY-KINX"]["type"] == "fusion"
    assert g.nodes["tkd:F1"]["type"] == "finding"
    assert g.nodes["tkd:diseaseA"]["xrefs"] == ["http://example.org/disease/a"]


def test_edges_run_subject_to_object(mini):
    g = to_networkx(mini)
    assert g.has_edge("tkd:PARTY-KINX_T10I", "tkd:PARTY-KINX", key="tkigraph:variantOf")
    assert not g.has_edge("tkd:PARTY-KINX", "tkd:PARTY-KINX_T10I")
    assert g.has_edge("tkd:F1", "tkd:alphatinib", key="tkigraph:drug")


def test_derived_edges_carry_evidence(mini):
    g = to_networkx(mini)
    data = g.edges["tkd:PARTY-KINX_T10I", "tkd:alphatinib", "tkigraph:confersResistanceTo"]
    assert data["findings"] == ["tkd:F1"] and data["sources"] == ["tkd:src1"]
    assert data["level"] == "tkigraph:InVitro"
    assert not g.has_edge("tkd:KINX_amplification", "tkd:alphatinib", key="tkigraph:confersResistanceTo")


def test_schema_is_not_projected(mini):
    g = to_networkx(mini)
    assert "tkigraph:Drug" not in g and "tkigraph:inhibits" not in g


def test_neighbourhood_and_path(mini):
    g = to_networkx(mini)
    sub = neighbourhood(g, "tkd:alphatinib", depth=1)
    assert "tkd:PARTY-KINX" in sub and "tkd:F1" in sub and "tkd:src1" not in sub
    path = shortest_path(g, "tkd:epsilontinib", "tkd:OTHERK")
    assert path == ["tkd:epsilontinib", "tkd:OTHERK"]
    assert shortest_path(g, "tkd:epsilontinib", "tkd:nothing") == []


def test_the_derive_rule_and_the_projection_name_the_same_predicates():
    """The derive rule has one home (sparql/derive.ru); model.DERIVED_PREDICATE, which the projection and the
    explainer's paths use to find the rule's triples, must say what its VALUES block says."""
    import re

    from tkigraph.model import DERIVED_PREDICATE, EFFECT_NAME
    from tkigraph.namespaces import TKG
    from tkigraph.storage.files import derive_update

    values = re.search(r"VALUES \(\?effect \?derived\) \{(.*?)\}", derive_update(), re.S)
    assert values, "derive.ru lost its VALUES (?effect ?derived) block"
    rule = {TKG[e]: TKG[d] for e, d in re.findall(r"\(tkigraph:(\w+) tkigraph:(\w+)\)", values.group(1))}
    ours = {iri: DERIVED_PREDICATE[effect] for iri, effect in EFFECT_NAME.items()}
    assert rule == ours and len(rule) == 3
