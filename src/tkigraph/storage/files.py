"""Open the knowledge base: locate the shipped Turtle, parse it, derive the direct triples.

The shipped knowledge base is ``ontology/tkigraph.ttl`` (the schema) plus every
``ontology/kb/*.ttl`` file (the curated entities and findings). In an installed
wheel these live in ``tkigraph/ontology``; in a source checkout, in the
repository's ``ontology/`` folder.

After parsing, :func:`derive` adds the direct triples that findings imply, so a
plain triple pattern answers "what resists imatinib?"::

    ?finding tkigraph:variant ?v ; tkigraph:drug ?d ; tkigraph:effect tkigraph:Resistant
        => ?v tkigraph:confersResistanceTo ?d
    (tkigraph:ReducedSensitivity => tkigraph:reducesSensitivityTo,
     tkigraph:Sensitive => tkigraph:retainsSensitivityTo; negated findings imply nothing)

and gives every finding the claim it makes (``?finding tkigraph:supports ?claim``, ``?claim a
tkigraph:Claim``): one claim per variant, drug, disease, effect and direction, whichever sources
support it (see ``docs/importing.md``).

Imported sources (``tkigraph import civic FILE``) live in the user data
directory (:func:`data_dir`: ``$TKIGRAPH_DATA_DIR``, else platformdirs'
``user_data_dir("tkigraph")``) as ``sources/<name>.ttl`` with a
``sources/<name>.json`` account; :func:`installed_sources` lists them and
``load_graph(sources=...)`` adds them beside the curated files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputFileError, TkigraphError
from ..namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.parser import InputSource
    from rdflib.term import Node

__all__ = ["ontology_dir", "kb_files", "shapes_file", "load_graph", "parse_into", "check_parses", "derive", "rule_digest",
           "data_dir", "sources_dir", "installed_sources", "source_metadata", "DATA_DIR_ENV"]

#: environment variable that overrides the user data directory (tests point it at a temporary folder)
DATA_DIR_ENV = "TKIGRAPH_DATA_DIR"

def ontology_dir() -> Path:
    """The folder holding ``tkigraph.ttl``, ``shapes.ttl`` and ``kb/``."""
    package = Path(__file__).resolve().parents[1]  # tkigraph/ (this file is tkigraph/storage/files.py)
    packaged = package / "ontology"
    if (packaged / "tkigraph.ttl").is_file():
        return packaged
    checkout = package.parents[1] / "ontology"
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
    from rdflib import Graph

    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def parse_into(graph: Graph, path: str | Path) -> None:
    """Parse one Turtle file into ``graph``; a bad file raises :class:`InputFileError`."""
    from rdflib import Graph

    from ..hostile import check_literals

    scratch = Graph()
    _parse(Path(path), scratch)
    check_literals(Path(path), scratch)
    graph += scratch  # only a fully parsed, clean file is added


def check_parses(path: str | Path) -> None:
    """Refuse (:class:`InputFileError`) what :func:`parse_into` refuses, keeping no triple: each is
    checked as the parser gives it, so memory does not grow with the file."""
    _parse(Path(path), _checking_sink(Path(path)))


def _checking_sink(path: Path) -> Graph:
    """A graph that keeps nothing: each triple added is checked (:func:`tkigraph.hostile.check_parsed`), then dropped."""
    from rdflib import Graph

    from ..hostile import check_parsed

    checked: set[str] = set()

    class Checking(Graph):
        def add(self, triple: tuple[Node, Node, Node]) -> Checking:
            check_parsed(path, triple, checked)
            return self

    return Checking()


def _parse(path: Path, graph: Graph) -> None:
    """The loader's checks of the file's text, then rdflib's Turtle parser into ``graph``."""
    from ..hostile import check_file, check_text

    check_file(path)
    try:
        data = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(str(path), f"not UTF-8 text (byte {exc.start})",
                             hint="save the file as UTF-8") from None
    check_text(path, data)
    try:
        graph.parse(source=_text_source(data), format="turtle", publicID=path.resolve().as_uri())
    except InputFileError:  # a triple the checking sink refused
        raise
    except Exception as exc:  # rdflib raises BadSyntax and a few others
        line = getattr(exc, "lines", None)
        reason = getattr(exc, "_why", None) or str(exc).splitlines()[0]
        raise InputFileError(str(path), f"invalid Turtle: {reason}",
                             line=line + 1 if isinstance(line, int) else None,
                             hint="fix the syntax at that line (is a prefix declared, a string closed?)") from None


