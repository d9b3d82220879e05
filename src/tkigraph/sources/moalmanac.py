"""Molecular Oncology Almanac (the one-file JSON release) -> tkigraph findings, every record accounted for.

Run it alone: ``python -m tkigraph.sources.moalmanac FILE`` prints the account.

MOAlmanac is GPL-2.0: tkigraph never ships it or anything derived from it. The user
supplies ``molecular-oncology-almanac.json`` (a JSON list of assertions, from the
``vanallenlab/moalmanac-db`` repository) and the import stays in their data directory.

Each assertion ends imported, merged, skipped (with the reason) or rejected (with the
line of the file where it starts, and the reason), as in :mod:`tkigraph.sources.account`.

=============================  ====================================================
MOAlmanac                      tkigraph
=============================  ====================================================
therapy_resistance 1           ``tkigraph:Resistant``
therapy_sensitivity 1 / 0      ``tkigraph:Sensitive`` / the same, ``tkigraph:negated true``
neither (prognostic ...)       skipped
FDA-Approved, Guideline        ``tkigraph:GuidelineOrLabel``
Clinical evidence, trial       ``tkigraph:Clinical``
Preclinical, Inferential       ``tkigraph:InVitro``
Somatic/Germline Variant       gene + protein_change (``p.T315I`` -> T315I), else "<gene> mutation"
Copy Number                    "<gene> amplification" / "<gene> deletion" (loss)
Rearrangement                  the fusion ``gene1-gene2``, else "<gene> fusion"
other feature types            skipped (signatures, burden, MSI, knockdown ...)
therapy_name "A + B"           a ``tkigraph:Combination``; a drug is a kinase inhibitor as in
                               :mod:`tkigraph.sources.drugs` (MOAlmanac's NCIt codes become
                               ``skos:exactMatch`` of a new drug; its "<GENE> inhibition"
                               strategy its ``tkigraph:inhibits`` when we know the gene)
pmid / doi / FDA label         ``pubmed:<id>`` / ``doi:<doi>`` / ``tkd:moalmanac_doc_<source_id>``
                               (``tkigraph:DrugLabel`` or ``tkigraph:Guideline``), ``tkigraph:VerifiedMOAlmanac``
assertion_id, description      finding ``tkd:moalmanac_A<id>_1``, ``dcterms:identifier
                               "moalmanac:<id>"``, ``prov:wasDerivedFrom`` its page
                               (``https://moalmanac.org/assertion/<id>``), ``tkigraph:statement``;
                               ``dcterms:publisher "moalmanac"``
=============================  ====================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from ..errors import InputFileError
from ..hostile import check_file
from ..model import KnowledgeBase
from ..namespaces import RECORD_PAGES
from ..rdfterms import DCTERMS, PROV, PUBMED, RDF, TKD, TKG, XSD, expand
from .account import IMPORTED, MERGED, Account, Bad, Skip, run
from .claims import note_repeats
from .drugs import Drugs, count_new, non_tki_reason
from .entities import EntityMapper
from .mechanism import mechanism_of
from .safe import UnsafeTerm, check_symbol, guarded_graph, quoted, safe_url
from .storage import curated_kb
from .table import Reject

__all__ = ["LICENCE", "REQUIRED", "check_records", "import_file", "import_records", "read_records", "strategy_targets"]

#: MOAlmanac's licence: the data may not be bundled into tkigraph
LICENCE = "GPL-2.0"
#: the page of one assertion in the MOAlmanac browser (the assertion id is checked to be a number)
ASSERTION_PAGE = RECORD_PAGES["moalmanac"]
#: the keys every assertion of the one-file release has
REQUIRED = ("feature_type", "disease", "therapy_name", "therapy_strategy", "therapy_type", "therapy_sensitivity",
            "therapy_resistance", "predictive_implication", "description", "source_type", "citation", "url",
            "doi", "pmid", "publication_date", "assertion_id", "source_id")
#: predictive implication -> our evidence level
LEVELS = {"fda-approved": TKG.GuidelineOrLabel, "guideline": TKG.GuidelineOrLabel, "clinical trial": TKG.Clinical,
          "clinical evidence": TKG.Clinical, "preclinical": TKG.InVitro, "inferential": TKG.InVitro}
#: source type -> class of a publication without PubMed id or DOI
DOCUMENTS = {"fda": TKG.DrugLabel, "guideline": TKG.Guideline}
#: MOAlmanac's names of drug targets in "<X> inhibition" that are not one gene symbol -> the genes they name
#: (families name every member a kinase inhibitor of the family is known to act on)
TARGET_ALIASES: dict[str, tuple[str, ...]] = {
    "B-RAF": ("BRAF",), "RAF": ("BRAF", "RAF1"), "BCR-ABL": ("BCR-ABL1",), "MEK": ("MAP2K1", "MAP2K2"),
    "PDGF-R": ("PDGFRA", "PDGFRB"), "ROS": ("ROS1",), "TRK": ("NTRK1", "NTRK2", "NTRK3"),
    "FGFR": ("FGFR1", "FGFR2", "FGFR3"), "JAK": ("JAK1", "JAK2"), "CDK4/6": ("CDK4", "CDK6"),
    "Aurora kinase": ("AURKA", "AURKB"), "Aurora-B kinase": ("AURKB",),
}
#: a strategy part that names the drug's target: "EGFR inhibition", "targets BCR-ABL"
_STRATEGY_TARGET = re.compile(r"\s*(?:([A-Za-z0-9/ -]+?) inhibition|targets ([A-Za-z0-9/-]+))\s*")


def read_records(path: str | Path) -> list[tuple[int, object]]:
    """The assertions of a MOAlmanac JSON release, each with the line it starts on.

    InputFileError for a file that is not one.
    """
    path = Path(path)
    check_file(path)  # the loader's policy: a regular file (a FIFO is refused unopened) within the size limit
    try:
        text = path.read_bytes().decode("utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        raise InputFileError(str(path), f"not UTF-8 text (byte {exc.start})", hint="save the file as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(str(path), f"not JSON: {exc.msg}", line=exc.lineno,
                             hint="pass molecular-oncology-almanac.json, the one-file release") from None
    except RecursionError:
        raise InputFileError(str(path), "JSON nested too deeply to be a MOAlmanac release",
                             hint="pass molecular-oncology-almanac.json, the one-file release") from None
    if isinstance(data, dict):
        raise InputFileError(str(path), "a JSON object, not the list of assertions of the one-file release",
                             hint="pass molecular-oncology-almanac.json (not a file of the referenced/ layout)")
    if not isinstance(data, list):
        raise InputFileError(str(path), "not a JSON list of assertions", hint="pass molecular-oncology-almanac.json")
    return list(zip(_start_lines(text), data, strict=True))


def _start_lines(text: str) -> list[int]:
    """The line on which each element of the JSON list ``text`` starts (the text is valid JSON)."""
    decoder, space = json.JSONDecoder(), re.compile(r"[\s,]*")
    index, line, last = text.index("[") + 1, 1, 0
    lines: list[int] = []
    while True:
        skip = space.match(text, index)
        assert skip is not None  # [\s,]* matches anywhere, if only the empty string
        index = skip.end()
        if text[index] == "]":
            return lines
        line += text.count("\n", last, index)
        last = index
        lines.append(line)
        index = decoder.raw_decode(text, index)[1]


def check_records(records: list[tuple[int, object]], path: str | Path) -> None:
    """InputFileError for an empty release or one whose assertions lack the expected keys."""
    if not records:
        raise InputFileError(str(path), "the list of assertions is empty", hint="download the release again")
    keys = set().union(*(r for _, r in records if isinstance(r, dict)))
    missing = [k for k in REQUIRED if k not in keys]
    if missing:
        raise InputFileError(str(path), f"not a MOAlmanac release of a known layout: no assertion has "
                             f"{', '.join(missing)}", hint="pass molecular-oncology-almanac.json from moalmanac-db")


def flatten(record: Any) -> dict[str, str] | str:  # whatever the JSON file holds
    """An assertion as text fields (NCIt codes of its therapies in ``_ncit``), or the reason it is malformed."""
    if not isinstance(record, dict):
        return f"not a JSON object but {type(record).__name__}"
    missing = [k for k in REQUIRED if k not in record]
    if missing:
        return f"lacks {', '.join(missing)}"
    row: dict[str, str] = {}
    for key, value in record.items():
        if isinstance(value, (str, int, float, bool)) or value is None:
            row[str(key)] = "" if value is None else str(value)
    codes = []
    for mapping in record.get("therapy_name_mappings") or []:
        coding = mapping.get("coding", {}) if isinstance(mapping, dict) else {}
        name, code = str(coding.get("name", "")), str(coding.get("code", ""))
        if name and code:
            codes.append(f"{name}={code}")
    row["_ncit"] = ";".join(codes)
    return row


#: what makes two assertions one finding: (variant, drug, disease, effect, negated, level, source)
Claim = tuple[URIRef, URIRef, URIRef | None, URIRef, bool, URIRef, URIRef]


class Importer:
    """Map flattened MOAlmanac assertions onto findings in ``self.out``."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.out = guarded_graph()
        self.entities = EntityMapper(kb, self.out, source="moalmanac")
        self.drugs = Drugs(self.entities, "moalmanac")
        self.seen: set[str] = set()
        self.claims: dict[Claim, URIRef] = {}

    def forget(self) -> None:
        self.entities.forget()
        self.claims = {k: f for k, f in self.claims.items() if (f, RDF.type, TKG.Finding) in self.out}

    def row(self, row: dict[str, str]) -> tuple[str, int]:
        aid = row["assertion_id"]
        if not aid.isdigit():
            raise Bad(f"assertion_id {quoted(aid)} is not a number")
        if aid in self.seen:
            raise Bad(f"assertion_id {aid} appears twice (the first one was kept)")
        self.seen.add(aid)
        if row.get("_deprecated", "").lower() == "true":
            raise Skip("deprecated assertion")
        effect, negated = self._effect(row)
        drug = self._therapy(row)
        level = LEVELS.get(row["predictive_implication"].lower())
        if level is None:
            raise Bad(f"predictive_implication {quoted(row['predictive_implication'])} is not one of "
                      + ", ".join(sorted(LEVELS)))
        variant = self.entities.variant(self._feature(row))
        disease = self._disease(row)
        source = self._source(row)
        key = (variant, drug, disease, effect, negated, level, source)
        if key in self.claims:  # the same claim from the same publication: one finding, both ids
            self.out.add_compact((self.claims[key], DCTERMS.identifier, Literal(f"moalmanac:{aid}")))
            self.out.add_compact((self.claims[key], PROV.wasDerivedFrom, URIRef(ASSERTION_PAGE.format(aid))))
            return MERGED, 0
        node: URIRef = TKD[f"moalmanac_A{aid}_1"]
        self.claims[key] = node
        self._finding(node, row, variant, drug, disease, effect, negated, level, source)
        return IMPORTED, 1

    def _effect(self, row: dict[str, str]) -> tuple[URIRef, bool]:
        resistance, sensitivity = row["therapy_resistance"].strip(), row["therapy_sensitivity"].strip()
        for text, effect in ((resistance, TKG.Resistant), (sensitivity, TKG.Sensitive)):
            if text in ("1", "1.0", "True"):
                return effect, False
        for text, effect in ((resistance, TKG.Resistant), (sensitivity, TKG.Sensitive)):
            if text in ("0", "0.0", "False"):
                return effect, True
        if resistance or sensitivity:
            raise Bad(f"therapy_sensitivity {quoted(sensitivity)} / therapy_resistance {quoted(resistance)} "
                      "are not 1, 0 or empty")
        raise Skip("no therapy response (a prognostic, diagnostic or adverse-event assertion)")

    def _therapy(self, row: dict[str, str]) -> URIRef:
        names = [n.strip() for n in row["therapy_name"].split(" + ") if n.strip()]
        if not names:
            raise Skip("no therapy named")
        codes = dict(part.split("=", 1) for part in row["_ncit"].split(";") if "=" in part)
        ours = {n: self.drugs.resolve(n, self._xrefs(codes.get(n))) for n in names}
        if not any(self.drugs.is_kinase_inhibitor(d) for d in ours.values() if d is not None):
            raise Skip(non_tki_reason(names))
        if len(names) == 1:
            drug = ours[names[0]]
            assert drug is not None  # the one name is ours (checked above)
            self._targets(drug, row["therapy_strategy"])
            return drug
        return self.entities.combination([ours[n] or self.entities.other_drug(n) for n in names])

    def _xrefs(self, code: str | None) -> tuple[URIRef, ...]:
        iri = expand(f"NCIT:{code}") if code and re.fullmatch(r"C\d{1,7}", code) else None
        return (iri,) if iri is not None else ()

    def _targets(self, drug: URIRef, strategy: str) -> None:
        """A new drug inhibits the genes its row's strategy names ("EGFR inhibition", "targets BCR-ABL").

        Only a row about this one drug says what it acts on; a family ("MEK", "FGFR") names its members.
        A gene the knowledge base lacks is created (``tkd:<SYMBOL>``); a name that is not a gene symbol
        ("PI3K/AKT/mTOR", "PARP" when no such gene is known) gives nothing.
        """
        if (drug, None, None) in self.entities.graph:
            return
        for symbol in strategy_targets(strategy):
            found = self.entities.resolver.candidates(symbol, "gene")
            if len(found) == 1:
                self.out.add((drug, TKG.inhibits, URIRef(next(iter(found)))))
            elif not found and re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", symbol):
                self.out.add((drug, TKG.inhibits, self.entities.gene(symbol)))

    def _feature(self, row: dict[str, str]) -> list[tuple[str, str]]:
        kind, gene = row["feature_type"], row.get("gene", "").strip()
        if kind in ("Somatic Variant", "Germline Variant"):
            change = row.get("protein_change", "").strip().removeprefix("p.")
            return [(self._gene(gene), change or "MUTATION")]
        if kind == "Copy Number":
            direction = row.get("direction", "").lower()
            if direction not in ("amplification", "deletion"):
                raise Bad(f"copy-number direction {quoted(row.get('direction', ''))} is not Amplification or Deletion")
            return [(self._gene(gene), direction.upper())]
        if kind == "Rearrangement":
            first, second = row.get("gene1", "").strip(), row.get("gene2", "").strip()
            if first and second:
                known = [g for g in (second, first) if len(self.entities.resolver.candidates(g, "gene")) == 1]
                return [(self._gene(known[0] if known else first), f"{first}-{second}")]
            return [(self._gene(first or second), "FUSION")]
        raise Skip(f"feature type {kind or 'empty'} is not a variant tkigraph models")

    def _gene(self, symbol: str) -> str:
        return check_symbol(symbol)

    def _disease(self, row: dict[str, str]) -> URIRef | None:
        names = [n.strip() for n in (row["disease"], row.get("oncotree_term", "")) if n.strip()]
        for name in names:
            found = self.entities.curated_disease(name)
            if found is not None:
                return found
        return self.entities.disease("", names[0]) if names else None

    def _source(self, row: dict[str, str]) -> URIRef:
        pmid, doi = row["pmid"].strip(), row["doi"].strip()
        if pmid:
            if not pmid.isdigit():
                raise Bad(f"pmid {quoted(pmid)} is not a number")
            node: URIRef = PUBMED[pmid]
        elif doi:
            if not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
                raise Bad(f"doi {quoted(doi)} is not a DOI (10.<registrant>/<suffix>)")
            node = URIRef(self._url(f"https://doi.org/{doi}", "doi"))
        else:
            if not row["source_id"].isdigit():
                raise Bad(f"source_id {quoted(row['source_id'])} is not a number")
            node = TKD[f"moalmanac_doc_{row['source_id']}"]
        self._publication(node, row)
        return node

    def _url(self, text: str, column: str) -> str:
        try:
            return safe_url(text)
        except UnsafeTerm as why:
            raise Bad(f"{column}: {why}") from None

    def _publication(self, node: URIRef, row: dict[str, str]) -> None:
        if (node, None, None) in self.entities.graph or (node, RDF.type, None) in self.out:
            return
        out = self.out
        kind = TKG.Publication if str(node).startswith(str(PUBMED)) or row["doi"] else \
            DOCUMENTS.get(row["source_type"].lower(), TKG.Publication)
        out.add((node, RDF.type, kind))
        out.add((node, DCTERMS.title, Literal(row["citation"] or f"MOAlmanac source {row['source_id']}")))
        out.add((node, TKG.verification, TKG.VerifiedMOAlmanac))
        year = row["publication_date"][:4]
        if re.fullmatch(r"\d{4}", year):
            out.add((node, DCTERMS.date, Literal(year, datatype=XSD.gYear)))
        if row["url"].strip() and kind != TKG.Publication:
            out.add((node, PROV.wasDerivedFrom, URIRef(self._url(row["url"], "url"))))

    def _finding(self, node: URIRef, row: dict[str, str], variant: URIRef, drug: URIRef, disease: URIRef | None,
                 effect: URIRef, negated: bool, level: URIRef, source: URIRef) -> None:
        out, aid = self.out, row["assertion_id"]
        out.add((node, RDF.type, TKG.Finding))
        out.add((node, TKG.variant, variant))
        out.add((node, TKG.drug, drug))
        if disease is not None:
            out.add((node, TKG.disease, disease))
        out.add((node, TKG.effect, effect))
        out.add((node, TKG.mechanism, mechanism_of(self.entities, effect, variant, drug)))
        out.add((node, TKG.evidenceLevel, level))
        out.add((node, TKG.statement, Literal(row["description"] or f"MOAlmanac assertion {aid}.")))
        if negated:
            out.add((node, TKG.negated, Literal(True)))
        out.add((node, DCTERMS.source, source))
        out.add((node, DCTERMS.identifier, Literal(f"moalmanac:{aid}")))
        out.add((node, PROV.wasDerivedFrom, URIRef(ASSERTION_PAGE.format(aid))))
        out.add((node, DCTERMS.publisher, Literal("moalmanac")))


