"""The ontology and the namespaces module agree; every term is labelled and defined."""

import pytest
from rdflib import Graph, URIRef

from tkigraph.rdfterms import RDF, RDFS, SKOS, TKG
from tkigraph.storage.files import ontology_dir

SCHEMA_TERMS = (RDF.type,)


@pytest.fixture(scope="module")
def schema():
    return Graph().parse(ontology_dir() / "tkigraph.ttl")


def declared(schema):
    base = str(TKG._NS)
    return {s for s in schema.subjects() if isinstance(s, URIRef) and str(s).startswith(base)}


def test_every_namespace_term_is_in_the_ontology(schema):
    missing = [t for t in TKG.__annotations__ if TKG._NS[t] not in declared(schema)]
    assert not missing, f"declared in namespaces.py but not in ontology/tkigraph.ttl: {missing}"


def test_every_ontology_term_is_in_the_namespace(schema):
    extra = sorted(str(t).rsplit("#", 1)[-1] for t in declared(schema))
    missing = [t for t in extra if t not in TKG.__annotations__]
    assert not missing, f"add these to TKG in src/tkigraph/namespaces.py: {missing}"


def test_every_term_has_label_and_definition(schema):
    for term in declared(schema):
        assert schema.value(term, RDFS.label), f"{term}: add an rdfs:label in ontology/tkigraph.ttl"
        assert schema.value(term, SKOS.definition), f"{term}: add a skos:definition in ontology/tkigraph.ttl"


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        TKG.Drugg  # noqa: B018


def test_mechanism_scheme_has_the_required_categories(schema):
    labels = {str(schema.value(c, RDFS.label)) for c in schema.subjects(SKOS.inScheme, TKG.MechanismScheme)}
    assert {"on-target mutation", "target amplification or overexpression", "bypass pathway activation",
            "downstream pathway alteration", "drug efflux", "drug metabolism", "tumour microenvironment",
            "epigenetic change", "histologic or lineage transformation"} <= labels


def test_phase_scheme_is_mirrored_once(schema):
    """model.PHASE_OF is the one Python mirror of tkigraph:PhaseScheme (issue 13); resolve and explain read it."""
    from tkigraph.model import PHASE_OF, Phase

    concepts = {str(c) for c in schema.subjects(SKOS.inScheme, TKG.PhaseScheme)}
    assert set(PHASE_OF) == concepts, "model.PHASE_OF and ontology/tkigraph.ttl's tkigraph:PhaseScheme differ"
    assert sorted(PHASE_OF.values()) == sorted(Phase)


def test_code_uses_only_declared_terms():
    """Every TKG.<term> written in the source exists (a closed namespace would raise anyway)."""
    import re
    from pathlib import Path

    import tkigraph
    used = set()
    for path in Path(tkigraph.__file__).parent.rglob("*.py"):
        used |= set(re.findall(r"\bTKG\.([A-Za-z0-9_]+)", path.read_text()))
    used -= {"_NS"}
    assert used and used <= set(TKG.__annotations__), sorted(used - set(TKG.__annotations__))
