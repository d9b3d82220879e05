"""The Python API a notebook user reaches for (issue 13): `tkigraph.open()` and its questions."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest

import tkigraph
import tkigraph.api
import tkigraph.model
import tkigraph.namespaces


@pytest.fixture(scope="module")
def kg():
    return tkigraph.open()


@pytest.mark.parametrize("module", [tkigraph, tkigraph.api, tkigraph.namespaces, tkigraph.model],
                         ids=["tkigraph", "tkigraph.api", "tkigraph.namespaces", "tkigraph.model"])
def test_doctests(module):
    failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failed == 0


def test_the_one_liner_of_the_issue():
    done = subprocess.run([sys.executable, "-c", "import tkigraph; kb = tkigraph.open(); "
                           "print(kb.explain('imatinib', 'T315I').verdict)"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "resistant"


def test_explain_result_renders(kg):
    """Imatinib fails against T315I (O'Hare 2005, Cancer Res: Ba/F3 T315I insensitive)."""
    result = kg.explain("Gleevec", "p.Thr315Ile")
    assert result.to_dict()["verdict"] == "resistant"
    assert "T315I" in result.to_markdown()


def test_query_text_named_and_ask(kg):
    rows = kg.query("SELECT ?drug WHERE { ?drug a tkigraph:Drug ; rdfs:label 'imatinib' }")
    assert rows == [{"drug": "tkd:imatinib"}]
    named = kg.query("resistance-by-drug", drug="imatinib")
    assert {r["variantLabel"] for r in named} >= {"BCR-ABL1 T315I"}
    assert kg.query("ASK { tkd:imatinib tkigraph:generation 1 }") == [{"boolean": True}]
    generation = kg.query("SELECT ?g WHERE { tkd:imatinib tkigraph:generation ?g }")
    assert generation == [{"g": 1}]


def test_query_is_read_only(kg):
    from tkigraph.sparql.guard import QueryError

    with pytest.raises(QueryError):
        kg.query("DELETE WHERE { ?s ?p ?o }")


def test_matrix_mechanisms_networkx(kg):
    """T315I resists imatinib in the matrix too; osimertinib's mechanisms include the on-target class."""
    matrix = kg.matrix("ABL1")
    assert "imatinib" in [d.label for d in matrix.drugs]
    assert matrix.cell("tkd:BCR-ABL1_T315I", "tkd:imatinib").verdict == "resistant"
    report = kg.mechanisms("osimertinib").to_dict()
    assert report and "osimertinib" in str(report)
    graph = kg.to_networkx()
    assert graph.has_edge("tkd:BCR-ABL1_T315I", "tkd:imatinib")


def test_load_is_a_deprecated_alias_of_open():
    with pytest.warns(DeprecationWarning, match=r"tkigraph\.open\(\)"):
        kg = tkigraph.load()
    assert isinstance(kg, tkigraph.KnowledgeGraph)
    assert kg.explain("imatinib", "T315I").verdict == "resistant"


def test_notebook_pages_come_from_the_api(kg):
    page = kg.show_graph(focus="imatinib", depth=1)
    assert "imatinib" in page._repr_html_() and len(page) > 10_000
    matrix = kg.show_matrix("ABL1")
    assert "T315I" in matrix._repr_html_() and len(matrix) > 10_000
