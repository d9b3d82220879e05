"""The resistance map of one drug: how it fails, grouped by mechanism, laid out before the page opens.

:func:`compute` finds the alterations with findings against the drug, puts each in
one mechanism category (on-target mutation, target amplification, bypass pathway
...), and judges each (variant, drug) pair with the matrix's
:func:`~tkigraph.render.matrix.cell_verdict` (the verdict of ``tkigraph explain``).
:func:`layout` places the drug at the centre and the categories around it as
labelled boxes, each alteration a chip inside its box, with plain geometry
(:mod:`.geometry`): no label overlaps another, and every connector runs in the
empty gutters between boxes. :func:`map_page` writes the self-contained page (an
SVG drawn from those positions; nothing moves).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, TypedDict

from ..explainer.style import VERDICT_STYLE
from ..explainer.verdict import Verdict
from ..model import Entity, Evidence, KnowledgeBase, Level, Node
from ..namespaces import TKG, curie
from .geometry import Box, text_width
from .matrix import Cell, cell_verdict
from .network import _iri, evidence_json
from .page import page

__all__ = ["CATEGORIES", "LEVEL_RADIUS", "DrugMap", "Item", "AlternativeJSON", "Layout", "PlacedGroup", "PlacedItem",
           "compute", "layout", "label_boxes", "map_data", "map_page"]

#: mechanism categories in the order they are drawn: (key, title, mechanism CURIEs)
CATEGORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("on_target", "On-target mutation", ("tkigraph:OnTargetMutation",)),
    ("amplification", "Target amplification", ("tkigraph:TargetAmplification",)),
    ("bypass", "Bypass pathway", ("tkigraph:BypassActivation",)),
    ("downstream", "Downstream alteration", ("tkigraph:DownstreamAlteration",)),
    ("efflux", "Efflux and metabolism", ("tkigraph:DrugEfflux", "tkigraph:DrugMetabolism")),
    ("transformation", "Histologic transformation", ("tkigraph:LineageTransformation",)),
    ("microenvironment", "Microenvironment", ("tkigraph:TumourMicroenvironment",)),
    ("persister", "Epigenetic / persister", ("tkigraph:EpigeneticChange",)),
    # a resistance finding whose mechanism is missing or is not one of the above is never hidden
    ("other", "Mechanism not stated", ()),
)
_CATEGORY_OF = {m: key for key, _, ms in CATEGORIES for m in ms}
_ORDER = {key: n for n, (key, _, _) in enumerate(CATEGORIES)}

#: evidence level -> radius (px) of the marker of an alteration: stronger evidence, bigger dot
LEVEL_RADIUS: dict[str, float] = {Level.GUIDELINE_OR_LABEL: 9.0, Level.CLINICAL: 7.5, Level.IN_VIVO: 6.0,
                                  Level.IN_VITRO: 4.5, Level.UNKNOWN: 3.5}



class AlternativeJSON(TypedDict):
    """A drug of the class that works against an alteration, as ``tkigraph alternatives`` lists it."""

    drug: str
    verdict: str
    level: str


@dataclass
class Item:
    """One alteration on the map: its verdict against the drug, and what else works."""

    entity: Entity
    category: str
    gene: str  # the gene (or fusion) it is a variant of; '' for an alteration without one
    short: str  # the label without the gene (shown under the gene's heading)
    cell: Cell
    level: str
    alternatives: list[AlternativeJSON] = field(default_factory=list)


@dataclass
class DrugMap:
    """What the map shows: the drug, its items by category, and what was left out."""

    drug: Entity
    items: list[Item]
    disease: Entity | None = None
    active_against: list[str] = field(default_factory=list)  # alterations with only sensitivity (target dependence)


def _gene_of(kb: KnowledgeBase, node: Node) -> str:
    gene = kb.graph.value(node, TKG.variantOf)
    return kb.label(gene) if gene is not None else ""


def _short(label: str, gene: str) -> str:
    return label[len(gene) + 1:] if gene and label.startswith(gene + " ") and len(label) > len(gene) + 1 else label


def _peers(kb: KnowledgeBase, drug: Node) -> set[str]:
    """Drugs of the same class as ``drug``: sharing a target or an indication with it (CURIEs)."""
    g, T = kb.graph, TKG
    peers = {curie(d) for t in g.objects(drug, T.inhibits) for d in g.subjects(T.inhibits, t)}
    peers |= {curie(d) for x in g.objects(drug, T.indicatedFor) for d in g.subjects(T.indicatedFor, x)}
    return peers - {curie(drug)}


def _alternatives(kb: KnowledgeBase, variant: str, disease: str | None, peers: set[str]) -> list[AlternativeJSON]:
    """Drugs of the class with sensitivity evidence against ``variant``, as ``tkigraph alternatives`` lists them."""
    from ..errors import TkigraphError
    from ..explainer import alternatives

    try:
        found = alternatives(kb, variant, disease=disease)[1]
    except TkigraphError:
        return []
    return [AlternativeJSON(drug=a.drug.label, verdict=str(a.verdict), level=str(a.level))
            for a in found if a.drug.id in peers][:5]


def _category(evidence: list[Evidence]) -> str | None:
    """The category of an alteration: that of its most resistant, best-evidenced finding with a mechanism
    of resistance; "other" for resistance without one; None when the drug is only active against it."""
    ranked = sorted((VERDICT_STYLE[Verdict.of(e.effect) or Verdict.NO_EVIDENCE].severity, e.level_rank,
                     _ORDER[_CATEGORY_OF[e.mechanism.id]])
                    for e in evidence if e.mechanism and e.mechanism.id in _CATEGORY_OF)
    if ranked:
        return CATEGORIES[ranked[0][2]][0]
    return "other" if any(str(e.effect) in ("resistant", "reduced_sensitivity") for e in evidence) else None


def compute(kb: KnowledgeBase, drug: str, *, disease: str | None = None, alternatives: bool = True) -> DrugMap:
    """The map of ``drug`` (a name, synonym or CURIE), with ``disease``'s findings only when given."""
    from ..explainer.evidence import disease_scope
    from ..resolve import Resolver

    kb = kb.remembering()  # each alteration's verdict and alternatives read the same findings again
    resolver = Resolver(kb)
    drug_node = resolver.drug(drug)
    disease_node = resolver.disease(disease) if disease else None
    scope = disease_scope(kb, disease_node) or None
    by_variant: dict[str, list[Evidence]] = {}
    for finding in kb.findings_of(drug=drug_node):
        ev = kb.evidence(finding)
        if ev.negated or (scope and ev.disease is not None and ev.disease.id not in scope):
            continue
        by_variant.setdefault(ev.variant.id, []).append(ev)
    items: list[Item] = []
    active: list[str] = []
    peers = _peers(kb, drug_node)
    for variant_id, evidence in sorted(by_variant.items()):
        category = _category(evidence)
        if category is None:
            active.append(evidence[0].variant.label)
            continue
        node = _iri(kb, variant_id)
        cell = cell_verdict(kb, node, drug_node, scope)
        deciding = [e for e in cell.evidence if not e.negated and str(e.effect) == cell.verdict] or evidence
        best = min(deciding, key=lambda e: e.level_rank)
        gene = _gene_of(kb, node)
        entity = evidence[0].variant
        items.append(Item(entity, category, gene, _short(entity.label, gene), cell, str(best.level),
                          _alternatives(kb, variant_id, disease, peers) if alternatives else []))
    return DrugMap(kb.entity(drug_node), items, kb.entity(disease_node) if disease_node is not None else None,
                   sorted(active, key=str.lower))


