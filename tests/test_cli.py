"""The command line: help, version, stats, show, validate, explain; errors without tracebacks."""

import json
import subprocess
import sys

import pytest

import tkigraph

from .constants import DATA, IMATINIB, MINI_KB


def test_help_teaches(invoke):
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("explain", "alternatives", "show", "stats", "validate"):
        assert command in result.output
    assert "tkigraph explain imatinib T315I" in result.output


def test_version(invoke):
    result = invoke("--version")
    assert result.exit_code == 0 and tkigraph.__version__ in result.output


def test_python_dash_m():
    proc = subprocess.run([sys.executable, "-m", "tkigraph", "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and tkigraph.__version__ in proc.stdout


def test_help_does_not_import_the_heavy_libraries():
    code = ("import sys; from tkigraph.cli import cli; "
            "print(sorted(m for m in ('rdflib', 'networkx', 'pyvis', 'pyshacl') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_stats_json_matches_sparql(invoke, kb):
    data = json.loads(invoke("stats", "--format", "json").output)
    from tkigraph.namespaces import curie

    rows = kb.store.query("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    assert data["classes"] == {curie(r["c"].value): int(r["n"].value) for r in rows}
    rows = kb.store.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    assert data["predicates"] == {curie(r["p"].value): int(r["n"].value) for r in rows}
    assert data["triples"] == len(kb.graph)
    assert data["classes"]["tkigraph:Finding"] > 0


def test_stats_text(invoke):
    result = invoke("stats")
    assert result.exit_code == 0 and "tkigraph:Finding" in result.output


def test_show_imatinib_lists_targets_and_resisting_mutations(invoke):
    result = invoke("show", "imatinib")
    assert result.exit_code == 0
    assert "inhibits: " in result.output and "BCR-ABL1" in result.output
    resisted = next(line for line in result.output.splitlines() if line.strip().startswith("resisted by"))
    assert "BCR-ABL1 T315I" in resisted


@pytest.mark.parametrize("name", ["STI-571", "gleevec", "CHEBI:45783", "tkd:imatinib"])
def test_show_resolves_synonyms(invoke, name):
    data = json.loads(invoke("show", name, "--format", "json").output)
    assert data["id"] == IMATINIB


def test_show_unknown_exits_2_with_suggestion(invoke):
    result = invoke("show", "imatinb")
    assert result.exit_code == 2
    assert "unknown" in result.output and "imatinib" in result.output
    assert "Traceback" not in result.output


def test_validate_shipped_kb_is_clean(invoke):
    result = invoke("validate")
    assert result.exit_code == 0, result.output


def test_validate_names_a_finding_without_source(invoke):
    result = invoke("validate", str(DATA / "finding_without_source.ttl"))
    assert result.exit_code == 1
    assert "tkd:F_unsourced" in result.output and "dcterms:source" in result.output


def test_validate_json(invoke):
    data = json.loads(invoke("validate", str(DATA / "finding_without_source.ttl"), "--format", "json").output)
    assert data["conforms"] is False and data["violations"][0]["node"] == "tkd:F_unsourced"


def test_bad_turtle_is_a_clear_error(invoke, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://e/> .\nex:a ex:b "unterminated .\n')
    result = invoke("stats", "--data", str(bad))
    assert result.exit_code == 1
    assert "bad.ttl:2" in result.output and "invalid Turtle" in result.output
    assert "Traceback" not in result.output


def test_missing_file_is_a_clear_error(invoke, tmp_path):
    result = invoke("stats", "--data", str(tmp_path / "nope.ttl"))
    assert result.exit_code == 1 and "no such file" in result.output


def test_explain_with_extra_data(invoke):
    result = invoke("explain", "alphatinib", "PARTY-KINX T10I", "--data", str(MINI_KB), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["verdict"] == "resistant"


def test_explain_unknown_drug_exits_2(invoke):
    result = invoke("explain", "imatinb", "T315I")
    assert result.exit_code == 2 and "imatinib" in result.output


def test_explain_ambiguous_variant_exits_2(invoke):
    result = invoke("explain", "epsilontinib", "E40K", "--data", str(MINI_KB))
    assert result.exit_code == 2 and "OTHERK E40K" in result.output


def test_explain_ambiguity_settled_by_the_drug(invoke):
    result = invoke("explain", "alphatinib", "E40K", "--data", str(MINI_KB), "--format", "json")
    assert result.exit_code == 0 and '"label": "PARTY-KINX E40K"' in result.output


def test_alternatives_command(invoke):
    result = invoke("alternatives", "PARTY-KINX T10I", "--data", str(MINI_KB), "--format", "json")
    assert result.exit_code == 0
    assert [a["drug"] for a in json.loads(result.output)["alternatives"]] == ["gammatinib", "deltatinib"]


def test_console_script_real_process():
    proc = subprocess.run([sys.executable, "-m", "tkigraph", "show", "imatinb"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "did you mean" in proc.stderr and "Traceback" not in proc.stderr
