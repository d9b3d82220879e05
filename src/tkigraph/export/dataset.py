"""TriG and N-Quads: the knowledge base as a dataset, one named graph per source, each described in the
default graph (provenance).

Named graphs (:func:`graph_iri`):

* ``https://w3id.org/tkigraph/graph/curated``: the shipped schema and curated
  knowledge base (without the curated findings under ``--source civic``);
* ``https://w3id.org/tkigraph/graph/civic``, ``.../moalmanac``: each imported
  source, exactly the triples of its file in the user data directory;
* a ``--data`` file: the graph named by the file's own ``file:`` IRI;
* ``https://w3id.org/tkigraph/graph/derived``: the direct variant -> drug
  triples tkigraph derives from the findings (``tkigraph/sparql/derive.ru``).

Their union is the graph every command reads. The default graph says, for
each named graph, where it came from (``dcterms:source``), its release or
version (``owl:versionInfo``, ``dcterms:issued``), licence (``dcterms:license``),
when it was imported (``dcterms:created``), its size (``void:triples``), and
that this export made it (``prov:wasGeneratedBy`` an activity labelled with the
tkigraph version, ``prov:generatedAtTime``; ``SOURCE_DATE_EPOCH`` fixes that
time for reproducible builds).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Set
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..namespaces import PREFIXES
from .source import GENERATOR, ExportSource

__all__ = ["GRAPH_BASE", "graph_iri", "dataset", "to_trig", "to_nquads", "derived_triples"]

#: the IRIs of tkigraph's named graphs start with this
GRAPH_BASE = "https://w3id.org/tkigraph/graph/"
_ONTOLOGY = "https://w3id.org/tkigraph/ontology"

_DC, _PROV, _OWL = PREFIXES["dcterms"], PREFIXES["prov"], PREFIXES["owl"]
_RDF, _RDFS, _XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
_VOID = "http://rdfs.org/ns/void#"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def graph_iri(name: str) -> str:
    """The IRI of tkigraph's named graph ``name`` (curated, civic, moalmanac, derived)."""
    return GRAPH_BASE + name


def derived_triples(store: ox.Store) -> set[ox.Triple]:
    """The triples the derive rule (``derive.ru``, its one home) gives over the store's default graph."""
    from importlib.resources import files

    rule = (files("tkigraph.sparql") / "derive.ru").read_text(encoding="utf-8")
    result = store.query(rule.replace("INSERT {", "CONSTRUCT {", 1))
    assert isinstance(result, ox.QueryTriples)
    return set(result)


def _now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _literal(value: str) -> ox.Literal:
    if _DATE.match(value):
        return ox.Literal(value, datatype=ox.NamedNode(_XSD + "date"))
    if _DATETIME.match(value):
        return ox.Literal(value, datatype=ox.NamedNode(_XSD + "dateTime"))
    return ox.Literal(value)


def _licence(value: str) -> ox.NamedNode | ox.Literal:
    if "://" in value:
        return ox.NamedNode(value)
    if re.fullmatch(r"[A-Za-z0-9.+-]+", value):
        return ox.NamedNode(f"https://spdx.org/licenses/{value}")
    return ox.Literal(value)


def _origin(value: str) -> ox.NamedNode | ox.Literal:
    if "://" in value:
        return ox.NamedNode(value)
    path = Path(value)
    return ox.NamedNode(path.as_uri()) if path.is_absolute() else ox.Literal(value)


#: keyword of _Describe.graph -> (predicate, how its value becomes a term)
_ABOUT = {
    "source": (_DC + "source", _origin),
    "version": (_OWL + "versionInfo", ox.Literal),
    "issued": (_DC + "issued", _literal),
    "modified": (_DC + "modified", _literal),
    "created": (_DC + "created", _literal),
    "licence": (_DC + "license", _licence),
    "sha256": (_DC + "identifier", lambda value: ox.Literal(f"sha256:{value}")),
}


