"""Loading: shipped files, derived triples, clean errors, nothing half-added."""

import pytest

from tkigraph.errors import InputFileError
from tkigraph.rdfterms import TKD, TKG
from tkigraph.storage.files import derive, kb_files, load_graph, new_graph, ontology_dir, parse_into

from .constants import MINI_KB


def test_kb_files_are_schema_then_curated():
    files = kb_files()
    assert files[0].name == "tkigraph.ttl"
    assert all(f.parent.name == "kb" for f in files[1:]) and len(files) > 3


def test_derived_triples(mini):
    g = mini.graph
    assert (TKD["PARTY-KINX_T10I"], TKG.confersResistanceTo, TKD.alphatinib) in g
    assert (TKD["PARTY-KINX_T10I"], TKG.retainsSensitivityTo, TKD.gammatinib) in g
    # a negated finding implies nothing
    assert (TKD.KINX_amplification, TKG.confersResistanceTo, TKD.alphatinib) not in g


def test_derive_is_idempotent():
    g = load_graph([MINI_KB], include_kb=False)
    assert derive(g) == 0


def test_negated_flag_survives(mini):
    assert (TKD.F12, TKG.negated, True) in mini.graph


def test_a_bad_file_adds_nothing(tmp_path):
    g = new_graph()
    parse_into(g, MINI_KB)
    before = len(g)
    bad = tmp_path / "half.ttl"
    bad.write_text("@prefix tkd: <https://w3id.org/tkigraph/kb/> .\ntkd:a tkd:b tkd:c .\ntkd:d tkd:e \n")
    with pytest.raises(InputFileError) as err:
        parse_into(g, bad)
    assert len(g) == before
    assert err.value.path.endswith("half.ttl")


def test_undefined_prefix_reports_line(tmp_path):
    bad = tmp_path / "prefix.ttl"
    bad.write_text("\n\nex:a ex:b ex:c .\n")
    with pytest.raises(InputFileError) as err:
        load_graph([bad], include_kb=False)
    assert "not bound" in err.value.reason and err.value.line == 3


def test_latin1_is_reported(tmp_path):
    bad = tmp_path / "latin.ttl"
    bad.write_bytes(b'@prefix ex: <http://e/> .\nex:a ex:b "caf\xe9" .\n')
    with pytest.raises(InputFileError, match="not UTF-8"):
        load_graph([bad], include_kb=False)


def test_ontology_dir_in_checkout():
    assert (ontology_dir() / "shapes.ttl").is_file()
