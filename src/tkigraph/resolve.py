"""Names, synonyms and CURIEs -> entities of the graph.

``Resolver(kb).drug("Gleevec")`` and ``.drug("STI-571")`` both give imatinib;
``.variant("p.Thr315Ile", gene="ABL1")`` gives BCR-ABL1 T315I. Matching is
case-insensitive and treats ``BCR::ABL1`` as ``BCR-ABL1``. An unknown name
raises :class:`UnknownNameError` with "did you mean" suggestions; a name that
fits several entities raises :class:`AmbiguousNameError` with the candidates.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from rdflib import URIRef

from .errors import AmbiguousNameError, UnknownNameError
from .model import KnowledgeBase
from .namespaces import RDFS, SKOS, TKG, curie, expand
from .variants import VariantQuery, parse_variant

__all__ = ["Resolver", "VariantMatch", "normalise"]

_KIND_CLASS = {
    "drug": TKG.Drug, "gene": TKG.Gene, "variant": TKG.Variant, "disease": TKG.Disease,
    "pathway": TKG.Pathway, "mechanism": TKG.Mechanism, "publication": TKG.Publication,
}

#: variant category -> test on a candidate's lower-cased label
_CATEGORY_LABEL = {
    "exon19del": "exon 19 deletion",
    "exon20ins": "exon 20 insertion",
    "exon14_skipping": "exon 14 skipping",
    "ITD": "itd",
    "amplification": "amplification",
    "overexpression": "overexpression",
    "fusion": "fusion",
    "exon11_mutation": "exon 11",
    "exon9_mutation": "exon 9",
    "loss": "loss",
    "mutation": "mutation",
}


def normalise(name: str) -> str:
    """Lower-case, squeeze spaces, and write fusions with one hyphen."""
    return " ".join(str(name).replace("::", "-").casefold().split())


@dataclass(frozen=True)
class VariantMatch:
    """What a variant expression resolved to."""

    query: VariantQuery
    node: URIRef | None  # the variant entity, if the graph has one
    components: tuple[URIRef, ...] = ()
    phase: str | None = None
    matched_at: str = "exact"  # exact | codon | component
    members: tuple[URIRef, ...] = field(default=())  # for codon-level queries


class Resolver:
    """Resolve names against a :class:`KnowledgeBase`."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.index: dict[str, set[URIRef]] = {}
        g = kb.graph
        for predicate in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):
            for subject, name in g.subject_objects(predicate):
                if isinstance(subject, URIRef):
                    self.index.setdefault(normalise(name), set()).add(subject)
        for subject, xref in g.subject_objects(SKOS.exactMatch):
            if isinstance(subject, URIRef) and isinstance(xref, URIRef):
                self.index.setdefault(normalise(curie(xref)), set()).add(subject)

    # -- plain entities -------------------------------------------------------
    def candidates(self, name: str, kind: str | None = None) -> set[URIRef]:
        found = set(self.index.get(normalise(name), set()))
        iri = expand(name.strip())
        if iri is not None and (iri, None, None) in self.kb.graph:
            found.add(iri)
        if kind:
            allowed = self.kb.instances(_KIND_CLASS[kind])
            found &= allowed
        return found

    def suggest(self, name: str, kind: str | None = None, n: int = 5) -> list[str]:
        allowed = self.kb.instances(_KIND_CLASS[kind]) if kind else None
        keys = [k for k, nodes in self.index.items() if allowed is None or nodes & allowed]
        close = difflib.get_close_matches(normalise(name), keys, n=n * 2, cutoff=0.6)
        labels: list[str] = []
        for key in close:
            for node in sorted(self.index[key], key=str):
                label = self.kb.label(node)
                if label not in labels and (allowed is None or node in allowed):
                    labels.append(label)
        return labels[:n]

    def resolve(self, name: str, kind: str | None = None) -> URIRef:
        """The one entity called ``name`` (optionally of ``kind``)."""
        found = self.candidates(name, kind)
        if len(found) == 1:
            return next(iter(found))
        if not found:
            raise UnknownNameError(name, kind or "name", self.suggest(name, kind))
        labels = sorted(f"{self.kb.label(n)} ({curie(n)})" for n in found)
        raise AmbiguousNameError(name, kind or "name", labels, "use a CURIE")

    def drug(self, name: str) -> URIRef:
        return self.resolve(name, "drug")

    def disease(self, name: str) -> URIRef:
        return self.resolve(name, "disease")

    def gene(self, name: str) -> URIRef:
        return self.resolve(name, "gene")

    # -- variants -------------------------------------------------------------
    def gene_scope(self, gene: URIRef) -> set[URIRef]:
        """A gene, the fusions it is a partner of, and (for a fusion) its partners."""
        g = self.kb.graph
        scope = {gene}
        scope |= set(g.subjects(TKG.fusionPartner, gene))
        scope |= set(g.subjects(TKG.threePrimePartner, gene))
        scope |= set(g.objects(gene, TKG.threePrimePartner))
        return scope

    def _variants_of(self, genes: set[URIRef] | None) -> set[URIRef]:
        variants = self.kb.instances(TKG.Variant)
        if genes is None:
            return variants
        g = self.kb.graph
        return {v for v in variants if set(g.objects(v, TKG.variantOf)) & genes}

    def _by_change(self, change: str, genes: set[URIRef] | None) -> set[URIRef]:
        g = self.kb.graph
        wanted = change.upper()
        return {v for v in self._variants_of(genes)
                if str(g.value(v, TKG.proteinChange) or "").upper() == wanted}

    def _ambiguous(self, text: str, nodes) -> AmbiguousNameError:
        labels = sorted(self.kb.label(n) for n in nodes)
        error = AmbiguousNameError(text, "variant", labels, "add the gene or name the variant in full")
        error.nodes = sorted(nodes)
        return error

    def _unknown(self, text: str) -> UnknownNameError:
        return UnknownNameError(text, "variant", self.suggest(text, "variant"))

    def _one(self, text: str, nodes: set[URIRef]) -> URIRef | None:
        if len(nodes) > 1:
            raise self._ambiguous(text, nodes)
        return next(iter(nodes), None)

    def _single(self, query: VariantQuery, change: str, kind: str,
                genes: set[URIRef] | None) -> VariantMatch | None:
        exact = self._one(query.text, self._by_change(change, genes))
        if exact is not None:
            return VariantMatch(query, exact)
        match = re.match(r"^([A-Z])(\d+)", change)
        if kind in ("point", "codon") and match:
            aa, codon = match.groups()
            cls = self._one(query.text, self._by_change(f"{aa}{codon}X", genes))
            if cls is not None:
                return VariantMatch(query, cls, matched_at="codon")
            if kind == "codon":
                g = self.kb.graph
                members = {v for v in self._variants_of(genes)
                           if str(g.value(v, TKG.codon) or "") == codon
                           and str(g.value(v, TKG.proteinChange) or "").startswith(aa)
                           and (v, TKG.hasComponent, None) not in g}
                if members:
                    return VariantMatch(query, None, matched_at="codon", members=tuple(sorted(members)))
        return None

    def _category(self, query: VariantQuery, genes: set[URIRef] | None) -> URIRef | None:
        needle = _CATEGORY_LABEL.get(query.category or "", "")
        nodes = {v for v in self._variants_of(genes) if needle and needle in self.kb.label(v).lower()}
        if len(nodes) > 1:  # prefer the class over its members
            classes = {v for v in nodes if (v, None, TKG.VariantClass) in self.kb.graph}
            nodes = classes or nodes
        return self._one(query.text, nodes)

    def _compound(self, query: VariantQuery, genes: set[URIRef] | None) -> VariantMatch:
        parts = []
        for change in query.changes:
            sub = VariantQuery(change, query.gene, (change,), "point")
            found = self._single(sub, change, "point", genes) or self._single(sub, change, "indel", genes)
            if found is None or found.node is None:
                raise self._unknown(change if query.gene is None else f"{query.gene} {change}")
            parts.append(found.node)
        g = self.kb.graph
        wanted = set(parts)
        compounds = [c for c in self.kb.instances(TKG.CompoundVariant)
                     if set(g.objects(c, TKG.hasComponent)) == wanted]
        phase_of = {TKG.Cis: "cis", TKG.Trans: "trans", TKG.PhaseUnknown: None}
        if query.phase:
            compounds = [c for c in compounds if phase_of.get(g.value(c, TKG.phase)) == query.phase]
        elif len(compounds) > 1:
            compounds = [c for c in compounds if g.value(c, TKG.phase) == TKG.PhaseUnknown]
        if len(compounds) == 1:
            return VariantMatch(query, compounds[0], tuple(parts), query.phase or phase_of.get(g.value(compounds[0], TKG.phase)))
        return VariantMatch(query, None, tuple(parts), query.phase, matched_at="component")

    def variant(self, text: str, gene: str | None = None, prefer=None) -> VariantMatch:
        """Resolve a variant expression (see :func:`tkigraph.variants.parse_variant`).

        ``prefer`` (a predicate on variant nodes) settles an ambiguity when exactly
        one candidate satisfies it: ``explain imatinib ABCB1`` picks the ABCB1
        alteration that has findings about imatinib.
        """
        try:
            return self._variant(text, gene)
        except AmbiguousNameError as exc:
            chosen = [n for n in exc.nodes if prefer is not None and prefer(n)]
            if len(chosen) == 1:
                return VariantMatch(parse_variant(text, gene), chosen[0])
            raise

    def _variant(self, text: str, gene: str | None) -> VariantMatch:
        query = parse_variant(text, gene)
        named = self.candidates(text, "variant")
        if len(named) == 1 and gene is None:
            return VariantMatch(query, next(iter(named)))
        genes = None
        if query.gene:
            genes = self.gene_scope(self.resolve(query.gene, "gene"))
        if query.kind == "compound":
            return self._compound(query, genes)
        if query.changes:
            found = self._single(query, query.changes[0], query.kind, genes)
            if found is None:
                raise self._unknown(text)
            return found
        if query.kind == "category":
            node = self._category(query, genes)
            if node is None:
                raise self._unknown(text)
            return VariantMatch(query, node)
        if named:
            raise self._ambiguous(text, named)
        gene_nodes = self.candidates(text, "gene")
        if len(gene_nodes) == 1:  # a gene named alone: its one alteration (ABCB1 -> ABCB1 overexpression)
            node = self._one(text, self._variants_of(self.gene_scope(next(iter(gene_nodes)))))
            if node is not None:
                return VariantMatch(query, node)
        raise self._unknown(text)
