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

from .errors import AmbiguousNameError, UnknownNameError
from .model import KnowledgeBase, Node
from .namespaces import curie, expand_iri
from .variants import VariantQuery, parse_variant

__all__ = ["Resolver", "VariantMatch", "normalise", "name_index"]

_KIND_CLASS = {
    "drug": "tkg:Drug", "gene": "tkg:Gene", "variant": "tkg:Variant", "disease": "tkg:Disease",
    "pathway": "tkg:Pathway", "mechanism": "tkg:Mechanism", "publication": "tkg:Publication",
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


def name_index(kb: KnowledgeBase) -> dict[str, set[Node]]:
    """Normalised label, synonym or identifier CURIE -> the entities it names."""
    index: dict[str, set[Node]] = {}
    g, V = kb.graph, kb.V
    is_iri = V.is_iri
    for predicate in (V.RDFS.label, V.SKOS.altLabel, V.SKOS.prefLabel):
        for subject, name in g.subject_objects(predicate):
            if is_iri(subject):
                index.setdefault(normalise(name), set()).add(subject)
    for subject, xref in g.subject_objects(V.SKOS.exactMatch):
        if is_iri(subject) and is_iri(xref):
            index.setdefault(normalise(curie(xref)), set()).add(subject)
    return index


@dataclass(frozen=True)
class VariantMatch:
    """What a variant expression resolved to."""

    query: VariantQuery
    node: Node | None  # the variant entity, if the graph has one
    components: tuple[Node, ...] = ()
    phase: str | None = None
    matched_at: str = "exact"  # exact | codon | component
    members: tuple[Node, ...] = field(default=())  # for codon-level queries


class Resolver:
    """Resolve names against a :class:`KnowledgeBase`."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.T = kb.V.TKG
        self.index = kb.names if kb.names is not None else name_index(kb)
        self._classes = {kind: kb.V.term(cls) for kind, cls in _KIND_CLASS.items()}
        self._cache: dict[str, set[Node]] = {}

    def _instances(self, kind: str) -> set[Node]:
        if kind not in self._cache:
            self._cache[kind] = self.kb.instances(self._classes[kind])
        return self._cache[kind]

    def _is(self, node: Node, kind: str) -> bool:
        return self.kb.is_a(node, self._classes[kind])

    # -- plain entities -------------------------------------------------------
    def candidates(self, name: str, kind: str | None = None) -> set[Node]:
        found = set(self.index.get(normalise(name), set()))
        iri = expand_iri(name.strip())
        if iri is not None and (self.kb.V.iri(iri), None, None) in self.kb.graph:
            found.add(self.kb.V.iri(iri))
        if kind:
            found = {node for node in found if self._is(node, kind)}
        return found

    def suggest(self, name: str, kind: str | None = None, n: int = 5) -> list[str]:
        allowed = self._instances(kind) if kind else None
        keys = [k for k, nodes in self.index.items() if allowed is None or nodes & allowed]
        close = difflib.get_close_matches(normalise(name), keys, n=n * 2, cutoff=0.6)
        labels: list[str] = []
        for key in close:
            for node in sorted(self.index[key], key=str):
                label = self.kb.label(node)
                if label not in labels and (allowed is None or node in allowed):
                    labels.append(label)
        return labels[:n]

    def resolve(self, name: str, kind: str | None = None) -> Node:
        """The one entity called ``name`` (optionally of ``kind``)."""
        found = self.candidates(name, kind)
        if len(found) == 1:
            return next(iter(found))
        if not found:
            raise UnknownNameError(name, kind or "name", self.suggest(name, kind))
        labels = sorted(f"{self.kb.label(n)} ({curie(n)})" for n in found)
        raise AmbiguousNameError(name, kind or "name", labels, "use a CURIE")

    def drug(self, name: str) -> Node:
        return self.resolve(name, "drug")

    def disease(self, name: str) -> Node:
        return self.resolve(name, "disease")

    def gene(self, name: str) -> Node:
        return self.resolve(name, "gene")

    # -- variants -------------------------------------------------------------
    def gene_scope(self, gene: Node) -> set[Node]:
        """A gene, the fusions it is a partner of, and (for a fusion) its partners."""
        g, T = self.kb.graph, self.T
        scope = {gene}
        scope |= set(g.subjects(T.fusionPartner, gene))
        scope |= set(g.subjects(T.threePrimePartner, gene))
        scope |= set(g.objects(gene, T.threePrimePartner))
        return scope

    def _variants_of(self, genes: set[Node] | None) -> set[Node]:
        if genes is None:
            return self._instances("variant")
        g = self.kb.graph
        return {v for gene in genes for v in g.subjects(self.T.variantOf, gene) if self._is(v, "variant")}

    def _by_change(self, change: str, genes: set[Node] | None) -> set[Node]:
        g = self.kb.graph
        wanted = change.upper()
        return {v for v in self._variants_of(genes)
                if str(g.value(v, self.T.proteinChange) or "").upper() == wanted}

    def _ambiguous(self, text: str, nodes) -> AmbiguousNameError:
        labels = sorted(self.kb.label(n) for n in nodes)
        error = AmbiguousNameError(text, "variant", labels, "add the gene or name the variant in full")
        error.nodes = sorted(nodes)
        return error

    def _unknown(self, text: str) -> UnknownNameError:
        return UnknownNameError(text, "variant", self.suggest(text, "variant"))

    def _one(self, text: str, nodes: set[Node]) -> Node | None:
        if len(nodes) > 1:
            raise self._ambiguous(text, nodes)
        return next(iter(nodes), None)

    def _single(self, query: VariantQuery, change: str, kind: str,
                genes: set[Node] | None) -> VariantMatch | None:
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
                T = self.T
                members = {v for v in self._variants_of(genes)
                           if str(g.value(v, T.codon) or "") == codon
                           and str(g.value(v, T.proteinChange) or "").startswith(aa)
                           and (v, T.hasComponent, None) not in g}
                if members:
                    return VariantMatch(query, None, matched_at="codon", members=tuple(sorted(members)))
        return None

    def _category(self, query: VariantQuery, genes: set[Node] | None) -> Node | None:
        needle = _CATEGORY_LABEL.get(query.category or "", "")
        nodes = {v for v in self._variants_of(genes) if needle and needle in self.kb.label(v).lower()}
        if len(nodes) > 1:  # prefer the class over its members
            classes = {v for v in nodes if (v, None, self.T.VariantClass) in self.kb.graph}
            nodes = classes or nodes
        return self._one(query.text, nodes)

    def _compound(self, query: VariantQuery, genes: set[Node] | None) -> VariantMatch:
        parts = []
        for change in query.changes:
            sub = VariantQuery(change, query.gene, (change,), "point")
            found = self._single(sub, change, "point", genes) or self._single(sub, change, "indel", genes)
            if found is None or found.node is None:
                raise self._unknown(change if query.gene is None else f"{query.gene} {change}")
            parts.append(found.node)
        g, T = self.kb.graph, self.T
        wanted = set(parts)
        compounds = [c for c in self.kb.instances(T.CompoundVariant)
                     if set(g.objects(c, T.hasComponent)) == wanted]
        phase_of = {T.Cis: "cis", T.Trans: "trans", T.PhaseUnknown: None}
        if query.phase:
            compounds = [c for c in compounds if phase_of.get(g.value(c, T.phase)) == query.phase]
        elif len(compounds) > 1:
            compounds = [c for c in compounds if g.value(c, T.phase) == T.PhaseUnknown]
        if len(compounds) == 1:
            return VariantMatch(query, compounds[0], tuple(parts), query.phase or phase_of.get(g.value(compounds[0], T.phase)))
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