# -- layout -------------------------------------------------------------------------
FONT, TITLE_FONT, HEADER_FONT, DRUG_FONT = 13.0, 14.0, 12.0, 20.0
CHIP_H, ROW_GAP, COL_GAP, PAD = 24.0, 5.0, 12.0, 12.0
TITLE_H, HEADER_H = 28.0, 20.0
MARKER = 2 * max(LEVEL_RADIUS.values())  # the marker column of a chip
GUTTER, GROUP_GAP, MARGIN = 80.0, 22.0, 20.0
#: a group taller than this (px) spreads its chips over more columns; a map too wide for the window is laid out
#: again with taller groups (fewer columns), the first that fits, else the one drawn largest
GROUP_MAX_H = 540.0
TALLER_GROUPS = (540.0, 700.0, 860.0, 960.0)
#: the space between the drug and its groups (px): a narrower one only where the wider would not fit
GUTTERS = (GUTTER, 56.0, 40.0)
#: the window a map is drawn for at full size (px)
WINDOW_W, WINDOW_H = 1600.0, 1000.0


def _natural(text: str) -> tuple[int | str, ...]:
    return tuple(int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text))


def _sections(items: list[Item]) -> list[tuple[str, list[Item]]]:
    genes: dict[str, list[Item]] = {}
    for item in items:
        genes.setdefault(item.gene, []).append(item)
    # the gene with the strongest evidence first (BCR-ABL1 for imatinib), then the one with more alterations
    best = {g: min(Level(i.level).rank for i in members) for g, members in genes.items()}
    order = sorted(genes, key=lambda g: (g == "", best[g], -len(genes[g]), g.lower()))
    return [(g, sorted(genes[g], key=lambda i: (VERDICT_STYLE[i.cell.verdict].severity, Level(i.level).rank,
                                                 _natural(i.short)))) for g in order]


