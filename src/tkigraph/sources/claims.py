"""Claims: what a finding asserts, apart from who says it.

A claim is (variant, drug, disease, effect, negated); a finding supports it with one
publication, one level and one source record. Within one import, rows repeating a claim
from the same publication are merged (:mod:`tkigraph.sources.account`). Across sources the
store reconciles: the derive rule (``tkigraph/sparql/derive.ru``) gives every finding a
``tkigraph:supports`` link to its ``tkigraph:Claim``, whose IRI is a digest of the five, so the curated
graph, CIViC and MOAlmanac meet on one claim whatever is installed (imports stay
independent and idempotent). :func:`curated_repeats` counts the imported findings that
repeat a curated one from the same publication, so the account says how much overlaps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph, Literal
from rdflib.term import Node

from ..rdfterms import DCTERMS, RDF, TKG

if TYPE_CHECKING:
    from .account import Account
    from .storage import CuratedTerms

__all__ = ["claim_of", "curated_repeats", "note_repeats"]


def claim_of(graph: Graph | CuratedTerms, finding: Node) -> tuple[Node | None, Node | None, Node | None, Node | None, bool]:
    """The claim a finding of ``graph`` makes: (variant, drug, disease, effect, negated)."""
    value = graph.value
    return (value(finding, TKG.variant), value(finding, TKG.drug), value(finding, TKG.disease),
            value(finding, TKG.effect), (finding, TKG.negated, Literal(True)) in graph)


def curated_repeats(curated: Graph | CuratedTerms, imported: Graph) -> int:
    """How many imported findings make a claim a curated finding makes from the same publication."""
    supports = {(claim_of(curated, f), s) for f in curated.subjects(RDF.type, TKG.Finding)
                for s in curated.objects(f, DCTERMS.source)}
    return sum(1 for f in imported.subjects(RDF.type, TKG.Finding)
               if any((claim_of(imported, f), s) in supports for s in imported.objects(f, DCTERMS.source)))


def note_repeats(account: Account, curated: Graph | CuratedTerms, imported: Graph) -> None:
    """Add a note to ``account`` saying how many imported findings repeat curated ones."""
    repeats = curated_repeats(curated, imported)
    if repeats:
        account.notes.append(f"{repeats} imported findings repeat a curated finding (same claim, same publication); "
                             "each is kept as a support of the one claim, counted once")
