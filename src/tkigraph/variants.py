"""Parse the ways people write a variant into one canonical query.

>>> parse_variant("p.Thr315Ile").changes
('T315I',)
>>> parse_variant("BCR::ABL1 T315I").gene
'BCR-ABL1'
>>> q = parse_variant("T790M/C797S in cis"); (q.changes, q.phase)
(('T790M', 'C797S'), 'cis')
>>> parse_variant("exon 19 deletion").category
'exon19del'
>>> q = parse_variant("Ex19del+T790M"); (q.changes, q.categories)
(('T790M',), ('exon19del',))
>>> parse_variant("EGFR L858R mutation").changes
('L858R',)

The parser knows nothing of the graph: :mod:`tkigraph.resolve` matches the
query against the variants the knowledge base holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["VariantQuery", "parse_variant", "three_to_one", "AA3"]

#: three-letter amino-acid code -> one-letter code
AA3 = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
}
_AA = "ACDEFGHIKLMNPQRSTVWY"
_AA3_RE = re.compile("|".join(AA3), re.IGNORECASE)

#: category phrases -> canonical category key (matched after lower-casing and squeezing)
CATEGORIES = {
    "exon19deletion": "exon19del", "exon19del": "exon19del", "ex19del": "exon19del",
    "exon19deletions": "exon19del", "del19": "exon19del",
    "exon20insertion": "exon20ins", "exon20ins": "exon20ins", "ex20ins": "exon20ins",
    "exon20insertions": "exon20ins",
    "exon14skipping": "exon14_skipping", "exon14": "exon14_skipping", "ex14skipping": "exon14_skipping",
    "metex14": "exon14_skipping", "exon14skip": "exon14_skipping",
    "itd": "ITD", "internaltandemduplication": "ITD",
    "amplification": "amplification", "amp": "amplification", "copynumbergain": "amplification",
    "overexpression": "overexpression", "expression": "overexpression",
    "fusion": "fusion", "fusions": "fusion", "rearrangement": "fusion", "genefusion": "fusion",
    "genefusions": "fusion", "generearrangement": "fusion",
    "exon11mutation": "exon11_mutation", "exon11": "exon11_mutation",
    "exon9mutation": "exon9_mutation", "exon9": "exon9_mutation",
    "loss": "loss", "deletion": "loss", "lossoffunction": "loss",
    "mutation": "mutation", "mutations": "mutation",
}

_POINT = re.compile(rf"^([{_AA}])(\d+)([{_AA}*])$")
_CODON = re.compile(rf"^([{_AA}])(\d+)$")
_CLASS = re.compile(rf"^([{_AA}])(\d+)X$")
_INDEL = re.compile(
    rf"^([{_AA}]\d+)(?:_([{_AA}]\d+))?(del|dup|ins[{_AA}]+|delins[{_AA}]+|del[{_AA}]*ins[{_AA}]+)$"
)
_GENE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:(?:-|::)[A-Za-z][A-Za-z0-9]*)?$")
_PHASE = re.compile(r"\s*[\(,]?\s*(?:in\s+)?(cis|trans)\s*\)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class VariantQuery:
    """A parsed variant expression (gene and changes in canonical one-letter form)."""

    text: str
    gene: str | None = None
    changes: tuple[str, ...] = ()
    kind: str = "name"  # point | codon | class | indel | category | compound | name
    category: str | None = None
    phase: str | None = None  # cis | trans | None
    categories: tuple[str, ...] = ()  # category parts of a compound ('Ex19del+T790M')

    @property
    def is_compound(self) -> bool:
        return len(self.changes) + len(self.categories) > 1


def three_to_one(text: str) -> str:
    """Replace three-letter amino acids by one-letter codes (``Thr315Ile`` -> ``T315I``)."""
    return _AA3_RE.sub(lambda m: AA3[m.group(0).capitalize()], text)


#: words after a change that do not change it ('L858R mutation', 'T790M-positive')
_SUFFIX = re.compile(r"(?:[\s\-]+(?:mutations?|mutant|mut|variant|substitution|positive|\+ve|alteration))+$",
                     re.IGNORECASE)


#: an exon named before a change ('exon 21 L858R', 'ex20 T790M'): the change says it all
_EXON_PREFIX = re.compile(r"^(?:exon|ex)\s*\d+\s+(?=\S)", re.IGNORECASE)
#: the classes that may stand beside changes in a compound written with spaces ('del19 T790M')
_SPACED_CLASSES = {"exon19del", "exon20ins", "exon14_skipping", "ITD"}


def _canonical_change(token: str) -> tuple[str, str] | None:
    """(canonical change, kind) for one change token, or None if it is not a change."""
    raw = _EXON_PREFIX.sub("", _SUFFIX.sub("", token.strip()))
    if raw.lower().startswith("p."):
        raw = raw[2:]
    raw = raw.strip("()")
    if not raw:
        return None
    one = three_to_one(raw) if re.search(r"[A-Z][a-z]{2}\d", raw) else raw
    upper = one.upper()
    indel = _INDEL.match(upper.replace("INS", "ins").replace("DEL", "del").replace("DUP", "dup"))
    if indel:
        return indel.group(0), "indel"
    for pattern, kind in ((_POINT, "point"), (_CLASS, "class"), (_CODON, "codon")):
        if pattern.match(upper):
            return upper, kind
    return None


def _category(text: str) -> str | None:
    return CATEGORIES.get(re.sub(r"[\s_\-]+", "", text.lower()))


def _changes_or_category(text: str) -> tuple[tuple[str, ...], str, str | None, tuple[str, ...]] | None:
    """(changes, kind, category, category parts) when ``text`` is a list of changes or a category, else None."""
    tokens = [t for t in re.split(r"\s*(?:\+|/|\band\b|,)\s*", text) if t]
    changes = [_canonical_change(t) for t in tokens]
    found = [c for c in changes if c is not None]
    if tokens and len(found) == len(changes):
        canon = tuple(c[0] for c in found)
        return canon, ("compound" if len(canon) > 1 else found[0][1]), None, ()
    if len(tokens) > 1 and all(c or _category(t) for c, t in zip(changes, tokens)):  # 'Ex19del+T790M'
        canon = tuple(c[0] for c in found)
        cats = tuple(cat for c, t in zip(changes, tokens) if c is None and (cat := _category(t)) is not None)
        return canon, "compound", None, cats
    category = _category(_SUFFIX.sub("", text) if _category(text) is None else text)
    if category:
        return (), "category", category, ()
    return _spaced_compound(text)


def _spaced_compound(text: str) -> tuple[tuple[str, ...], str, str | None, tuple[str, ...]] | None:
    """'L858R T790M', 'del19 T790M': two or more changes (or an exon class beside a change) joined by spaces."""
    tokens = text.split()
    if len(tokens) < 2:
        return None
    changes = [_canonical_change(t) for t in tokens]
    cats = [None if c else _category(t) for c, t in zip(changes, tokens)]
    if not any(changes) or not all(c or cat in _SPACED_CLASSES for c, cat in zip(changes, cats)):
        return None
    canon = tuple(c[0] for c in changes if c)
    parts = tuple(cat for cat in cats if cat)
    if len(canon) == 1 and not parts:
        return None
    return canon, "compound", None, parts


def _gene_splits(text: str) -> Iterator[tuple[str, str]]:
    """Candidate (gene, rest) splits: 'BCR::ABL1 T315I', 'EGFR-T790M', 'FLT3-ITD'."""
    parts = text.split(None, 1)
    if len(parts) == 2 and _GENE.match(parts[0]):
        yield parts[0], parts[1]
    if " " not in text and "-" in text:
        head, _, tail = text.rpartition("-")
        if _GENE.match(head):
            yield head, tail


def parse_variant(text: str, gene: str | None = None) -> VariantQuery:
    """Parse ``text`` into a :class:`VariantQuery`; unknown forms come back with kind 'name'."""
    original = text
    text = " ".join(str(text).split())
    phase = None
    found = _PHASE.search(text)
    if found and re.search(r"[+/]|\band\b", text):
        phase = found.group(1).lower()
        text = text[: found.start()].strip()
    given = gene.replace("::", "-") if gene else None
    parsed = _changes_or_category(text)
    if parsed:
        return VariantQuery(original, given, parsed[0], parsed[1], parsed[2], phase, parsed[3])
    for head, rest in _gene_splits(text):
        parsed = _changes_or_category(rest)
        if parsed:
            return VariantQuery(original, head.replace("::", "-"), parsed[0], parsed[1], parsed[2], phase, parsed[3])
    return VariantQuery(original, given, (), "name", None, None)
