"""Exports (issue 18): one registry of formats, each read back by an independent reader with the same counts.

RDF formats come from the cached Oxigraph store and must read back (rdflib) to
the graph rdflib loads from the Turtle files; graph formats (GraphML, GEXF,
Cytoscape JSON, node-link, KGX, Neo4j CSV) must read back (networkx, igraph,
csv) with the node and edge counts of the networkx projection.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from tkigraph import __version__
from tkigraph.export import FORMAT_NAMES, FORMATS, ExportSource, choose_format, dump, format_for_path, writer
from tkigraph.export.dataset import GRAPH_BASE, graph_iri
from tkigraph.export.kgx import CATEGORIES, EDGES_FILE, NODES_FILE, PREDICATES, QUALIFIERS
from tkigraph.export.neo4j import NODE_HEADER, RELATIONSHIP_HEADER, relationship_type
from tkigraph.namespaces import PREFIXES

from .constants import IMATINIB, T315I

STAMP = f"tkigraph {__version__}"
TKG, TKD = PREFIXES["tkigraph"], PREFIXES["tkd"]
DCTERMS, PROV, OWL, VOID = PREFIXES["dcterms"], PREFIXES["prov"], PREFIXES["owl"], "http://rdfs.org/ns/void#"

#: RDF format -> the name rdflib parses it by
RDF_READERS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld", "jsonld-compact": "json-ld"}


def normalised(graph) -> set[tuple]:
    """Triples with literals compared by value (Oxigraph writes the canonical "16" for "16.0"^^xsd:decimal)."""
    def term(node):
        if isinstance(node, Literal):
            value = node.toPython()
            return ("literal", str(node.datatype or ""), node.language or "",
                    Decimal(str(value)) if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
                    else str(node))
        return node
    return {(s, p, term(o)) for s, p, o in graph}


def for_choice(choice: str) -> ExportSource:
    """The knowledge base of a --source choice (curated, civic, all), as `tkigraph export` builds it."""
    from tkigraph.cli.options import resolve_source

    sources, curated = resolve_source(choice)
    return ExportSource(sources=tuple(sources), curated_findings=curated)


@pytest.fixture(scope="module")
def source():
    return ExportSource()


@pytest.fixture(scope="module")
def reference(rdf_graph):
    """The shipped graph as rdflib, an independent parser, loads it from the Turtle files."""
    return normalised(rdf_graph)


@pytest.fixture(scope="module")
def projection(kb):
    """The networkx projection of the rdflib graph: the counts every graph export must match."""
    from tkigraph.graph import to_networkx

    return to_networkx(kb)


# -- the registry --------------------------------------------------------------------------------------
def test_every_format_has_a_writer_an_extension_or_folder_and_a_media_type():
    extensions = [ext for f in FORMATS.values() for ext in (f.extension, *f.aliases) if ext]
    assert len(extensions) == len(set(extensions)), "two formats claim one extension"
    for fmt in FORMATS.values():
        assert callable(writer(fmt.name)), fmt.name
        assert "/" in fmt.media_type and fmt.summary
    assert {"turtle", "ntriples", "rdfxml", "jsonld", "jsonld-compact", "trig", "nquads", "csv", "graphml", "gexf",
            "cyjs", "nodelink", "kgx", "neo4j"} <= set(FORMAT_NAMES)


@pytest.mark.parametrize(("path", "name"), [
    ("kb.ttl", "turtle"), ("KB.TTL", "turtle"), ("kb.nt", "ntriples"), ("kb.owl", "rdfxml"), ("kb.rdf", "rdfxml"),
    ("kb.jsonld", "jsonld"), ("kb.context.jsonld", "jsonld-compact"), ("kb.trig", "trig"), ("kb.nq", "nquads"),
    ("kb.graphml", "graphml"), ("kb.gexf", "gexf"), ("kb.cyjs", "cyjs"), ("kb.json", "nodelink"), ("kb.csv", "csv"),
])
def test_the_extension_picks_the_format(path, name):
    assert format_for_path(path).name == name
    assert choose_format(None, path).name == name


def test_format_beats_extension_and_turtle_is_the_default():
    assert choose_format("ntriples", "kb.ttl").name == "ntriples"
    assert choose_format(None, None).name == "turtle"
    assert format_for_path("kb.xyz") is None


def test_the_cli_offers_the_registry(invoke):
    from tkigraph.cli import cli

    [option] = [p for p in cli.get_command(None, "export").params if p.name == "fmt"]
    assert tuple(option.type.choices) == FORMAT_NAMES
    text = invoke("export", "--help").output
    for fmt in FORMATS.values():
        assert fmt.extension in text or fmt.is_folder or fmt.name == "jsonld-compact", \
            f"--help does not mention {fmt.extension}: update the --format help in cli/sparql.py"


def test_exports_read_the_store_not_an_rdflib_parse(monkeypatch, tmp_path):
    import tkigraph.storage.files

    def refuse(*args, **kwargs):
        raise AssertionError("an export parsed the Turtle with rdflib instead of reading the cached store")

    monkeypatch.setattr(tkigraph.storage.files, "load_graph", refuse)
    monkeypatch.setattr(tkigraph.storage.files, "parse_into", refuse)
    for name in ("turtle", "ntriples", "rdfxml", "jsonld", "trig", "nquads", "csv", "graphml", "kgx", "neo4j"):
        assert dump(name, ExportSource())


# -- RDF -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(RDF_READERS))
def test_rdf_exports_read_back_to_the_loaded_graph(source, reference, name):
    data = dump(name, source)
    back = Graph().parse(data=data.decode("utf-8"), format=RDF_READERS[name])
    assert normalised(back) == reference


@pytest.mark.parametrize("name", ["turtle", "ntriples", "rdfxml", "trig", "nquads"])
def test_rdf_exports_are_stamped_with_the_version(source, name):
    assert STAMP.encode() in dump(name, source)[:200]


def test_pyoxigraph_reads_the_rdf_exports_too(source, reference):
    import pyoxigraph as ox

    for name, fmt in (("turtle", ox.RdfFormat.TURTLE), ("rdfxml", ox.RdfFormat.RDF_XML),
                      ("jsonld", ox.RdfFormat.JSON_LD)):
        assert sum(1 for _ in ox.parse(dump(name, source), format=fmt)) == len(reference), name


def test_compact_jsonld_has_a_context_and_compact_names(source):
    data = json.loads(dump("jsonld-compact", source))
    assert data["@context"]["tkigraph"] == TKG and data["@context"]["tkd"] == TKD
    ids = {node.get("@id") for node in data["@graph"]}
    assert IMATINIB in ids and T315I in ids  # CURIEs, not full IRIs
    assert not any(str(i).startswith("https://w3id.org/tkigraph/kb/") for i in ids)


def test_csv_has_one_row_a_triple(source, reference):
    rows = list(csv.reader(io.StringIO(dump("csv", source).decode())))
    assert rows[0] == ["subject", "predicate", "object"]
    assert len(rows) - 1 == len(reference)
    assert [IMATINIB, "rdfs:label", "imatinib"] in rows


# -- TriG and N-Quads: a named graph per source, with provenance ------------------------------------------
CIVIC_TTL = f"""@prefix tkigraph: <{TKG}> .
@prefix tkd: <{TKD}> .
@prefix rdfs: <{PREFIXES['rdfs']}> .
tkd:civic_EID990001_1 a tkigraph:Finding ; rdfs:label "synthetic CIViC item" ; tkigraph:variant tkd:EGFR_T790M ;
    tkigraph:drug tkd:gefitinib ; tkigraph:effect tkigraph:Resistant ; tkigraph:evidenceLevel tkigraph:Clinical ;
    tkigraph:mechanism tkigraph:OnTargetMutation ; tkigraph:statement "synthetic" .
