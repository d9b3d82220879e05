"""Open the knowledge base: locate the shipped Turtle, parse it, derive the direct triples.

The shipped knowledge base is ``ontology/tkigraph.ttl`` (the schema) plus every
``ontology/kb/*.ttl`` file (the curated entities and findings). In an installed
wheel these live in ``tkigraph/ontology``; in a source checkout, in the
repository's ``ontology/`` folder.

After parsing, :func:`derive` adds the direct triples that findings imply, so a
plain triple pattern answers "what resists imatinib?"::

    ?finding tkg:variant ?v ; tkg:drug ?d ; tkg:effect tkg:Resistant
        => ?v tkg:confersResistanceTo ?d
    (tkg:ReducedSensitivity => tkg:reducesSensitivityTo,
     tkg:Sensitive => tkg:retainsSensitivityTo; negated findings imply nothing)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Graph, Literal

from .errors import InputFileError
from .namespaces import PREFIXES, RDF, TKG

__all__ = ["ontology_dir", "kb_files", "shapes_file", "load_graph", "parse_into", "derive", "EFFECT_PREDICATE"]

#: effect concept -> the direct predicate derived from it
EFFECT_PREDICATE = {
    TKG.Resistant: TKG.confersResistanceTo,
    TKG.ReducedSensitivity: TKG.reducesSensitivityTo,
    TKG.Sensitive: TKG.retainsSensitivityTo,
}


def ontology_dir() -> Path:
    """The folder holding ``tkigraph.ttl``, ``shapes.ttl`` and ``kb/``."""
    packaged = Path(__file__).parent / "ontology"
    if (packaged / "tkigraph.ttl").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "ontology"
    if (checkout / "tkigraph.ttl").is_file():
        return checkout
    raise InputFileError(str(packaged), "the shipped knowledge base is missing",
                         hint="reinstall tkigraph (pip install .) from a complete checkout")


def kb_files() -> list[Path]:
    """The schema and every curated Turtle file, in a stable order."""
    root = ontology_dir()
    return [root / "tkigraph.ttl", *sorted((root / "kb").glob("*.ttl"))]


def shapes_file() -> Path:
    """The SHACL shapes of the knowledge base."""
    return ontology_dir() / "shapes.ttl"


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def parse_into(graph: Graph, path: str | Path) -> None:
    """Parse one Turtle file into ``graph``; a bad file raises :class:`InputFileError`."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(str(path), "no such file", hint="check the path")
    try:
        data = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(str(path), f"not UTF-8 text (byte {exc.start})",
                             hint="save the file as UTF-8") from None
    scratch = Graph()
    try:
        scratch.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises BadSyntax and a few others
        line = getattr(exc, "lines", None)
        reason = getattr(exc, "_why", None) or str(exc).splitlines()[0]
        raise InputFileError(str(path), f"invalid Turtle: {reason}",
                             line=line + 1 if isinstance(line, int) else None,
                             hint="fix the syntax at that line (is a prefix declared, a string closed?)") from None
    graph += scratch  # only a fully parsed file is added


def load_graph(extra: Iterable[str | Path] = (), *, include_kb: bool = True) -> Graph:
    """Load the shipped knowledge base (and ``extra`` Turtle files) with derived triples.

    With ``include_kb=False`` only the schema and ``extra`` are loaded.
    """
    graph = new_graph()
    base = kb_files() if include_kb else kb_files()[:1]
    files = [*base, *map(Path, extra)]
    for path in files:
        parse_into(graph, path)
    derive(graph)
    return graph


def findings(graph: Graph) -> Iterator:
    """Every finding node of the graph."""
    return graph.subjects(RDF.type, TKG.Finding)


def derive(graph: Graph) -> int:
    """Add the direct variant -> drug triples implied by findings; return how many were new."""
    before = len(graph)
    for finding in set(findings(graph)):
        if (finding, TKG.negated, Literal(True)) in graph:
            continue
        predicate = EFFECT_PREDICATE.get(graph.value(finding, TKG.effect))
        variant, drug = graph.value(finding, TKG.variant), graph.value(finding, TKG.drug)
        if predicate is not None and variant is not None and drug is not None:
            graph.add((variant, predicate, drug))
    return len(graph) - before
