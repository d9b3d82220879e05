"""The network page made legible before it opens: a node cap by importance and a layered layout.

:func:`importance` scores nodes (the focus first, then nearness to it, type and
degree); :func:`cap` keeps the ``max_nodes`` most important and says what was left
out; :func:`layered_layout` places nodes in columns by entity type (diseases, drugs,
variants, kinases and genes, pathways and mechanisms, sources), ordered inside a
column by family (a variant under its gene) and by the mean position of their
neighbours, wrapped into sub-columns wide enough for their labels. Positions are
fixed: the page draws them as they are.
"""

from __future__ import annotations

import math
import re
from collections import deque
from typing import Any

from .geometry import text_width

__all__ = ["LAYERS", "TYPE_WEIGHT", "cap", "importance", "layered_layout"]

#: node type -> column of the layered layout (left to right)
LAYERS = {"disease": 0, "drug": 1, "finding": 2, "variant": 3, "kinase": 4, "fusion": 4, "gene": 4,
          "pathway": 5, "mechanism": 5, "concept": 5, "publication": 6, "thing": 6}
#: how much a node of each type matters when nodes must be left out (and how big its label is)
TYPE_WEIGHT = {"drug": 6, "kinase": 5, "fusion": 5, "gene": 4, "variant": 3, "disease": 3, "pathway": 3,
               "mechanism": 3, "finding": 1, "concept": 1, "publication": 0, "thing": 0}
ROW_GAP, LAYER_GAP, SUB_GAP = 12.0, 110.0, 28.0
#: label font size (px at zoom 1) of the least and the most important node; the page draws the same
FONT_MIN, FONT_MAX = 12.0, 26.0
#: padding (px) of a label inside its box, as vis-network draws it
BOX_MARGIN = 5.0
#: the width:height the layout aims at (a screen's): tall columns wrap into sub-columns until it holds
ASPECT = 1.5


def _adjacency(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = {n["id"]: set() for n in nodes}
    for e in edges:
        if e["from"] in adj and e["to"] in adj and e["from"] != e["to"]:
            adj[e["from"]].add(e["to"])
            adj[e["to"]].add(e["from"])
    return adj


def _distances(adj: dict[str, set[str]], focus: str | None) -> dict[str, int]:
    if focus is None or focus not in adj:
        return {}
    seen, queue = {focus: 0}, deque([focus])
    while queue:
        node = queue.popleft()
        for other in adj[node]:
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    return seen


def importance(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], focus: str | None = None) -> dict[str, float]:
    """A score per node: the focus highest, then nearer the focus, heavier types, more edges."""
    adj = _adjacency(nodes, edges)
    far = _distances(adj, focus)
    score = {}
    for n in nodes:
        near = -10.0 * far.get(n["id"], 9) if far else 0.0
        score[n["id"]] = near + TYPE_WEIGHT.get(n["type"], 0) + 2.0 * math.log1p(len(adj[n["id"]]))
    if focus in score:
        score[focus] = math.inf
    return score


def cap(data: dict[str, Any], max_nodes: int) -> dict[str, Any]:
    """Keep the ``max_nodes`` most important nodes (0 keeps all); ``meta.hidden`` says what was left out."""
    nodes, edges = data["nodes"], data["edges"]
    data["meta"]["hidden"] = {"count": 0, "types": {}, "max_nodes": max_nodes}
    if not max_nodes or len(nodes) <= max_nodes:
        return data
    score = importance(nodes, edges, data["meta"].get("focus"))
    keep = set(sorted(score, key=lambda n: (-score[n], n))[:max_nodes])
    left = [n for n in nodes if n["id"] not in keep]
    types: dict[str, int] = {}
    for n in left:
        types[n["type"]] = types.get(n["type"], 0) + 1
    data["nodes"] = [n for n in nodes if n["id"] in keep]
    data["edges"] = [e for e in edges if e["from"] in keep and e["to"] in keep]
    kept_findings = {f for e in data["edges"] for f in e.get("findings", ())} | {n["id"] for n in data["nodes"]}
    data["evidence"] = {f: ev for f, ev in data["evidence"].items() if f in kept_findings}
    data["meta"]["hidden"] = {"count": len(left), "types": dict(sorted(types.items(), key=lambda t: -t[1])),
                              "max_nodes": max_nodes}
    return data


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", text) if t)


def _values(nodes: list[dict[str, Any]], adj: dict[str, set[str]], focus: str | None) -> dict[str, float]:
    return {n["id"]: round(TYPE_WEIGHT.get(n["type"], 0) + 2.0 * math.log1p(len(adj[n["id"]]))
                           + (10.0 if n["id"] == focus else 0.0) + 1.0, 2) for n in nodes}