def _chip_width(label: str) -> float:
    return 6 + MARKER + 6 + text_width(label, FONT) + 8


def _group_size(title: str, sections: list[tuple[str, list[Item]]],
                columns: int) -> tuple[float, float, list[float]]:
    """(width, height, each column's chip width) of a group whose sections spread over ``columns`` columns,
    row by row: a column is as wide as its widest chip, so one long label widens one column, not all."""
    cols_used = max(min(columns, len(items)) for _, items in sections)
    widths = [0.0] * cols_used
    height = PAD + TITLE_H
    for gene, items in sections:
        for n, item in enumerate(items):
            col = n % columns
            widths[col] = max(widths[col], _chip_width(item.short if gene else item.entity.label))
        height += (HEADER_H if gene else 0) + math.ceil(len(items) / columns) * (CHIP_H + ROW_GAP)
    width = max(sum(widths) + (cols_used - 1) * COL_GAP,
                text_width(title, TITLE_FONT, bold=True),
                max((text_width(g, HEADER_FONT, bold=True) for g, _ in sections), default=0)) + 2 * PAD
    return width, height + PAD - ROW_GAP, widths


class _Section(TypedDict):
    """One gene's chips in a group, placed relative to the group's corner."""

    gene: str
    header: list[float] | None
    chips: list[tuple[Item, list[float]]]


class _Group(TypedDict):
    """A group of the map, placed relative to its own corner (see :func:`_absolute`)."""

    key: str
    title: str
    count: int
    size: list[float]
    sections: list[_Section]


class Header(TypedDict):
    """A gene's heading in a group: its text and box (page px)."""

    text: str
    box: list[float]


class PlacedItem(TypedDict):
    """One alteration's chip (page px): its box, its label's box and its marker (x, y, radius)."""

    id: str
    text: str
    box: list[float]
    label_box: list[float]
    marker: list[float]


class PlacedGroup(TypedDict):
    """One mechanism category's box on the page (page px)."""

    key: str
    title: str
    count: int
    box: list[float]
    title_box: list[float]
    headers: list[Header]
    items: list[PlacedItem]


class Connector(TypedDict):
    """The line from the drug to a group: its points (page px)."""

    group: str
    points: list[list[float]]


class PlacedDrug(TypedDict):
    """The drug at the centre: its label, its box and its label's box (page px)."""

    label: str
    box: list[float]
    label_box: list[float]


class Layout(TypedDict):
    """Everything :func:`layout` places: the page size, the drug, the groups and the connectors."""

    size: list[float]
    drug: PlacedDrug
    groups: list[PlacedGroup]
    edges: list[Connector]


def _place_group(key: str, title: str, items: list[Item], max_h: float = GROUP_MAX_H) -> _Group:
    title = f"{title} ({len(items)})"
    sections = _sections(items)
    columns, size = 1, _group_size(title, sections, 1)
    while size[1] > max_h and columns < 6:
        columns += 1
        size = _group_size(title, sections, columns)
    width, height, widths = size
    lefts = [PAD + sum(widths[:c]) + c * COL_GAP for c in range(len(widths))]
    placed: list[_Section] = []
    group: _Group = {"key": key, "title": title, "count": len(items), "size": [width, height], "sections": placed}
    y = PAD + TITLE_H
    for gene, members in sections:
        chips: list[tuple[Item, list[float]]] = []
        section: _Section = {"gene": gene, "header": [PAD, y, text_width(gene, HEADER_FONT, bold=True), HEADER_H - 4]
                   if gene else None, "chips": chips}
        y += HEADER_H if gene else 0
        for n, item in enumerate(members):
            row, col = divmod(n, columns)
            chips.append((item, [lefts[col], y + row * (CHIP_H + ROW_GAP), widths[col], CHIP_H]))
        y += math.ceil(len(members) / columns) * (CHIP_H + ROW_GAP)
        placed.append(section)
    return group


