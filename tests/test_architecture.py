"""The package's shape (issue 13): no import cycle, and no module imports one above its layer.

Imports are read from the source (every import statement, inside functions too; those
under ``if TYPE_CHECKING:`` do not run and are left out). The layers, lowest first,
are documented in docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import tkigraph

ROOT = Path(tkigraph.__file__).parent

#: module prefix -> layer (the longest matching prefix wins); a module may import its own layer or lower
LAYERS = {
    "tkigraph.version": 0, "tkigraph.errors": 0, "tkigraph.namespaces": 0, "tkigraph.rdfterms": 0, "tkigraph.atomic": 0,
    "tkigraph.hostile": 1, "tkigraph.variants": 1, "tkigraph.names": 1,
    "tkigraph.storage": 2, "tkigraph.reader": 2, "tkigraph.model": 2,
    "tkigraph.resolve": 2, "tkigraph.graph": 3, "tkigraph.coverage": 3, "tkigraph.describe": 3, "tkigraph.validate": 3,
    "tkigraph.sparql": 3, "tkigraph.explainer": 3, "tkigraph.sources": 3,
    "tkigraph.render": 4, "tkigraph.export": 4, "tkigraph.api": 4,
    "tkigraph.cli": 5, "tkigraph.__main__": 5, "tkigraph": 5,
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(tree: ast.AST):
    """Import nodes, skipping the bodies of ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in _runtime_imports(child))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _runtime_imports(node)


def import_graph() -> nx.DiGraph:
    modules = {_name(p): p for p in ROOT.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module or ""
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module for a in node.names]
            else:
                targets = [a.name for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    return graph


def layer(module: str) -> int:
    prefix = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[prefix]


def test_no_import_cycle():
    cycles = sorted(" -> ".join(c) for c in nx.simple_cycles(import_graph()))
    assert not cycles, f"break these cycles (move the shared piece into a lower module): {cycles}"


def test_no_module_imports_one_above_its_layer():
    upward = sorted(f"{a} (layer {layer(a)}) imports {b} (layer {layer(b)})"
                    for a, b in import_graph().edges if layer(b) > layer(a))
    assert not upward, f"invert these imports or move the code down a layer (docs/architecture.md): {upward}"


def test_every_module_has_a_layer():
    assert all(layer(m) is not None for m in import_graph().nodes)