def font_sizes(values: dict[str, float]) -> dict[str, float]:
    """The label size of each node, as vis-network scales it from ``value`` (linear between min and max)."""
    low, high = min(values.values(), default=0), max(values.values(), default=0)
    return {n: FONT_MIN + (0.5 if high == low else (v - low) / (high - low)) * (FONT_MAX - FONT_MIN)
            for n, v in values.items()}


def label_box(node: dict[str, Any], font: float) -> tuple[float, float, float, float]:
    """The box (x, y, w, h) a node's label (drawn inside its shape) occupies at zoom 1."""
    w, h = text_width(node["label"], font) + 2 * BOX_MARGIN, font * 1.25 + 2 * BOX_MARGIN
    return (node["x"] - w / 2, node["y"] - h / 2, w, h)


def _column_shape(column: list[dict[str, Any]], fonts: dict[str, float], max_h: float) -> tuple[float, int, int, float]:
    """(row pitch, sub-columns, rows, sub-column width) of one column no taller than ``max_h``."""
    pitch = max(fonts[n["id"]] for n in column) * 1.25 + 2 * BOX_MARGIN + ROW_GAP
    subs = max(1, math.ceil(len(column) * pitch / max_h))
    rows = math.ceil(len(column) / subs)
    width = max(text_width(n["label"], fonts[n["id"]]) for n in column) + 2 * BOX_MARGIN + SUB_GAP
    return pitch, subs, rows, width


def _column_height(columns: list[list[dict[str, Any]]], fonts: dict[str, float]) -> float:
    """The tallest column allowed: the smallest that keeps the picture about as wide as a screen (3:2)."""
    height = 300.0
    while True:
        shapes = [_column_shape(c, fonts, height) for c in columns]
        width = sum(subs * w for _, subs, _, w in shapes) + LAYER_GAP * (len(columns) - 1)
        tallest = max((rows * pitch for pitch, _, rows, _ in shapes), default=0.0)
        if width <= ASPECT * max(tallest, height) or all(subs == 1 for _, subs, _, _ in shapes):
            return height
        height *= 1.2


def layered_layout(data: dict[str, Any]) -> dict[str, Any]:
    """Give every node of ``data`` fixed ``x``, ``y`` (page px) and ``value`` (its importance); returns ``data``."""
    nodes, edges = data["nodes"], data["edges"]
    adj = _adjacency(nodes, edges)
    by_id = {n["id"]: n for n in nodes}
    focus = data["meta"].get("focus")
    values = _values(nodes, adj, focus)
    fonts = font_sizes(values)
    # a variant's family: the gene or fusion it is a variant of (an edge to a node of the next column)
    family = {}
    for e in edges:
        a, b = by_id.get(e["from"]), by_id.get(e["to"])
        if a and b and e["predicate"] == "tkigraph:variantOf":
            family[a["id"]] = b["label"]
    columns: dict[int, list[dict[str, Any]]] = {}
    for n in nodes:
        columns.setdefault(LAYERS.get(n["type"], 6), []).append(n)
    order = sorted(columns)
    position: dict[str, float] = {}
    # first pass: the variant column (usually the largest) by family and name; the others around it
    for layer in order:
        columns[layer].sort(key=lambda n: (family.get(n["id"], n["label"]).lower(), _natural(n["label"])))
    for layer in order:
        for i, n in enumerate(columns[layer]):
            position[n["id"]] = i / max(1, len(columns[layer]) - 1)
    for _ in range(2):  # barycentre sweeps: a node moves towards the mean position of its neighbours
        for layer in order:
            column = columns[layer]
            if LAYERS.get(column[0]["type"]) == LAYERS["variant"]:
                continue  # the variants stay grouped by family
            bary = {n["id"]: (sum(position[m] for m in adj[n["id"]]) / len(adj[n["id"]])
                              if adj[n["id"]] else position[n["id"]]) for n in column}
            column.sort(key=lambda n: (bary[n["id"]], _natural(n["label"])))
            for i, n in enumerate(column):
                position[n["id"]] = i / max(1, len(column) - 1)
    column_h = _column_height([columns[layer] for layer in order], fonts)
    x = 0.0
    for layer in order:
        column = columns[layer]
        pitch, subs, rows, width = _column_shape(column, fonts, column_h)
        top = -rows * pitch / 2
        for i, n in enumerate(column):
            sub, row = divmod(i, rows)
            n["x"] = round(x + sub * width + width / 2, 1)
            n["y"] = round(top + row * pitch + (pitch / 2 if sub % 2 else 0.0), 1)
            n["value"] = values[n["id"]]
        x += subs * width + LAYER_GAP
    return data