def _column_height(column: list[_Group]) -> float:
    """The height of groups stacked in one column, with the gaps between them."""
    return sum(g["size"][1] for g in column) + GROUP_GAP * max(0, len(column) - 1)


def _columns(groups: list[_Group]) -> tuple[list[_Group], list[_Group]]:
    """Split the groups between the left and the right of the drug, keeping their order: of the splits whose
    columns fit the window's height, the narrowest (the widest group of each side sets its width), then the
    best balanced; with none that fits, heights are balanced. (A map has at most one group a mechanism
    category, so every split can be tried.)"""
    def split(mask: int) -> tuple[list[_Group], list[_Group]]:  # bit i set: group i goes right
        return [g for i, g in enumerate(groups) if not mask >> i & 1], [g for i, g in enumerate(groups) if mask >> i & 1]

    fitting = []
    for mask in range(1 << len(groups)):
        sides = split(mask)
        tallest = max(_column_height(sides[0]), _column_height(sides[1]))
        if tallest <= WINDOW_H - 2 * MARGIN:
            fitting.append((sum(max((g["size"][0] for g in side), default=0.0) for side in sides), tallest, mask))
    if fitting:
        return split(min(fitting)[2])
    heights = [0.0, 0.0]
    side: dict[str, int] = {}
    for group in sorted(groups, key=lambda g: -g["size"][1]):
        n = 0 if heights[0] <= heights[1] else 1
        side[group["key"]] = n
        heights[n] += group["size"][1] + GROUP_GAP
    return [g for g in groups if side[g["key"]] == 0], [g for g in groups if side[g["key"]] == 1]


def layout(drug_map: DrugMap) -> Layout:
    """Positions (page px) of every box, label and connector of the map; see the module docstring.

    Groups spread over more columns when taller than :data:`GROUP_MAX_H`; a map wider than the
    window (imatinib's, with its many BCR-ABL1 and KIT mutations) is laid out again with taller
    groups, and the first layout that fits the window is kept, else the one drawn largest.
    """
    best: Layout | None = None
    for max_h, gutter in ((h, g) for h in TALLER_GROUPS for g in GUTTERS):
        placed = _layout(drug_map, max_h, gutter)
        width, height = placed["size"]
        if width <= WINDOW_W and height <= WINDOW_H:
            return placed
        if best is None or max(width / WINDOW_W, height / WINDOW_H) < max(best["size"][0] / WINDOW_W,
                                                                            best["size"][1] / WINDOW_H):
            best = placed
    assert best is not None
    return best


def _layout(drug_map: DrugMap, max_h: float, gutter: float) -> Layout:
    groups = [_place_group(key, title, [i for i in drug_map.items if i.category == key], max_h)
              for key, title, _ in CATEGORIES if any(i.category == key for i in drug_map.items)]
    left, right = _columns(groups)
    drug_label = drug_map.drug.label
    drug_w, drug_h = max(140.0, text_width(drug_label, DRUG_FONT, bold=True) + 40), 64.0

    left_w = max((g["size"][0] for g in left), default=0.0)
    right_w = max((g["size"][0] for g in right), default=0.0)
    height = max(_column_height(left), _column_height(right), drug_h + 40) + 2 * MARGIN
    drug_x = MARGIN + left_w + (2 * gutter if left else 0)
    width = drug_x + drug_w + (2 * gutter + right_w if right else 0) + MARGIN
    cy = height / 2
    drug_box: Box = (drug_x, cy - drug_h / 2, drug_w, drug_h)
    out_groups: list[PlacedGroup] = []
    edges: list[Connector] = []
    for column, is_left in ((left, True), (right, False)):
        y = cy - _column_height(column) / 2
        for group in column:
            gw, gh = group["size"]
            gx = MARGIN + left_w - gw if is_left else drug_x + drug_w + 2 * gutter
            out_groups.append(_absolute(group, gx, y))
            anchor_y = y + PAD + TITLE_H / 2
            if is_left:
                trunk = drug_x - gutter
                edges.append({"group": group["key"], "points": [[drug_x, cy], [trunk, cy], [trunk, anchor_y],
                                                                [gx + gw, anchor_y]]})
            else:
                trunk = drug_x + drug_w + gutter
                edges.append({"group": group["key"], "points": [[drug_x + drug_w, cy], [trunk, cy],
                                                                [trunk, anchor_y], [gx, anchor_y]]})
            y += gh + GROUP_GAP
    label_w = text_width(drug_label, DRUG_FONT, bold=True)
    drug: PlacedDrug = {"label": drug_label, "box": list(drug_box),
            "label_box": [drug_x + (drug_w - label_w) / 2, cy - DRUG_FONT * 0.65, label_w, DRUG_FONT * 1.3]}
    return {"size": [width, height], "drug": drug, "groups": out_groups, "edges": edges}


