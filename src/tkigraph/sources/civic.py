"""CIViC clinical evidence (TSV export) -> tkigraph findings, with every row accounted for.

Run it alone: ``python -m tkigraph.sources.civic FILE`` prints the account.

Three header layouts are read, detected from the header (:data:`LAYOUTS`): the 2018
nightly one (``gene, variant, drugs, clinical_significance, pubmed_id ...``), the
2019-2021 monthly one (``drugs, drug_interaction_type, citation_id, source_type ...``)
and the 2022+ molecular-profile one (``molecular_profile, therapies,
therapy_interaction_type, significance ...``); an unknown header is refused, naming
the columns it lacks. Each data row ends in exactly one of (see
:mod:`tkigraph.sources.account`):

* **imported**: predictive evidence about at least one kinase inhibitor (of the
  knowledge base, or a new one recognised by its INN stem: :mod:`tkigraph.sources.drugs`)
  with a significance we map, giving one finding per drug (or one about the combination);
* **merged**: the same claim from the same publication as an earlier row: its EID
  is added to that finding;
* **skipped**, with the reason: not accepted (submitted or rejected evidence) or flagged
  in CIViC, not predictive, no kinase inhibitor (antibodies, chemotherapy), significance or
  direction not applicable, an OR/NOT molecular profile;
* **rejected**, with its line number and the reason: a malformed or hostile line or field
  (control or bidirectional characters, a DOID that is not a number, a URL that is not
  http(s)). Nothing the loader would refuse is ever written (:mod:`tkigraph.sources.safe`).

The mapping (also in the README):

==========================  ===================================================
CIViC                       tkigraph
==========================  ===================================================
Sensitivity(/Response)      ``tkigraph:effect tkigraph:Sensitive``
Resistance (or Non-Resp.)   ``tkigraph:Resistant``
Reduced Sensitivity         ``tkigraph:ReducedSensitivity``
Does Not Support            ``tkigraph:negated true`` (kept, never flipped)
level A, B, C / D, E        ``tkigraph:Clinical`` / ``tkigraph:InVitro``; ``tkigraph:civicLevel`` keeps the letter
rating                      ``tkigraph:civicRating``
PubMed id, citation         ``dcterms:source pubmed:<id>``, a ``tkigraph:Publication`` (first author,
                            year, journal parsed from "Gorre et al., 2001, Science")
evidence id, URL            ``dcterms:identifier "EID<id>"``, ``prov:wasDerivedFrom <url>``
(every finding)             ``dcterms:publisher "civic"`` (its origin in ``explain``)
==========================  ===================================================

The mechanism follows :mod:`tkigraph.sources.mechanism`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..errors import InputFileError
from ..model import KnowledgeBase
from ..namespaces import RECORD_PAGES
from ..rdfterms import DCTERMS, PROV, PUBMED, RDF, TKD, TKG, XSD
from .account import IMPORTED, MERGED, Account, Bad, Skip, run
from .claims import note_repeats
from .drugs import Drugs, count_new, non_tki_reason
from .entities import EntityMapper
from .mechanism import mechanism_of
from .safe import UnsafeTerm, check_symbol, guarded_graph, quoted, safe_url
from .seen import SeenIds
from .storage import curated_kb
from .table import Table, read_table

__all__ = [
    "EFFECTS",
    "LAYOUTS",
    "LEVELS",
    "LICENCE",
    "NIGHTLY_URL",
    "Account",
    "check_table",
    "import_file",
    "import_table",
]

#: the current nightly export, for ``tkigraph import civic --download``
NIGHTLY_URL = "https://civicdb.org/downloads/nightly/nightly-ClinicalEvidenceSummaries.tsv"
#: CIViC's licence (its content is a public-domain dedication)
LICENCE = "CC0-1.0"

#: layout -> the columns it must have (more are allowed); detected in this order
LAYOUTS: dict[str, tuple[str, ...]] = {
    "2022": ("molecular_profile", "molecular_profile_id", "disease", "doid", "therapies",
             "therapy_interaction_type", "evidence_type", "evidence_direction", "evidence_level",
             "significance", "evidence_statement", "citation_id", "source_type", "evidence_id",
             "evidence_civic_url"),
    "2021": ("gene", "variant", "disease", "doid", "drugs", "drug_interaction_type", "evidence_type",
             "evidence_direction", "evidence_level", "clinical_significance", "evidence_statement", "citation_id",
             "source_type", "citation", "rating", "evidence_id", "evidence_civic_url"),
    "2018": ("gene", "variant", "disease", "doid", "drugs", "evidence_type", "evidence_direction",
             "evidence_level", "clinical_significance", "evidence_statement", "pubmed_id", "citation",
             "rating", "evidence_id", "evidence_civic_url"),
}

#: significance (lower case, every layout) -> effect
EFFECTS = {
    "sensitivity": TKG.Sensitive, "sensitivity/response": TKG.Sensitive,
    "resistance or non-response": TKG.Resistant, "resistance": TKG.Resistant,
    "reduced sensitivity": TKG.ReducedSensitivity,
}
#: CIViC evidence level -> our evidence level
LEVELS = {"A": TKG.Clinical, "B": TKG.Clinical, "C": TKG.Clinical, "D": TKG.InVitro, "E": TKG.InVitro}
#: a note on drug lists that do not say how the drugs were given (2018 layout; 2021 rows without a type)
UNSPECIFIED = ("The CIViC export lists these drugs in one evidence item without saying whether they "
               "were given together or as alternatives; recorded as a combination of unknown kind.")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), 1)}


def parse_citation(citation: str) -> tuple[str | None, str | None, str | None]:
    """'Gorre et al., 2001, Science' -> ('Gorre', '2001', 'Science'); missing parts are None.

    >>> parse_citation("Fiala et al., Cancer Genet")
    ('Fiala', None, 'Cancer Genet')
    """
    parts = [p.strip() for p in citation.split(", ") if p.strip()]
    year = next((p for p in parts if re.fullmatch(r"\d{4}", p)), None)
    rest = [p for p in parts if p != year]
    author = re.sub(r"\s+et al\.?$", "", rest[0]) if len(rest) > 1 else None
    journal = rest[-1] if rest else None
    return author or None, year, journal


def detect_layout(header: list[str], path: str) -> str:
    """The layout whose required columns the header has; otherwise InputFileError naming what is missing."""
    for name, columns in LAYOUTS.items():
        if set(columns) <= set(header):
            return name
    missing = {name: [c for c in columns if c not in header] for name, columns in LAYOUTS.items()}
    closest = min(missing, key=lambda name: len(missing[name]))
    others = "; ".join(f"the {name} layout lacks {len(cols)}" for name, cols in missing.items() if name != closest)
    raise InputFileError(path, f"not a CIViC evidence export of a known layout: the header lacks "
                         f"{', '.join(missing[closest])} (closest: the {closest} layout; {others})", line=1,
                         hint="pass a CIViC ClinicalEvidenceSummaries TSV (2018 nightly, 2019-2021 monthly, "
                              "or the 2022+ molecular-profile release)")


def split_drugs(text: str) -> list[str]:
    """'Erlotinib, BEZ235 (NVP-BEZ235, Dactolisib)' -> ['Erlotinib', 'BEZ235 (NVP-BEZ235, Dactolisib)']."""
    out, depth, current = [], 0, ""
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == "," and depth <= 0:
            out.append(current.strip())
            current = ""
        else:
            current += char
    out.append(current.strip())
    return [d for d in out if d]


def release_of(path: str | Path) -> str | None:
    """The release date in a CIViC file name ('01-Aug-2021-ClinicalEvidenceSummaries.tsv' -> '2021-08-01')."""
    match = re.match(r"(\d{2})-([A-Za-z]{3})-(\d{4})-", Path(path).name)
    if not match or match.group(2).lower() not in _MONTHS:
        return None
    day, month, year = match.groups()
    return f"{year}-{_MONTHS[month.lower()]:02d}-{day}"


def normalise(row: dict[str, str], layout: str) -> dict[str, str]:
    """The fields the importer uses, under one name whatever the layout."""
    old = layout in ("2018", "2021")
    return {
        "eid": row["evidence_id"], "type": row["evidence_type"], "direction": row["evidence_direction"],
        "level": row["evidence_level"], "rating": row.get("rating", ""), "statement": row["evidence_statement"],
        "drugs": row["drugs" if old else "therapies"],
        "interaction": "" if layout == "2018" else row["drug_interaction_type" if old else "therapy_interaction_type"],
        "significance": row["clinical_significance" if old else "significance"],
        "source_kind": "pubmed" if layout == "2018" else row["source_type"].lower(),
        "source_id": row["pubmed_id" if layout == "2018" else "citation_id"],
        "citation": row.get("citation", ""), "doid": row["doid"], "disease": row["disease"],
        "url": row["evidence_civic_url"], "profile": row["molecular_profile"] if not old else "",
        "gene": row["gene"] if old else "", "variant": row["variant"] if old else "",
        "status": row.get("evidence_status", ""), "flagged": row.get("is_flagged", ""),
    }


@dataclass(frozen=True)
class ClaimKey:
    """What one imported finding says: rows with the same key (the same claim from the same publication) merge
    into one finding. The importer's own key, not a ``tkigraph:Claim`` (derived later, across sources)."""

    variant: URIRef
    drug: URIRef
    disease: URIRef | None
    effect: URIRef
    negated: bool
    level: str  # CIViC's letter, A to E
    source: URIRef