"""
MOALMANAC_TTL = CIVIC_TTL.replace("civic_EID990001_1", "moalmanac_A990002_1").replace("CIViC", "MOAlmanac")
ACCOUNTS = {
    "civic": {"source": "civic", "origin": "https://civicdb.org/downloads/nightly/nightly-ClinicalEvidenceSummaries.tsv",
              "release": "2024-05-01", "licence": "CC0-1.0", "imported_at": "2024-05-02T10:00:00+00:00",
              "sha256": "0" * 64, "tkigraph_version": __version__},
    "moalmanac": {"source": "moalmanac", "origin": "/tmp/molecular-oncology-almanac.json", "release": None,
                  "licence": "GPL-2.0", "imported_at": "2024-06-01T10:00:00+00:00", "sha256": "1" * 64},
}


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory):
    """A data directory holding two imported sources (the files `tkigraph import` writes)."""
    folder = tmp_path_factory.mktemp("data")
    (folder / "sources").mkdir()
    for name, text in (("civic", CIVIC_TTL), ("moalmanac", MOALMANAC_TTL)):
        (folder / "sources" / f"{name}.ttl").write_text(text, encoding="utf-8")
        (folder / "sources" / f"{name}.json").write_text(json.dumps(ACCOUNTS[name]), encoding="utf-8")
    return folder


@pytest.fixture()
def installed(data_folder, monkeypatch):
    """The two sources installed, for one test."""
    monkeypatch.setenv("TKIGRAPH_DATA_DIR", str(data_folder))
    return data_folder / "sources"


@pytest.fixture(scope="module")
def trig(data_folder):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TKIGRAPH_DATA_DIR", str(data_folder))
        source = for_choice("all")
        dataset = Dataset()
        dataset.parse(data=dump("trig", source).decode(), format="trig")
    return source, dataset


def _graph(dataset: Dataset, iri: str) -> Graph:
    return dataset.graph(URIRef(iri))


def test_trig_has_a_named_graph_per_source(trig):
    _, dataset = trig
    named = {str(g.identifier) for g in dataset.graphs() if len(g) and str(g.identifier).startswith(GRAPH_BASE)}
    assert named == {graph_iri(n) for n in ("curated", "civic", "moalmanac", "derived")}


def test_trig_graphs_hold_what_each_source_said(trig, installed):
    _, dataset = trig
    for name in ("civic", "moalmanac"):
        assert set(_graph(dataset, graph_iri(name))) == set(Graph().parse(installed / f"{name}.ttl")), name
    curated = _graph(dataset, graph_iri("curated"))
    assert (URIRef(TKD + "imatinib"), URIRef(PREFIXES["rdfs"] + "label"), Literal("imatinib")) in curated
    assert not any(str(s).startswith(TKD + "civic_") for s in curated.subjects())
    derived = _graph(dataset, graph_iri("derived"))
    assert {str(p) for p in derived.predicates()} <= {TKG + "confersResistanceTo", TKG + "reducesSensitivityTo",
                                                      TKG + "retainsSensitivityTo", TKG + "supports",
                                                      PREFIXES["rdf"] + "type"}
    assert {str(o) for o in derived.objects(None, URIRef(PREFIXES["rdf"] + "type"))} == {TKG + "Claim"}
    assert (URIRef(TKD + "BCR-ABL1_T315I"), URIRef(TKG + "confersResistanceTo"), URIRef(TKD + "imatinib")) in derived


def test_trig_named_graphs_together_are_the_graph_every_command_reads(trig):
    source, dataset = trig
    union = Graph()
    for graph in dataset.graphs():
        if str(graph.identifier).startswith(GRAPH_BASE):
            union += graph
    store_graph = Graph().parse(data=dump("ntriples", source).decode(), format="nt")
    assert normalised(union) == normalised(store_graph)


def test_trig_describes_each_graph(trig):
    _, dataset = trig
    meta = dataset.default_graph
    civic = URIRef(graph_iri("civic"))

    def value(subject, predicate):
        return meta.value(subject, URIRef(predicate))

    assert str(value(civic, DCTERMS + "license")) == "https://spdx.org/licenses/CC0-1.0"
    assert str(value(civic, DCTERMS + "source")) == ACCOUNTS["civic"]["origin"]
    assert str(value(civic, OWL + "versionInfo")) == "2024-05-01"
    assert value(civic, DCTERMS + "issued").datatype == URIRef(PREFIXES["xsd"] + "date")
    assert str(value(civic, DCTERMS + "created")).startswith("2024-05-02")
    assert int(value(civic, VOID + "triples")) == len(_graph(dataset, graph_iri("civic")))
    moalmanac = URIRef(graph_iri("moalmanac"))
    assert str(value(moalmanac, DCTERMS + "license")) == "https://spdx.org/licenses/GPL-2.0"
    curated = URIRef(graph_iri("curated"))
    assert value(curated, DCTERMS + "license") is not None and value(curated, OWL + "versionInfo") is not None
    for graph in (civic, moalmanac, curated, URIRef(graph_iri("derived"))):
        activity = value(graph, PROV + "wasGeneratedBy")
        assert STAMP in str(meta.value(activity, URIRef(PREFIXES["rdfs"] + "label"))), graph
        assert value(graph, PROV + "generatedAtTime") is not None
    parents = set(meta.objects(URIRef(graph_iri("derived")), URIRef(PROV + "wasDerivedFrom")))
    assert {str(p) for p in parents} == {graph_iri(n) for n in ("curated", "civic", "moalmanac")}


def test_nquads_is_the_same_dataset(trig, installed):
    import pyoxigraph as ox

    source, _ = trig
    as_trig = set(ox.parse(dump("trig", source), format=ox.RdfFormat.TRIG))
    as_nquads = set(ox.parse(dump("nquads", source), format=ox.RdfFormat.N_QUADS))
    named = {q for q in as_trig if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert named == {q for q in as_nquads if not isinstance(q.graph_name, ox.DefaultGraph)}


def test_trig_of_civic_alone_leaves_the_curated_findings_out(installed):
    dataset = Dataset()
    dataset.parse(data=dump("trig", for_choice("civic")).decode(), format="trig")
    curated = _graph(dataset, graph_iri("curated"))
    assert not set(curated.subjects(URIRef(PREFIXES["rdf"] + "type"), URIRef(TKG + "Finding")))
    assert (URIRef(TKD + "imatinib"), URIRef(PREFIXES["rdf"] + "type"), URIRef(TKG + "Drug")) in curated
    assert not len(_graph(dataset, graph_iri("moalmanac")))


def test_a_data_file_gets_a_graph_named_by_the_file(tmp_path):
    extra = tmp_path / "mine.ttl"
    extra.write_text(f'@prefix tkd: <{TKD}> .\n@prefix rdfs: <{PREFIXES["rdfs"]}> .\n'
                     'tkd:imatinib rdfs:comment "mine" .\n')
    dataset = Dataset()
    dataset.parse(data=dump("trig", ExportSource(extra=(str(extra),))).decode(), format="trig")
    iri = URIRef(extra.resolve().as_uri())
    assert len(_graph(dataset, iri)) == 1
    assert dataset.default_graph.value(iri, URIRef(DCTERMS + "source")) == iri


def test_source_date_epoch_fixes_the_export_time(monkeypatch, source):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert dump("trig", source) == dump("trig", source)
    assert b"2023-11-14T22:13:20" in dump("trig", source)


# -- graph formats ---------------------------------------------------------------------------------------
def test_graphml_edges_have_distinct_ids_and_networkx_reads_the_same_counts(source, projection, tmp_path):
    import networkx as nx

    data = dump("graphml", source)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    edges = ET.fromstring(data).findall(".//g:edge", ns)
    ids = [e.get("id") for e in edges]
    assert len(edges) == projection.number_of_edges() and None not in ids
    assert len(set(ids)) == len(ids), "GraphML edge ids repeat: Gephi and GraphStream merge or refuse such edges"
    path = tmp_path / "kb.graphml"
    path.write_bytes(data)
    back = nx.read_graphml(path, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (projection.number_of_nodes(),
                                                                projection.number_of_edges())
    assert back.nodes[IMATINIB]["label"] == "imatinib" and back.graph["generator"] == STAMP
    assert Counter(d["predicate"] for *_, d in back.edges(data=True)) == \
        Counter(k for *_, k in projection.edges(keys=True))


def test_igraph_reads_the_graphml(source, projection, tmp_path):
    igraph = pytest.importorskip("igraph", reason="igraph is not installed (pip install igraph)")
    path = tmp_path / "kb.graphml"
    path.write_bytes(dump("graphml", source))
    graph = igraph.Graph.Read_GraphML(str(path))
    assert (graph.vcount(), graph.ecount()) == (projection.number_of_nodes(), projection.number_of_edges())


def test_gexf_reads_back_with_the_same_counts(source, projection, tmp_path):
    import networkx as nx

    data = dump("gexf", source)
    path = tmp_path / "kb.gexf"
    path.write_bytes(data)
    back = nx.read_gexf(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (projection.number_of_nodes(),
                                                                projection.number_of_edges())
    ids = [e.get("id") for e in ET.fromstring(data).iter() if e.tag.endswith("}edge")]
    assert len(set(ids)) == len(ids) == projection.number_of_edges()
    assert f"<creator>{STAMP}</creator>".encode() in data
    assert back.nodes[IMATINIB]["label"] == "imatinib"


def test_cytoscape_json_reads_back_with_the_same_counts(source, projection):
    import networkx as nx

    data = json.loads(dump("cyjs", source))
    assert data["data"]["generator"] == STAMP
    back = nx.cytoscape_graph(data)
    assert (back.number_of_nodes(), back.number_of_edges()) == (projection.number_of_nodes(),
                                                                projection.number_of_edges())
    edges = [e["data"] for e in data["elements"]["edges"]]
    assert len({e["id"] for e in edges}) == len(edges)
    assert all(e["interaction"].count(":") == 1 for e in edges)
    assert back.nodes[IMATINIB]["name"] == "imatinib"


def test_nodelink_reads_back_with_the_same_counts(source, projection):
    import networkx as nx

    data = json.loads(dump("nodelink", source))
    assert data["graph"]["generator"] == STAMP
    back = nx.node_link_graph(data, edges="edges")
    assert (back.number_of_nodes(), back.number_of_edges()) == (projection.number_of_nodes(),
                                                                projection.number_of_edges())


def test_graph_ids_are_the_same_in_every_format(source):
    graphml = {e.get("id") for e in ET.fromstring(dump("graphml", source)).iter() if e.tag.endswith("}edge")}
    cyjs = {e["data"]["id"] for e in json.loads(dump("cyjs", source))["elements"]["edges"]}
    neo4j = {row["id"] for row in csv.DictReader(io.StringIO(dump("neo4j", source)["relationships.csv"].decode()))}
    assert graphml == cyjs == neo4j


# -- KGX ---------------------------------------------------------------------------------------------------
def _tsv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode()), delimiter="\t"))


@pytest.fixture(scope="module")
def kgx(source):
    files = dump("kgx", source)
    return files, _tsv(files[NODES_FILE]), _tsv(files[EDGES_FILE])


def test_kgx_reads_back_with_the_counts_of_the_entities(kgx, projection):
    files, nodes, edges = kgx
    left_out = {"finding", "publication", "mechanism"}
    types = dict(projection.nodes(data="type"))
    expected_edges = {(s, PREDICATES.get(key, "biolink:related_to"), o) for s, o, key in projection.edges(keys=True)
                      if types[s] not in left_out and types[o] not in left_out}
    assert len(edges) == len(expected_edges), "KGX keys edges by subject, predicate, object: one row each"
    assert {(e["subject"], e["predicate"], e["object"]) for e in edges} == expected_edges
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes) and len({e["id"] for e in edges}) == len(edges)
    assert all(e["subject"] in ids and e["object"] in ids for e in edges), "an edge points at a node not written"
    assert not any(types.get(n) in left_out for n in ids)
    assert {n for n, t in types.items() if t in ("drug", "variant", "kinase", "disease")} <= ids
    manifest = json.loads(files["manifest.json"])
    assert manifest["generator"] == STAMP and manifest["files"] == {NODES_FILE: len(nodes), EDGES_FILE: len(edges)}


def test_kgx_says_resistance_in_biolink(kgx):
    _, nodes, edges = kgx
    by_id = {n["id"]: n for n in nodes}
    assert by_id[IMATINIB]["category"] == "biolink:SmallMolecule" and "CHEBI:45783" in by_id[IMATINIB]["xref"]
    assert by_id[T315I]["category"] == "biolink:SequenceVariant"
    [edge] = [e for e in edges if (e["subject"], e["object"]) == (T315I, IMATINIB)
              and e["original_predicate"] == "tkigraph:confersResistanceTo"]
    assert edge["predicate"] == "biolink:associated_with_resistance_to"
    assert "PMID:11423618" in edge["publications"].split("|")  # pubmed: written as Biolink spells it
    assert edge["knowledge_level"] == "knowledge_assertion" and edge["agent_type"] == "manual_agent"
    inhibits = [e for e in edges if e["original_predicate"] == "tkigraph:inhibits"]
    assert inhibits and all(e["predicate"] == "biolink:affects" and e["object_direction_qualifier"] == "decreased"
                            for e in inhibits)


def test_kgx_falls_back_to_related_to_only_where_documented(kgx):
    _, _, edges = kgx
    fallback = {e["original_predicate"] for e in edges if e["predicate"] == "biolink:related_to"}
    documented = {"tkigraph:bindingMode", "tkigraph:phase", "tkigraph:excludesMember", "tkigraph:requiredComponent"}
    assert fallback <= documented, (
        f"{fallback - documented} became biolink:related_to: "
        "map it in tkigraph.export.kgx.PREDICATES (and docs/formats.md)")


@pytest.fixture(scope="module")
def biolink():
    """The Biolink Model's published schema (PyPI package biolink-model), or skip."""
    model = pytest.importorskip("biolink_model", reason="biolink-model is not installed (pip install biolink-model)")
    import importlib.resources

    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((importlib.resources.files(model) / "schema" / "biolink_model.yaml").read_text())


