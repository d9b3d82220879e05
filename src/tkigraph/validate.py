"""Check a knowledge base against the SHACL shapes of ``ontology/shapes.ttl``.

:func:`validate` returns one :class:`Violation` per problem, each naming the
offending node (as a CURIE), the file that defines it, the property and a
readable message, so a curator knows what to fix and where.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from .namespaces import curie
from .rdfterms import RDF
from .storage import files as store

__all__ = ["Violation", "validate"]

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: which node, where it is defined, which property, what is wrong."""

    file: str
    node: str
    path: str
    message: str
    severity: str = "Violation"
    value: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        prop = f" [{self.path}]" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}{self.node}{prop}: {self.message}{value}"


def _load_with_origins(files: list[Path]) -> tuple[Graph, dict[Node, str]]:
    graph = store.new_graph()
    origin: dict[Node, str] = {}
    for path in files:
        part = store.new_graph()
        store.parse_into(part, path)
        for subject in set(part.subjects()):
            origin.setdefault(subject, path.name)
        graph += part
    return graph, origin


def validate(files: Iterable[str | Path] | None = None, *, with_kb: bool | None = None) -> list[Violation]:
    """Validate the shipped knowledge base, or ``files`` (with the schema, and the kb if asked).

    With no ``files``, the shipped knowledge base is checked. With ``files``,
    they are checked together with the schema; ``with_kb=True`` adds the
    shipped knowledge base so the files may refer to its entities.
    """
    from pyshacl import validate as shacl_validate  # heavy: import on use

    paths = [Path(p) for p in files or []]
    if not paths:
        selected = store.kb_files()
    else:
        selected = store.kb_files() if with_kb else [store.ontology_dir() / "tkigraph.ttl"]
        selected = [*selected, *paths]
    data, origin = _load_with_origins(selected)
    shapes = store.new_graph()
    store.parse_into(shapes, store.shapes_file())
    _conforms, results, _text = shacl_validate(data, shacl_graph=shapes, inference="none",
                                               allow_warnings=True, advanced=True)
    return sorted(_violations(results, origin))


def _violations(results: Graph, origin: dict[Node, str]) -> list[Violation]:
    from rdflib import URIRef

    def one(node: Node, name: str) -> Node | None:
        return results.value(node, URIRef(SH + name))

    out = []
    for result in results.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        focus = one(result, "focusNode")
        path = one(result, "resultPath")
        value = one(result, "value")
        severity = one(result, "resultSeverity")
        message = one(result, "resultMessage")
        out.append(Violation(
            file=origin.get(focus, "") if focus is not None else "",
            node=curie(str(focus)) if focus is not None else "",
            path=curie(str(path)) if path is not None else "",
            message=str(message) if message is not None else "shape not satisfied",
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            value=curie(str(value)) if value is not None else "",
        ))
    return out
