"""Issue 14: explain through a remote endpoint gives the local answer, class exceptions and all.

The questions are the ones of the issue's "What is wrong today" list, asked of a real Oxigraph
server holding the pushed graph (the fixture of tests/test_sparql.py) and of the local store.
"""

import json

import pytest

from .test_sparql import oxigraph_server  # noqa: F401 (the fixture: a real Oxigraph server on loopback)

#: (drug, variant) pairs whose answer uses more than the variant's own findings
QUESTIONS = [
    ("gefitinib", "A763_Y764insFQEA"),          # a class that excludes its member (Yasuda 2013)
    ("osimertinib", "EGFR p.E746_A750del"),      # class findings beside the variant's own (FLAURA)
    ("gilteritinib", "FLT3 D835Y"),              # the class's label (ADMIRAL)
    ("pirtobrutinib", "C481"),                   # a codon pools its substitutions (BRUIN)
    ("pirtobrutinib", "C481X"),                  # a codon class without a finding of its own
    ("lorlatinib", "ALK G1202R/L1196M in cis"),  # a phase-unknown curated compound (Yoda 2018)
    ("ponatinib", "T315I/F317L in cis"),         # a compound never sensitive by inference
    ("osimertinib", "T790M/C797S in trans"),     # the clinical meaning of trans (Niederst 2015)
    ("osimertinib", "MET amplification"),        # alternatives by driver (INSIGHT 2)
    ("alectinib", "MET amplification"),
    ("larotrectinib", "G595R"),
    ("mobocertinib", "exon 20 insertion"),       # a withdrawn approval
    ("erlotinib", "L858R/T790M"),
    ("alectinib", "ALK R1192P"),                 # not in the graph: the nearest evidence
    ("osimertinib", "KRAS G12C"),
    ("larotrectinib", "NTRK fusion"),
    ("imatinib", "P-gp"),
    ("dacomitinib", "T790M"),
    ("lorlatinib", "ROS1 G2032R"),
    ("regorafenib", "KIT D816V"),                # class activity not carried across binding modes
    ("osimertinib", "SCLC"),                     # a chemotherapy combination offered (Marcoux 2019)
    ("vemurafenib", "BRAF V600E"),               # an antibody partner does not bar a combination
]


@pytest.fixture(scope="module")
def pushed(oxigraph_server, kb):  # noqa: F811 (the imported fixture)
    from tkigraph.sparql.remote import push

    assert push(kb.store, oxigraph_server) == len(kb.graph)
    return oxigraph_server


@pytest.mark.parametrize(("drug", "variant"), QUESTIONS)
def test_remote_answer_is_the_local_answer(pushed, invoke, drug, variant):
    """Yasuda H 2013, Sci Transl Med (pubmed:24353160): EGFR exon 20 insertions exclude A763_Y764insFQEA, and a
    remote answer must know it (tkigraph:excludesMember), like every other fact the local answer uses."""
    local = invoke("explain", drug, variant, "--format", "json")
    remote = invoke("explain", drug, variant, "--format", "json", "--endpoint", pushed)
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)


def test_remote_answer_keeps_the_class_exception(pushed, invoke):
    """Yasuda H 2013, Sci Transl Med (pubmed:24353160): gefitinib against FQEA does not inherit the resistance
    of the exon 20 insertion class, also when the graph is read from an endpoint."""
    answer = json.loads(invoke("explain", "gefitinib", "A763_Y764insFQEA", "--format", "json",
                               "--endpoint", pushed).output)
    assert answer["verdict"] != "resistant"
    assert answer["variant"]["excluded_from"] == ["EGFR exon 20 insertion"]
