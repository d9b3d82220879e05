"""CIViC clinical evidence (TSV export) -> tkigraph findings, with every row accounted for.

Run it alone: ``python -m tkigraph.sources.civic FILE`` prints the account.

Both header layouts are read: the 2018 one (``gene, variant, drugs,
clinical_significance, pubmed_id, rating ...``) and the current one
(``molecular_profile, therapies, therapy_interaction_type, significance,
citation_id, source_type ...``); an unknown header is refused with the columns
expected. Each data row ends in exactly one of:

* **imported**: predictive evidence about at least one drug of the knowledge base
  (resolved by label, synonym or code name) with a significance we map, giving
  one finding per drug (or one about the combination);
* **skipped**, with the reason: not predictive, no kinase inhibitor of the
  knowledge base, significance not applicable, an OR/NOT molecular profile;
* **rejected**, with its line number and the reason: a malformed line or field.

The mapping (also in the README):

==========================  ===================================================
CIViC                       tkigraph
==========================  ===================================================
Sensitivity(/Response)      ``tkg:effect tkg:Sensitive``
Resistance (or Non-Resp.)   ``tkg:Resistant``
Reduced Sensitivity         ``tkg:ReducedSensitivity``
Does Not Support            ``tkg:negated true`` (kept, never flipped)
level A, B, C / D, E        ``tkg:Clinical`` / ``tkg:InVitro``; ``tkg:civicLevel`` keeps the letter
rating                      ``tkg:civicRating``
PubMed id, citation         ``dcterms:source pubmed:<id>``, a ``tkg:Publication`` (first author,
                            year, journal parsed from "Gorre et al., 2001, Science")
evidence id, URL            ``dcterms:identifier "EID<id>"``, ``prov:wasDerivedFrom <url>``
(every finding)             ``dcterms:publisher "civic"`` (its origin in ``explain``)
==========================  ===================================================

Mechanism: sensitivity -> target dependence; resistance through an
amplification or expression change -> target amplification when the drug
inhibits the gene (or its fusion), else bypass activation; any other
alteration of a target -> on-target mutation; of RAS/RAF/MEK/PI3K/PTEN/NF1/PLCG2
-> downstream alteration; of any other gene -> bypass activation.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..errors import InputFileError
from ..model import KnowledgeBase
from ..namespaces import DCTERMS, PROV, PUBMED, RDF, TKD, TKG, XSD
from .entities import EntityMapper
from .table import Reject, Table, read_table

__all__ = ["LAYOUTS", "Account", "import_file", "import_table", "check_table", "EFFECTS", "LEVELS", "NIGHTLY_URL"]

#: the current nightly export, for ``tkigraph import civic --download``
NIGHTLY_URL = "https://civicdb.org/downloads/nightly/nightly-ClinicalEvidenceSummaries.tsv"

#: layout -> the columns it must have (more are allowed)
LAYOUTS: dict[str, tuple[str, ...]] = {
    "2018": ("gene", "variant", "disease", "doid", "drugs", "evidence_type", "evidence_direction",
             "evidence_level", "clinical_significance", "evidence_statement", "pubmed_id", "citation",
             "rating", "evidence_id", "evidence_civic_url"),
    "current": ("molecular_profile", "molecular_profile_id", "disease", "doid", "therapies",
                "therapy_interaction_type", "evidence_type", "evidence_direction", "evidence_level",
                "significance", "evidence_statement", "citation_id", "source_type", "evidence_id",
                "evidence_civic_url"),
}

#: significance (lower case, both layouts) -> effect
EFFECTS = {
    "sensitivity": TKG.Sensitive, "sensitivity/response": TKG.Sensitive,
    "resistance or non-response": TKG.Resistant, "resistance": TKG.Resistant,
    "reduced sensitivity": TKG.ReducedSensitivity,
}
#: CIViC evidence level -> our evidence level
LEVELS = {"A": TKG.Clinical, "B": TKG.Clinical, "C": TKG.Clinical, "D": TKG.InVitro, "E": TKG.InVitro}
#: genes below the receptor kinases: their alterations are downstream pathway alterations
DOWNSTREAM = {"KRAS", "NRAS", "HRAS", "BRAF", "MAP2K1", "MAP2K2", "MAPK1", "PIK3CA", "PIK3R1", "AKT1", "AKT2",
              "AKT3", "PTEN", "NF1", "PLCG2", "MTOR"}
#: a note on combinations of the 2018 layout, which does not say how the drugs were given
UNSPECIFIED = ("The CIViC 2018 export lists these drugs in one evidence item without saying whether they "
               "were given together or as alternatives; recorded as a combination of unknown kind.")


@dataclass
class Account:
    """What became of every row: read = imported + skipped + rejected."""

    path: str
    layout: str
    rows_read: int = 0
    imported: int = 0
    findings: int = 0
    skipped: Counter = field(default_factory=Counter)
    rejected: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def balanced(self) -> bool:
        return self.rows_read == self.imported + self.skipped_total + len(self.rejected)

    def to_dict(self) -> dict:
        return {"layout": self.layout, "rows_read": self.rows_read, "imported": self.imported,
                "skipped": self.skipped_total, "rejected": len(self.rejected), "findings": self.findings,
                "skipped_by_reason": dict(sorted(self.skipped.items())), "notes": self.notes}

    def summary(self) -> str:
        lines = [f"rows read: {self.rows_read} = imported {self.imported} + skipped {self.skipped_total}"
                 f" + rejected {len(self.rejected)}", f"findings: {self.findings}"]
        lines += [f"  skipped, {reason}: {n}" for reason, n in sorted(self.skipped.items(), key=lambda i: (-i[1], i[0]))]
        lines += [f"  rejected, line {r.line}: {r.reason}" for r in self.rejected[:20]]
        if len(self.rejected) > 20:
            lines.append(f"  ... and {len(self.rejected) - 20} more rejected rows")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


class _Skip(Exception):
    pass


class _Bad(Exception):
    pass


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
    """The layout whose required columns the header has; otherwise InputFileError listing them."""
    for name, columns in LAYOUTS.items():
        if set(columns) <= set(header):
            return name
    expected = "; ".join(f"{name}: {', '.join(cols)}" for name, cols in LAYOUTS.items())
    raise InputFileError(path, "not a CIViC evidence export: the header lacks the expected columns",
                         line=1, hint=f"expected either layout ({expected})")


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


class Importer:
    """Map normalised CIViC rows onto findings in ``self.out``."""

    def __init__(self, kb: KnowledgeBase, layout: str) -> None:
        from ..store import new_graph

        self.kb, self.layout = kb, layout
        self.out: Graph = new_graph()
        self.entities = EntityMapper(kb, self.out)
        self.seen: set[str] = set()

    # -- one row -------------------------------------------------------------------
    def row(self, row: dict[str, str]) -> int:
        """Add the row's findings; return how many. Raises _Skip or _Bad."""
        eid = row["evidence_id"]
        if not eid.isdigit():
            raise _Bad(f"evidence_id {eid!r} is not a number")
        if eid in self.seen:
            raise _Bad(f"evidence_id {eid} appears twice in the file (the first one was kept)")
        self.seen.add(eid)
        if row["evidence_type"].lower() != "predictive":
            raise _Skip("not predictive evidence")
        names = split_drugs(row["drugs"] if self.layout == "2018" else row["therapies"])
        ours = {name: self.entities.drug(name) for name in names}
        if not any(ours.values()):
            raise _Skip("no kinase inhibitor of the knowledge base")
        significance = row["clinical_significance" if self.layout == "2018" else "significance"]
        effect = EFFECTS.get(significance.lower())
        if effect is None:
            raise _Skip(f"significance not applicable ({significance or 'empty'})")
        negated = self._direction(row["evidence_direction"])
        level, rating = self._level(row)
        source = self._source(row)
        variant = self.entities.variant(self._profile(row))
        disease = self.entities.disease(row["doid"], row["disease"])
        drugs = self._drugs(names, ours, row)
        for n, drug in enumerate(drugs, 1):
            self._finding(TKD[f"civic_EID{eid}_{n}"], row, variant, drug, disease, effect, negated,
                          level, rating, source)
        return len(drugs)

    def _direction(self, text: str) -> bool:
        value = text.lower()
        if value not in ("supports", "does not support"):
            raise _Bad(f"evidence_direction {text!r} is neither 'Supports' nor 'Does Not Support'")
        return value == "does not support"

    def _level(self, row: dict[str, str]) -> tuple[str, int | None]:
        level = row["evidence_level"].upper()
        if level not in LEVELS:
            raise _Bad(f"evidence_level {row['evidence_level']!r} is not one of A, B, C, D, E")
        text = row.get("rating", row.get("evidence_rating", ""))
        if not text:
            return level, None
        if not text.isdigit() or not 1 <= int(text) <= 5:
            raise _Bad(f"rating {text!r} is not a whole number from 1 to 5")
        return level, int(text)

    def _source(self, row: dict[str, str]) -> URIRef:
        if self.layout == "2018":
            kind, ident = "pubmed", row["pubmed_id"]
        else:
            kind, ident = row["source_type"].lower(), row["citation_id"]
        if not ident:
            raise _Bad("no source: the citation id is empty")
        if kind == "pubmed":
            if not ident.isdigit():
                raise _Bad(f"PubMed id {ident!r} is not a number")
            node = PUBMED[ident]
        elif kind in ("asco", "ash"):
            node = TKD[f"civic_{kind.upper()}_{re.sub(r'[^A-Za-z0-9]+', '_', ident)}"]
        else:
            raise _Bad(f"source_type {row['source_type']!r} is not PubMed, ASCO or ASH")
        self._publication(node, row.get("citation", ""), f"{kind} {ident}")
        return node

    def _publication(self, node: URIRef, citation: str, fallback: str) -> None:
        if (node, None, None) in self.kb.graph or (node, RDF.type, None) in self.out:
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
        if self.layout == "2018":
            if not row["gene"] or not row["variant"]:
                raise _Bad("gene or variant is empty")
            return [(row["gene"], row["variant"])]
        profile = row["molecular_profile"]
        if re.search(r"\b(OR|NOT)\b", profile):
            raise _Skip("molecular profile with OR or NOT (not representable)")
        parts = []
        for part in re.split(r"\s+AND\s+", profile):
            gene, _, name = part.strip().partition(" ")
            if not gene or not name.strip():
                raise _Bad(f"molecular profile {profile!r}: {part!r} names no variant")
            parts.append((gene, name.strip()))
        return parts

    def _drugs(self, names: list[str], ours: dict, row: dict[str, str]) -> list[URIRef]:
        if len(names) == 1:
            return [ours[names[0]]]
        nodes = [ours[n] or self.entities.other_drug(n) for n in names]
        if self.layout == "2018":
            return [self.entities.combination(nodes, UNSPECIFIED)]
        if row["therapy_interaction_type"].lower() == "combination":
            return [self.entities.combination(nodes)]
        return [ours[n] for n in names if ours[n] is not None]  # substitutes, sequential: one finding each

    def _mechanism(self, effect: URIRef, variant: URIRef, drug: URIRef) -> URIRef:
        if effect == TKG.Sensitive:
            return TKG.TargetDependence
        target = self.entities.is_target(drug, variant)
        if self.entities.variant_class(variant) & {TKG.Amplification, TKG.ExpressionChange}:
            return TKG.TargetAmplification if target else TKG.BypassActivation
        if target:
            return TKG.OnTargetMutation
        if self.entities.gene_symbols(variant) & DOWNSTREAM:
            return TKG.DownstreamAlteration
        return TKG.BypassActivation

    def _finding(self, node, row, variant, drug, disease, effect, negated, level, rating, source) -> None:
        out, eid = self.out, row["evidence_id"]
        out.add((node, RDF.type, TKG.Finding))
        out.add((node, TKG.variant, variant))
        out.add((node, TKG.drug, drug))
        if disease is not None:
            out.add((node, TKG.disease, disease))
        out.add((node, TKG.effect, effect))
        out.add((node, TKG.mechanism, self._mechanism(effect, variant, drug)))
        out.add((node, TKG.evidenceLevel, LEVELS[level]))
        out.add((node, TKG.civicLevel, Literal(level)))
        if rating is not None:
            out.add((node, TKG.civicRating, Literal(rating, datatype=XSD.integer)))
        statement = row["evidence_statement"] or f"CIViC evidence item EID{eid} (no statement given)."
        out.add((node, TKG.statement, Literal(statement)))
        if negated:
            out.add((node, TKG.negated, Literal(True)))
        out.add((node, DCTERMS.source, source))
        out.add((node, DCTERMS.identifier, Literal(f"EID{eid}")))
        out.add((node, DCTERMS.publisher, Literal("civic")))
        url = row["evidence_civic_url"] or f"https://civicdb.org/links/evidence_items/{eid}"
        out.add((node, PROV.wasDerivedFrom, URIRef(url.replace(" ", "%20"))))


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
    if kb is None:
        from .. import load

        kb = load()
    importer = Importer(kb, layout)
    account = Account(path, layout, notes=list(table.notes))
    for number, row in table.rows():
        account.rows_read += 1
        if isinstance(row, Reject):
            account.rejected.append(row)
        else:
            try:
                account.findings += importer.row(row)
                account.imported += 1
            except _Skip as why:
                account.skipped[str(why)] += 1
            except _Bad as why:
                account.rejected.append(Reject(number, str(why), row.get("evidence_id", "")))
        if progress is not None:
            progress(1)
    return importer.out, account


def main(argv: list[str] | None = None) -> int:
    """``python -m tkigraph.sources.civic FILE``: import FILE in memory and print the account."""
    from ..errors import TkigraphError

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tkigraph.sources.civic FILE.tsv", file=sys.stderr)
        return 2
    try:
        graph, account = import_file(args[0])
    except TkigraphError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"{args[0]} ({account.layout} layout): {len(graph)} triples")
    print(account.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