class Importer:
    """Map CIViC rows onto findings in ``self.out`` (a :class:`~tkigraph.sources.safe.GuardedGraph`)."""

    def __init__(self, kb: KnowledgeBase, layout: str) -> None:
        self.kb, self.layout = kb, layout
        self.out = guarded_graph()
        self.entities = EntityMapper(kb, self.out)
        self.drugs = Drugs(self.entities, "civic")
        self.seen = SeenIds()  #: the evidence ids read so far
        self.claims: dict[ClaimKey, URIRef] = {}

    def forget(self) -> None:
        """Drop what was cached about entities (after a row was rolled back)."""
        self.entities.forget()
        self.claims = {k: f for k, f in self.claims.items() if (f, RDF.type, TKG.Finding) in self.out}

    # -- one row -------------------------------------------------------------------
    def row(self, raw: dict[str, str]) -> tuple[str, int]:
        """Add the row's findings: (IMPORTED or MERGED, how many new findings). Raises Skip or Bad."""
        row = normalise(raw, self.layout)
        eid = row["eid"]
        if not eid.isdigit():
            raise Bad(f"evidence_id {quoted(eid)} is not a number")
        if eid in self.seen:
            raise Bad(f"evidence_id {eid} appears twice in the file (the first one was kept)")
        self.seen.add(eid)
        status = row["status"].strip().lower()
        if status and status != "accepted":  # submitted or rejected: not yet (or never) reviewed
            raise Skip(f"evidence status {status} (only accepted evidence is imported)")
        if row["flagged"].strip().lower() in ("true", "t", "yes", "1"):
            raise Skip("flagged in CIViC (under review for a problem)")
        if row["type"].lower() != "predictive":
            raise Skip("not predictive evidence")
        names = split_drugs(row["drugs"])
        ours = {name: self.drugs.resolve(name) for name in names}
        if not any(self.drugs.is_kinase_inhibitor(d) for d in ours.values() if d is not None):
            raise Skip(non_tki_reason(names))
        effect = EFFECTS.get(row["significance"].lower())
        if effect is None:
            raise Skip(f"significance not applicable ({row['significance'] or 'empty'})")
        negated = self._direction(row["direction"])
        level, rating = self._level(row)
        source = self._source(row)
        url = self._url(row)
        variant = self.entities.variant(self._profile(row))
        disease = self._disease(row)
        new = 0
        for n, drug in enumerate(self._drugs(names, ours, row), 1):
            key = ClaimKey(variant, drug, disease, effect, negated, level, source)
            if key in self.claims:  # the same claim from the same publication: one finding, both ids
                self.out.add_compact((self.claims[key], DCTERMS.identifier, Literal(f"EID{eid}")))
                self.out.add_compact((self.claims[key], PROV.wasDerivedFrom, url))
                continue
            node = TKD[f"civic_EID{eid}_{n}"]
            self.claims[key] = node
            self._finding(node, row, key, rating, url)
            new += 1
        return (IMPORTED if new else MERGED), new

    def _direction(self, text: str) -> bool:
        value = text.lower()
        if value in ("n/a", ""):
            raise Skip(f"evidence direction not applicable ({text or 'empty'})")
        if value not in ("supports", "does not support"):
            raise Bad(f"evidence_direction {quoted(text)} is neither 'Supports' nor 'Does Not Support'")
        return value == "does not support"

    def _level(self, row: dict[str, str]) -> tuple[str, int | None]:
        level = row["level"].upper()
        if level not in LEVELS:
            raise Bad(f"evidence_level {quoted(row['level'])} is not one of A, B, C, D, E")
        text = row["rating"]
        if not text:
            return level, None
        if not text.isdigit() or not 1 <= int(text) <= 5:
            raise Bad(f"rating {quoted(text)} is not a whole number from 1 to 5")
        return level, int(text)

    def _source(self, row: dict[str, str]) -> URIRef:
        kind, ident = row["source_kind"], row["source_id"]
        if not ident:
            raise Bad("no source: the citation id is empty")
        if kind == "pubmed":
            if not ident.isdigit():
                raise Bad(f"PubMed id {quoted(ident)} is not a number")
            node = PUBMED[ident]
        elif kind in ("asco", "ash"):
            node = TKD[f"civic_{kind.upper()}_{re.sub(r'[^A-Za-z0-9]+', '_', ident)}"]
        else:
            raise Bad(f"source_type {quoted(kind)} is not PubMed, ASCO or ASH")
        self._publication(node, row["citation"], f"{kind} {ident}")
        return node

    def _url(self, row: dict[str, str]) -> URIRef:
        text = row["url"] or RECORD_PAGES["civic"].format(row["eid"])
        try:
            return URIRef(safe_url(text))
        except UnsafeTerm as why:
            raise Bad(f"evidence_civic_url: {why}") from None

    def _disease(self, row: dict[str, str]) -> URIRef | None:
        doid = row["doid"].strip().removeprefix("DOID:")
        if doid and not doid.isdigit():
            raise Bad(f"doid {quoted(row['doid'])} is not a number")
        return self.entities.disease(doid, row["disease"])

    def _publication(self, node: URIRef, citation: str, fallback: str) -> None:
        if (node, None, None) in self.entities.graph or (node, RDF.type, None) in self.out:
            return
        out = self.out
        out.add((node, RDF.type, TKG.Publication))
        out.add((node, DCTERMS.title, Literal(citation or fallback)))
        out.add((node, TKG.verification, TKG.VerifiedCIViC))
        author, year, journal = parse_citation(citation)
        if author:
            out.add((node, TKG.firstAuthor, Literal(author)))
        if year:
            out.add((node, DCTERMS.date, Literal(year, datatype=XSD.gYear)))
        else:
            out.add((node, TKG.sourceNote, Literal(f"CIViC gives no year in its citation {citation!r}.")))
        if journal:
            out.add((node, TKG.journal, Literal(journal)))

    def _profile(self, row: dict[str, str]) -> list[tuple[str, str]]:
        if self.layout != "2022":
            if not row["gene"] or not row["variant"]:
                raise Bad("gene or variant is empty")
            return [(check_symbol(row["gene"]), row["variant"])]
        profile = row["profile"]
        if re.search(r"\b(OR|NOT)\b", profile):
            raise Skip("molecular profile with OR or NOT (not representable)")
        parts = []
        for part in re.split(r"\s+AND\s+", profile):
            gene, _, name = part.strip().partition(" ")
            if not gene or not name.strip():
                raise Bad(f"molecular profile {quoted(profile)}: {quoted(part)} names no variant")
            parts.append(_fusion_part(gene, name.strip()))
        return parts

    def _drugs(self, names: list[str], ours: dict[str, URIRef | None], row: dict[str, str]) -> list[URIRef]:
        if len(names) == 1:
            only = ours[names[0]]
            return [only] if only is not None else []  # never empty: row() skips rows naming none of our drugs
        interaction = row["interaction"].lower()
        if interaction in ("substitutes", "sequential"):  # one finding per kinase inhibitor
            return [drug for drug in (ours[n] for n in names) if drug is not None]
        nodes = [ours[n] or self.entities.other_drug(n) for n in names]
        if interaction == "combination":
            return [self.entities.combination(nodes)]
        return [self.entities.combination(nodes, UNSPECIFIED)]

    def _finding(self, node: URIRef, row: dict[str, str], claim: ClaimKey, rating: int | None, url: URIRef) -> None:
        out, eid = self.out, row["eid"]
        variant, drug, disease, effect, level = claim.variant, claim.drug, claim.disease, claim.effect, claim.level
        out.add((node, RDF.type, TKG.Finding))
        out.add((node, TKG.variant, variant))
        out.add((node, TKG.drug, drug))
        if disease is not None:
            out.add((node, TKG.disease, disease))
        out.add((node, TKG.effect, effect))
        out.add((node, TKG.mechanism, mechanism_of(self.entities, effect, variant, drug)))
        out.add((node, TKG.evidenceLevel, LEVELS[level]))
        out.add((node, TKG.civicLevel, Literal(level)))
        if rating is not None:
            out.add((node, TKG.civicRating, Literal(rating, datatype=XSD.integer)))
        statement = row["statement"] or f"CIViC evidence item EID{eid} (no statement given)."
        out.add((node, TKG.statement, Literal(statement)))
        if claim.negated:
            out.add((node, TKG.negated, Literal(True)))
        out.add((node, DCTERMS.source, claim.source))
        out.add((node, DCTERMS.identifier, Literal(f"EID{eid}")))
        out.add((node, DCTERMS.publisher, Literal("civic")))
        out.add((node, PROV.wasDerivedFrom, url))