class _Describe:
    """Provenance triples of the named graphs, written into the default graph."""

    def __init__(self, out: ox.Store) -> None:
        self.out = out
        self.activity = ox.BlankNode("export")
        now = ox.Literal(_now().isoformat(), datatype=ox.NamedNode(_XSD + "dateTime"))
        self.now = now
        self._add(self.activity, _RDF + "type", ox.NamedNode(_PROV + "Activity"))
        self._add(self.activity, _RDFS + "label", ox.Literal(f"{GENERATOR} export"))
        self._add(self.activity, _PROV + "endedAtTime", now)

    def _add(self, subject: ox.NamedNode | ox.BlankNode, predicate: str, obj: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        self.out.add(ox.Quad(subject, ox.NamedNode(predicate), obj, ox.DefaultGraph()))

    def graph(self, iri: str, title: str, **about: Any) -> None:
        node = ox.NamedNode(iri)
        size = sum(1 for _ in self.out.quads_for_pattern(None, None, None, node))
        self._add(node, _RDF + "type", ox.NamedNode(_VOID + "Dataset"))
        self._add(node, _DC + "title", ox.Literal(title))
        self._add(node, _VOID + "triples", ox.Literal(str(size), datatype=ox.NamedNode(_XSD + "integer")))
        self._add(node, _PROV + "wasGeneratedBy", self.activity)
        self._add(node, _PROV + "generatedAtTime", self.now)
        for key, (predicate, convert) in _ABOUT.items():
            if about.get(key):
                self._add(node, predicate, convert(str(about[key])))
        for parent in about.get("derived_from", ()):
            self._add(node, _PROV + "wasDerivedFrom", ox.NamedNode(parent))


def _copy(out: ox.Store, triples: Iterable[ox.Quad | ox.Triple], graph: str,
          skip: Set[ox.Triple] = frozenset()) -> None:
    target = ox.NamedNode(graph)
    out.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples if ox.Triple(
        t.subject, t.predicate, t.object) not in skip)


def _curated_about(store: ox.Store) -> dict[str, str]:
    about = {"source": _ONTOLOGY}
    ontology = ox.NamedNode(_ONTOLOGY)
    for key, predicate in (("version", _OWL + "versionInfo"), ("licence", _DC + "license")):
        for quad in store.quads_for_pattern(ontology, ox.NamedNode(predicate), None, ox.DefaultGraph()):
            if isinstance(quad.object, (ox.NamedNode, ox.Literal)):
                about[key] = quad.object.value
    return about


def dataset(source: ExportSource) -> ox.Store:
    """An in-memory store: a named graph per source, the derived triples apart, provenance in the default graph."""
    from ..storage.files import source_metadata
    from ..storage.oxigraph import kb_store
    from ..storage.provenance import graph_of

    main = source.store
    derived = derived_triples(main)
    curated, _ = kb_store((), sources=(), curated_findings=source.curated_findings)
    out = ox.Store()
    describe = _Describe(out)
    _copy(out, curated.quads_for_pattern(None, None, None, ox.DefaultGraph()), graph_iri("curated"), derived)
    describe.graph(graph_iri("curated"), "tkigraph curated knowledge base" +
                   ("" if source.curated_findings else " (entities only, without the curated findings)"),
                   **_curated_about(curated))
    parents = [graph_iri("curated")]
    for name, path in source.files().items():
        if name.startswith("data:"):
            iri, title = graph_of(path), f"the --data file {Path(path).name}"
            meta = {"origin": str(Path(path).resolve())}
        else:
            iri, title, meta = graph_iri(name), f"{name}: evidence imported with tkigraph import", source_metadata(name)
        _copy(out, main.quads_for_pattern(None, None, None, ox.NamedNode(graph_of(path))), iri)
        describe.graph(iri, title, source=meta.get("origin"), version=meta.get("release"),
                       issued=meta.get("release"), modified=meta.get("newest_record"),
                       created=meta.get("imported_at"), licence=meta.get("licence"), sha256=meta.get("sha256"))
        parents.append(iri)
    _copy(out, derived, graph_iri("derived"))
    describe.graph(graph_iri("derived"), "variant -> drug triples derived by tkigraph from the findings",
                   derived_from=parents)
    return out


def _prefixes() -> dict[str, str]:
    return {**PREFIXES, "void": _VOID}


def to_trig(source: ExportSource) -> bytes:
    body = dataset(source).dump(format=ox.RdfFormat.TRIG, prefixes=_prefixes()) or b""
    return f"# {GENERATOR} export\n".encode() + body


def to_nquads(source: ExportSource) -> bytes:
    return f"# {GENERATOR} export\n".encode() + (dataset(source).dump(format=ox.RdfFormat.N_QUADS) or b"")