def _biolink_name(curie: str) -> str:
    return curie.removeprefix("biolink:").replace("_", " ")


def _class_name(curie: str) -> str:
    import re

    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", curie.removeprefix("biolink:")).lower()


def test_kgx_uses_only_biolink_names(kgx, biolink):
    _, nodes, edges = kgx
    classes, slots, enums = biolink["classes"], biolink["slots"], biolink["enums"]
    for category in {n["category"] for n in nodes} | set(CATEGORIES.values()):
        assert _class_name(category) in classes, f"{category} is not a Biolink class"
        assert not classes[_class_name(category)].get("deprecated"), f"{category} is deprecated in Biolink"
    for predicate in {e["predicate"] for e in edges} | set(PREDICATES.values()):
        slot = slots.get(_biolink_name(predicate))
        assert slot is not None and not slot.get("deprecated"), f"{predicate} is not a current Biolink predicate"
    for qualifiers in QUALIFIERS.values():
        assert _biolink_name(qualifiers["qualified_predicate"]) in slots
        assert qualifiers["object_direction_qualifier"] in enums["DirectionQualifierEnum"]["permissible_values"]
        assert qualifiers["object_aspect_qualifier"] in \
            enums["GeneOrGeneProductOrChemicalEntityAspectEnum"]["permissible_values"]
    columns = set(nodes[0]) | set(edges[0])
    assert all(_biolink_name(c) in slots for c in columns), "a KGX column is not a Biolink slot"
    assert {e["knowledge_level"] for e in edges} <= set(enums["KnowledgeLevelEnum"]["permissible_values"])
    assert {e["agent_type"] for e in edges} <= set(enums["AgentTypeEnum"]["permissible_values"])