def strategy_targets(strategy: str) -> list[str]:
    """The gene symbols a MOAlmanac therapy strategy names as the drug's target.

    >>> strategy_targets("MEK inhibition"), strategy_targets("targets BCR-ABL"), strategy_targets("PI3K/AKT/mTOR inhibition")
    (['MAP2K1', 'MAP2K2'], ['BCR-ABL1'], [])
    """
    symbols: list[str] = []
    for part in strategy.split(" + "):
        match = _STRATEGY_TARGET.fullmatch(part)
        name = (match.group(1) or match.group(2)) if match else None
        if name is None or "/" in name and name not in TARGET_ALIASES:
            continue
        for symbol in TARGET_ALIASES.get(name, (name,)):
            if symbol not in symbols:
                symbols.append(symbol)
    return symbols


def import_records(records: list[tuple[int, object]], path: str | Path, kb: KnowledgeBase | None = None,
                   progress: Callable[[int], None] | None = None) -> tuple[Graph, Account]:
    """Import ``records`` (line, assertion) read from ``path``: (the triples, the account)."""
    check_records(records, path)
    importer = Importer(kb if kb is not None else curated_kb())
    account = Account(str(path), "one-file JSON", source="moalmanac", licence=LICENCE)
    rows = []
    for number, record in records:
        flat = flatten(record)
        rows.append((number, Reject(number, f"assertion {flat}") if isinstance(flat, str) else flat))
    run(rows, importer.row, importer.out, account, ident="assertion_id", on_rollback=importer.forget,
        progress=progress)
    account.new_drugs = count_new(importer.out)
    note_repeats(account, importer.entities.graph, importer.out)
    dates = [r.get("last_updated", "")[:10] for _, r in rows if isinstance(r, dict)]
    account.newest_record = max((d for d in dates if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)), default=None)
    return importer.out, account


def import_file(path: str | Path, kb: KnowledgeBase | None = None,
                progress: Callable[[int], None] | None = None) -> tuple[Graph, Account]:
    """Read a MOAlmanac JSON release: (the imported triples, the account of every assertion)."""
    return import_records(read_records(path), path, kb, progress)


def main(argv: list[str] | None = None) -> int:
    """``python -m tkigraph.sources.moalmanac FILE``: import FILE in memory and print the account."""
    from .account import main_for

    return main_for(import_file,
                    "python -m tkigraph.sources.moalmanac molecular-oncology-almanac.json", argv,
                    lambda path, account: path)


if __name__ == "__main__":
    raise SystemExit(main())