def _absolute(group: _Group, gx: float, gy: float) -> PlacedGroup:
    gw, gh = group["size"]
    out: PlacedGroup = {"key": group["key"], "title": group["title"], "count": group["count"], "box": [gx, gy, gw, gh],
           "title_box": [gx + PAD, gy + PAD, text_width(group["title"], TITLE_FONT, bold=True), TITLE_H - 8],
           "headers": [], "items": []}
    for section in group["sections"]:
        if section["header"]:
            hx, hy, hw, hh = section["header"]
            out["headers"].append({"text": section["gene"], "box": [gx + hx, gy + hy, hw, hh]})
        for item, (cx, cy, cw, ch) in section["chips"]:
            text = item.short if section["gene"] else item.entity.label
            out["items"].append({"id": item.entity.id, "text": text, "box": [gx + cx, gy + cy, cw, ch],
                                 "label_box": [gx + cx + 6 + MARKER + 6, gy + cy + (ch - FONT * 1.3) / 2,
                                               text_width(text, FONT), FONT * 1.3],
                                 "marker": [gx + cx + 6 + MARKER / 2, gy + cy + ch / 2,
                                            LEVEL_RADIUS.get(item.level, 3.5)]})
    return out


def _box(values: list[float]) -> Box:
    x, y, w, h = values
    return x, y, w, h


def label_boxes(placed: Layout) -> list[Box]:
    """Every label box of a laid-out map: the drug's, the group titles, gene headings and chip labels."""
    boxes = [_box(placed["drug"]["label_box"])]
    for group in placed["groups"]:
        boxes.append(_box(group["title_box"]))
        boxes += [_box(h["box"]) for h in group["headers"]]
        boxes += [_box(i["label_box"]) for i in group["items"]]
    return boxes


# -- the page -----------------------------------------------------------------------
def _title(drug_map: DrugMap) -> str:
    where = f" in {drug_map.disease.label}" if drug_map.disease else ""
    return f"How {drug_map.drug.label} fails{where}: resistance map"


def map_data(drug_map: DrugMap) -> dict[str, Any]:
    """The JSON the page embeds: the layout, each item's verdict, evidence and alternatives."""
    placed = layout(drug_map)
    items: dict[str, dict[str, object]] = {}
    for item in drug_map.items:
        cell = item.cell
        items[item.entity.id] = {
            "label": item.entity.label, "gene": item.gene, "category": item.category, "verdict": cell.verdict,
            "conflicting": cell.conflicting, "inferred": cell.inferred, "matched_at": cell.matched_at,
            "fold": cell.fold, "level": item.level, "alternatives": item.alternatives,
            "evidence": [evidence_json(e) for e in cell.evidence]}
    counts: dict[str, int] = {}
    for item in drug_map.items:
        counts[item.cell.verdict] = counts.get(item.cell.verdict, 0) + 1
    return {"meta": {"title": _title(drug_map), "drug": drug_map.drug.to_dict(),
                     "disease": drug_map.disease.to_dict() if drug_map.disease else None},
            "layout": placed, "items": items, "counts": counts, "active_against": drug_map.active_against,
            # the drug and the alterations as nodes, like the graph page (a page's data always names them)
            "nodes": [drug_map.drug.to_dict()] + [i.entity.to_dict() for i in drug_map.items],
            "verdicts": {v: {"colour": s.colour, "tint": s.tint, "label": s.label} for v, s in VERDICT_STYLE.items()},
            "levels": {str(k): r for k, r in LEVEL_RADIUS.items() if k != Level.UNKNOWN},
            "fonts": {"item": FONT, "title": TITLE_FONT, "header": HEADER_FONT, "drug": DRUG_FONT}}


def map_page(drug_map: DrugMap) -> str:
    """The map as one self-contained HTML page (an SVG; hover for alternatives, click for evidence)."""
    return page("drugmap", _title(drug_map), map_data(drug_map))