def _fusion_part(gene: str, name: str) -> tuple[str, str]:
    """A profile part as (gene, variant name); 'EML4::ALK Fusion' (HGVS fusion notation) -> ('ALK', 'EML4-ALK').

    >>> _fusion_part("EML4::ALK", "Fusion"), _fusion_part("ALK", "F1174L")
    (('ALK', 'EML4-ALK'), ('ALK', 'F1174L'))
    """
    if "::" not in gene:
        return check_symbol(gene), name
    five, _, three = gene.partition("::")
    fusion = f"{check_symbol(five)}-{check_symbol(three)}"
    return three, fusion if name.lower() == "fusion" else f"{fusion} {name}"


def import_file(path: str | Path, kb: KnowledgeBase | None = None,
                progress: Callable[[int], None] | None = None) -> tuple[Graph, Account]:
    """Read a CIViC evidence export: (the imported triples, the account of every row).

    Whole-file problems raise :class:`~tkigraph.errors.InputFileError`; ``progress``
    is called with 1 after each row.
    """
    return import_table(read_table(path), kb, progress)


def check_table(table: Table) -> str:
    """The table's layout; InputFileError for an unknown header or a file without data rows."""
    layout = detect_layout(table.header, str(table.path))
    if not table.lines:
        raise InputFileError(str(table.path), "the file has a header but no data rows",
                             hint="download the export again; it may have been cut off")
    return layout