def _text_source(text: str) -> InputSource:
    """``text`` as rdflib's parser reads it, without the two copies ``parse(data=text)`` makes (a StringIO
    holds four bytes a character): the Turtle parser reads its source's character stream once, whole."""
    from io import StringIO

    from rdflib.parser import InputSource

    class Whole(StringIO):
        unread = True

        def read(self, size: int | None = -1) -> str:  # all of it, then the end
            whole, self.unread = (text if self.unread else ""), False
            return whole

    source = InputSource()
    source.setCharacterStream(Whole())
    return source


def data_dir() -> Path:
    """The user data directory: ``$TKIGRAPH_DATA_DIR`` if set, else ``user_data_dir("tkigraph")``."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    from .userdirs import user_dir

    return user_dir("data")


def sources_dir() -> Path:
    """Where imported sources are written: ``<data dir>/sources``."""
    return data_dir() / "sources"


def installed_sources() -> dict[str, Path]:
    """Imported sources, name -> Turtle file (those with both ``<name>.ttl`` and ``<name>.json``)."""
    folder = sources_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.ttl")) if p.with_suffix(".json").is_file()}


def source_metadata(name: str) -> dict[str, Any]:
    """The account written beside an imported source (empty if unreadable)."""
    try:
        metadata: dict[str, Any] = json.loads((sources_dir() / f"{name}.json").read_text(encoding="utf-8"))
        return metadata
    except (OSError, ValueError):
        return {}


def resolve_source(source: str = "all") -> tuple[tuple[str, ...], bool]:
    """(imported sources to load, whether to keep the curated findings) for a source choice:
    ``"all"`` (curated plus every installed import), ``"curated"``, or one import's name (its
    findings over the curated entities)."""
    if source == "curated":
        return (), True
    if source == "all":
        return tuple(installed_sources()), True
    return (source,), False


def source_files(sources: Iterable[str] = ()) -> list[Path]:
    """The Turtle files of the named imported sources; a name not installed raises TkigraphError."""
    installed = installed_sources()
    files = []
    for name in sources:
        if name not in installed:
            raise TkigraphError(f"source {name!r} is not installed (in {sources_dir()})",
                                f"import it first: tkigraph import {name} FILE (or --download)")
        files.append(installed[name])
    return files


def load_graph(extra: Iterable[str | Path] = (), *, include_kb: bool = True, sources: Iterable[str] = (),
               curated_findings: bool = True) -> Graph:
    """Load the shipped knowledge base (and ``extra`` Turtle files) with derived triples.

    The result comes from the persistent cache (:mod:`tkigraph.storage.cache`) when the
    files' bytes are unchanged. With ``include_kb=False`` only the schema and
    ``extra`` are loaded. ``sources``
    names imported sources to add (see :func:`installed_sources`); with
    ``curated_findings=False`` the curated findings are left out (their entities
    stay), so only imported evidence speaks.
    """
    from ..hostile import check_file
    from .cache import cached

    base = kb_files() if include_kb else kb_files()[:1]
    added = [*source_files(sources), *map(Path, extra)]
    for path in added:
        check_file(path)  # before the cache key reads its bytes: a FIFO or a huge file is refused at once

    def build() -> Graph:
        graph = new_graph()
        for path in base:
            parse_into(graph, path)
        if not curated_findings:
            for finding in set(findings(graph)):
                graph.remove((finding, None, None))
        for path in added:
            parse_into(graph, path)
        derive(graph)
        return graph

    return cached([*base, *added], (include_kb, curated_findings, len(base), rule_digest()), build)


def findings(graph: Graph) -> Iterator[Node]:
    """Every finding node of the graph."""
    from ..rdfterms import RDF, TKG

    return graph.subjects(RDF.type, TKG.Finding)


def derive_update() -> str:
    """The derive rule: one SPARQL UPDATE (``tkigraph/sparql/derive.ru``), run by Oxigraph and rdflib alike."""
    # shipped inside the package, read by path: importlib.resources costs a few milliseconds on every call's key
    return (Path(__file__).parent.parent / "sparql" / "derive.ru").read_text(encoding="utf-8")


def rule_digest() -> str:
    """A short digest of the derive rule: part of every cache key, so a changed rule rebuilds the caches."""
    import hashlib

    return hashlib.sha256(derive_update().encode("utf-8")).hexdigest()[:16]


def derive(graph: Graph) -> int:
    """Add the direct variant -> drug triples implied by findings; return how many were new."""
    before = len(graph)
    graph.update(derive_update())
    return len(graph) - before