def _lineage(table: dict, name: str) -> list[str]:
    """``name`` and its is_a ancestors in a Biolink table (classes or slots)."""
    chain = [name]
    while table.get(chain[-1], {}).get("is_a"):
        chain.append(table[chain[-1]]["is_a"])
    return chain


def test_kgx_categories_are_named_things_and_predicates_are_predicates(kgx, biolink):
    """A KGX validator accepts a category only under biolink:NamedThing and an edge predicate only under
    biolink:related_to; a name that exists in Biolink but elsewhere (a slot of node properties) would fail."""
    _, nodes, edges = kgx
    for category in {n["category"] for n in nodes}:
        assert "named thing" in _lineage(biolink["classes"], _class_name(category)), f"{category}: not a NamedThing"
    for predicate in {e["predicate"] for e in edges}:
        assert "related to" in _lineage(biolink["slots"], _biolink_name(predicate)), f"{predicate}: not a predicate"


# -- Neo4j admin import ------------------------------------------------------------------------------------
def test_neo4j_csv_has_the_admin_import_headers_and_the_counts(source, projection):
    files = dump("neo4j", source)
    nodes = list(csv.reader(io.StringIO(files["nodes.csv"].decode())))
    relationships = list(csv.reader(io.StringIO(files["relationships.csv"].decode())))
    assert tuple(nodes[0]) == NODE_HEADER and tuple(relationships[0]) == RELATIONSHIP_HEADER
    assert {":ID" in nodes[0][0], ":LABEL" in nodes[0]} == {True}
    assert relationships[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    ids = [row[0] for row in nodes[1:]]
    assert len(ids) == len(set(ids)) == projection.number_of_nodes()
    assert len(relationships) - 1 == projection.number_of_edges()
    known = set(ids)
    assert all(row[0] in known and row[1] in known for row in relationships[1:])
    assert all(row[2] and row[2].replace("_", "").isalnum() and row[2].isupper() for row in relationships[1:])
    labels = {row[0]: row[4] for row in nodes[1:]}
    assert labels[IMATINIB] == "Drug" and labels[T315I] == "Variant"
    assert "--array-delimiter" in json.loads(files["manifest.json"])["import"]


def test_relationship_types():
    assert relationship_type("tkigraph:confersResistanceTo") == "CONFERS_RESISTANCE_TO"
    assert relationship_type("dcterms:source") == "SOURCE"
    assert relationship_type("tkigraph:ic50FoldChange") == "IC50_FOLD_CHANGE"


# -- the CLI -----------------------------------------------------------------------------------------------
def test_cli_picks_the_format_from_the_extension(invoke, tmp_path):
    out = tmp_path / "kb.nt"
    result = invoke("export", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == dump("ntriples", ExportSource())
    assert [p.name for p in tmp_path.iterdir()] == ["kb.nt"], "a temporary file was left behind"


def test_cli_writes_folder_formats(invoke, tmp_path):
    result = invoke("export", "--format", "kgx", "-o", str(tmp_path / "kgx"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "kgx").iterdir()) == sorted([NODES_FILE, EDGES_FILE, "manifest.json"])


def test_cli_stdout_is_the_bytes_of_the_format(invoke):
    assert invoke("export", "--format", "cyjs").stdout_bytes == dump("cyjs", ExportSource())


@pytest.mark.parametrize(("args", "says"), [
    (["-o", "{tmp}/kb.xyz"], "cannot tell the export format"),
    (["--format", "kgx"], "needs a folder"),
    (["--format", "neo4j", "-o", "{tmp}/file.txt"], "writes a folder"),
    (["-o", "{tmp}/missing/kb.ttl"], "does not exist"),
    (["--format", "turtle", "-o", "{tmp}"], "is a folder"),
])
def test_cli_refuses_bad_output_with_a_hint(invoke, tmp_path, args, says):
    (tmp_path / "file.txt").write_text("keep me")
    result = invoke("export", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 1 and says in result.output and "hint:" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "file.txt").read_text() == "keep me"
