"""Synthetic knowledge graphs in tkigraph's shape, for benchmarks.

``python benchmarks/generate.py 100000 -o /tmp/synthetic_100k.nt`` writes about
that many triples: kinases, drugs that inhibit them, variants with regions,
findings (variant x drug x disease -> effect, level, mechanism, source) and
publications, with the same predicates and classes as the curated knowledge
base. Deterministic: the same size and seed give the same file.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

KB = "https://w3id.org/tkigraph/kb/syn_"
TKG = "https://w3id.org/tkigraph/ontology#"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SOURCE = "<http://purl.org/dc/terms/source>"
TITLE = "<http://purl.org/dc/terms/title>"
DATE = "<http://purl.org/dc/terms/date>"
EFFECTS = ("Resistant", "ReducedSensitivity", "Sensitive")
LEVELS = ("GuidelineOrLabel", "Clinical", "PreclinicalInVivo", "InVitro")
MECHANISMS = ("OnTargetMutation", "TargetDependence", "BypassActivation")
REGIONS = ("Gatekeeper", "SolventFront", "PLoop", "ActivationLoop", "ATPPocket")
AA = "ACDEFGHIKLMNPQRSTVWY"
THREE = {"A": "Ala", "C": "Cys", "D": "Asp", "E": "Glu", "F": "Phe", "G": "Gly", "H": "His", "I": "Ile", "K": "Lys",
         "L": "Leu", "M": "Met", "N": "Asn", "P": "Pro", "Q": "Gln", "R": "Arg", "S": "Ser", "T": "Thr", "V": "Val",
         "W": "Trp", "Y": "Tyr"}

#: triples written per finding (about), used to size the graph
PER_FINDING = 9


def n(local: str) -> str:
    return f"<{KB}{local}>"


def t(term: str) -> str:
    return f"<{TKG}{term}>"


def lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def variant_change(v: int, kinases: int) -> tuple[int, str]:
    """(kinase index, protein change) of synthetic variant number ``v``."""
    ref, alt = AA[v % 20], AA[(v * 7 + 3) % 20]
    alt = alt if alt != ref else AA[(v + 1) % 20]
    return v % kinases, f"{ref}{100 + v // kinases}{alt}"


def generate(triples: int, seed: int = 7):
    """Yield N-Triples lines, about ``triples`` of them."""
    rng = random.Random(seed)
    findings = max(triples // 10, 10)
    kinases = max(findings // 400, 4)
    drugs = max(findings // 100, 6)
    variants = max(findings // 10, 20)
    publications = max(findings // 8, 10)
    diseases = 30
    for k in range(kinases):
        yield f"{n(f'K{k}')} {RDF_TYPE} {t('Kinase')} ."
        yield f"{n(f'K{k}')} {RDFS_LABEL} {lit(f'SYNK{k}')} ."
    for d in range(drugs):
        yield f"{n(f'drug{d}')} {RDF_TYPE} {t('Drug')} ."
        yield f"{n(f'drug{d}')} {RDFS_LABEL} {lit(f'synthetinib{d}')} ."
        yield f"{n(f'drug{d}')} {t('inhibits')} {n(f'K{d % kinases}')} ."
        yield f"{n(f'drug{d}')} {t('generation')} \"{1 + d % 3}\"^^<http://www.w3.org/2001/XMLSchema#integer> ."
    for s in range(diseases):
        yield f"{n(f'D{s}')} {RDF_TYPE} {t('Disease')} ."
        yield f"{n(f'D{s}')} {RDFS_LABEL} {lit(f'synthetic disease {s}')} ."
    for p in range(publications):
        yield f"{n(f'pub{p}')} {RDF_TYPE} {t('Publication')} ."
        yield f"{n(f'pub{p}')} {TITLE} {lit(f'Synthetic source {p}')} ."
        yield f"{n(f'pub{p}')} {DATE} \"{1990 + p % 35}\" ."
    for v in range(variants):
        kinase, change = variant_change(v, kinases)
        ref, codon, alt = change[0], int(change[1:-1]), change[-1]
        node = n(f"K{kinase}_{change}")
        yield f"{node} {RDF_TYPE} {t('PointSubstitution')} ."
        yield f"{node} {RDFS_LABEL} {lit(f'SYNK{kinase} {change}')} ."
        yield f"{node} {t('variantOf')} {n(f'K{kinase}')} ."
        yield f"{node} {t('proteinChange')} {lit(change)} ."
        yield f"{node} {t('hgvs')} {lit(f'p.{THREE[ref]}{codon}{THREE[alt]}')} ."
        yield f"{node} {t('codon')} \"{codon}\"^^<http://www.w3.org/2001/XMLSchema#integer> ."
        yield f"{node} {t('region')} {t(REGIONS[v % len(REGIONS)])} ."
    for f in range(findings):
        kinase, change = variant_change(rng.randrange(variants), kinases)
        variant = n(f"K{kinase}_{change}")
        node = n(f"F{f}")
        yield f"{node} {RDF_TYPE} {t('Finding')} ."
        yield f"{node} {t('variant')} {variant} ."
        yield f"{node} {t('drug')} {n(f'drug{rng.randrange(drugs)}')} ."
        yield f"{node} {t('disease')} {n(f'D{rng.randrange(diseases)}')} ."
        yield f"{node} {t('effect')} {t(rng.choice(EFFECTS))} ."
        yield f"{node} {t('evidenceLevel')} {t(rng.choice(LEVELS))} ."
        yield f"{node} {t('mechanism')} {t(rng.choice(MECHANISMS))} ."
        yield f"{node} {t('statement')} {lit(f'Synthetic finding {f}.')} ."
        yield f"{node} {SOURCE} {n(f'pub{rng.randrange(publications)}')} ."


def write(triples: int, path: Path, seed: int = 7) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for line in generate(triples, seed):
            handle.write(line + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write(args.triples, args.output, args.seed)


if __name__ == "__main__":
    main()