def import_table(table: Table, kb: KnowledgeBase | None = None,
                 progress: Callable[[int], None] | None = None) -> tuple[Graph, Account]:
    """:func:`import_file` on a table already split into lines (``len(table.lines)`` rows)."""
    path, layout = str(table.path), check_table(table)
    importer = Importer(kb if kb is not None else curated_kb(), layout)
    account = Account(path, layout, source="civic", release=release_of(path), licence=LICENCE,
                      notes=list(table.notes))
    run(table.rows(), importer.row, importer.out, account, ident="evidence_id", on_rollback=importer.forget,
        progress=progress)
    account.new_drugs = count_new(importer.out)
    note_repeats(account, importer.entities.graph, importer.out)
    dates = (d for _, row in table.rows() if isinstance(row, dict)
             for d in [row.get("last_review_date", "")[:10]] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d))
    account.newest_record = max(dates, default=None)  # a second streamed pass: memory stays flat
    return importer.out, account


def main(argv: list[str] | None = None) -> int:
    """``python -m tkigraph.sources.civic FILE``: import FILE in memory and print the account."""
    from .account import main_for

    return main_for(import_file,
                    "python -m tkigraph.sources.civic FILE.tsv", argv,
                    lambda path, account: f"{path} ({account.layout} layout)")


if __name__ == "__main__":
    raise SystemExit(main())
