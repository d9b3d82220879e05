"""Names, synonyms and CURIEs -> entities of the graph.

``Resolver(kb).drug("Gleevec")`` and ``.drug("STI-571")`` both give imatinib;
``.variant("p.Thr315Ile", gene="ABL1")`` gives BCR-ABL1 T315I. Matching is
case-insensitive and treats ``BCR::ABL1`` as ``BCR-ABL1``; failing an exact match it
ignores spaces, hyphens and dots (``AZD-9291``, ``small cell transformation``), salt
words (``imatinib mesylate``) and "mutation"/"mut" suffixes, and knows the protein
names of genes (``P-gp``, ``MDR1``, ``BCRP``) and gene families (``NTRK fusion``).
A well-formed change of a known gene that the graph lacks (``ALK R1192P``) resolves
to a match without a node (``absent``), so ``explain`` can answer "no evidence" with
what is known nearby. An unknown name raises :class:`UnknownNameError` with "did you
mean" suggestions; a name that fits several entities raises
:class:`AmbiguousNameError` with the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .errors import AmbiguousNameError, UnknownNameError
from .model import PHASE_OF, KnowledgeBase, Node, Phase
from .names import REGIONS, loose, normalise, region_label, region_suggestions
from .namespaces import RDF, RDFS, SKOS, TKG, curie, expand_iri, iri_of
from .reader import is_iri
from .variants import VariantQuery, parse_variant

__all__ = ["Resolver", "VariantMatch", "normalise", "loose", "name_index", "region_label", "region_suggestions",
           "REGIONS"]

_KIND_CLASS = {
    "drug": "tkigraph:Drug", "gene": "tkigraph:Gene", "variant": "tkigraph:Variant", "disease": "tkigraph:Disease",
    "pathway": "tkigraph:Pathway", "mechanism": "tkigraph:Mechanism", "publication": "tkigraph:Publication",
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


#: protein names and old symbols clinicians type -> the gene symbol the graph uses
GENE_ALIASES = {
    "p-gp": "ABCB1", "pgp": "ABCB1", "p-glycoprotein": "ABCB1", "mdr1": "ABCB1",
    "bcrp": "ABCG2", "abcp": "ABCG2", "her2": "ERBB2", "her3": "ERBB3", "c-met": "MET", "c-kit": "KIT",
    "trka": "NTRK1", "trkb": "NTRK2", "trkc": "NTRK3", "bcr-abl": "BCR-ABL1",
}

#: protein names of gene families -> the family's symbol stem (``TRK fusion`` is ``NTRK fusion``)
FAMILY_ALIASES = {"trk": "NTRK"}

#: salt and hydrate words of drug names (``imatinib mesylate`` is imatinib)
SALT_WORDS = frozenset("""
    mesylate mesilate dimesylate hydrochloride dihydrochloride hcl maleate dimaleate tosylate ditosylate
    malate s-malate citrate sulfate sulphate phosphate besylate besilate fumarate tartrate succinate
    acetate sodium potassium monohydrate dihydrate trihydrate hydrate anhydrous free base salt
""".split())

#: words after a variant that do not change it (``EGFR L858R mutation``)
VARIANT_SUFFIXES = ("mutations", "mutation", "mutant", "mut", "variant", "substitution", "positive", "+ve",
                    "alteration")


#: a gene and an exon named as a class (``KIT exon 17``, after :func:`strip_suffix` took "mutation")
_EXON_CLASS = re.compile(r"^(\S+)\s+(?:exon|ex)\s*(\d+)$", re.IGNORECASE)


def strip_salt(name: str) -> str:
    """``imatinib mesylate`` -> ``imatinib`` (only trailing salt words go)."""
    words = normalise(name).split()
    while len(words) > 1 and words[-1] in SALT_WORDS:
        words.pop()
    return " ".join(words)


def strip_suffix(name: str) -> str:
    """``EGFR L858R mutation`` -> ``EGFR L858R``."""
    text = " ".join(str(name).split())
    for word in VARIANT_SUFFIXES:
        if text.lower().endswith(" " + word):
            return text[: -len(word) - 1].strip()
    return text


def name_index(kb: KnowledgeBase) -> dict[str, set[Node]]:
    """Normalised label, synonym or identifier CURIE -> the entities it names."""
    index: dict[str, set[Node]] = {}
    g = kb.graph
    for predicate in (RDFS.label, SKOS.altLabel, SKOS.prefLabel):
        for subject, name in g.subject_objects(predicate):
            if is_iri(subject):
                index.setdefault(normalise(name), set()).add(subject)
    for subject, xref in g.subject_objects(SKOS.exactMatch):
        if is_iri(subject) and is_iri(xref):
            index.setdefault(normalise(curie(xref)), set()).add(subject)
    return index


@dataclass(frozen=True)
class VariantMatch:
    """What a variant expression resolved to."""

    query: VariantQuery
    node: Node | None  # the variant entity, if the graph has one
    components: tuple[Node, ...] = ()
    phase: Phase | None = None  # asked for, else the curated compound's
    matched_at: str = "exact"  # exact | codon | component | gene | absent
    members: tuple[Node, ...] = field(default=())  # for codon-, gene- and family-level queries
    gene: Node | None = None  # the gene of an absent variant (or of a gene named alone)
    label: str | None = None  # how to call a group or an absent variant

    @property
    def absent(self) -> bool:
        """A well-formed variant of a known gene that the graph does not hold."""
        return self.matched_at == "absent"


class Resolver:
    """Resolve names against a :class:`KnowledgeBase`."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.T = TKG
        self.index = kb.names if kb.names is not None else name_index(kb)
        self._classes = {kind: iri_of(cls) for kind, cls in _KIND_CLASS.items()}
        self._cache: dict[str, set[Node]] = {}
        self._loose: dict[str, set[Node]] | None = None
        self._stems: dict[str, set[Node]] | None = None

    def _instances(self, kind: str) -> set[Node]:
        if kind not in self._cache:
            self._cache[kind] = self.kb.instances(self._classes[kind])
        return self._cache[kind]

    def _is(self, node: Node, kind: str) -> bool:
        return self.kb.is_a(node, self._classes[kind])

    # -- plain entities -------------------------------------------------------
    def _loose_index(self) -> dict[str, set[Node]]:
        if self._loose is None:
            self._loose = {}
            for key, nodes in self.index.items():
                self._loose.setdefault(loose(key), set()).update(nodes)
        return self._loose

    def _exact(self, name: str, kind: str | None) -> set[Node]:
        found = set(self.index.get(normalise(name), set()))
        iri = expand_iri(name.strip())
        if iri is not None and (iri, None, None) in self.kb.graph:
            found.add(iri)
        return {node for node in found if self._is(node, kind)} if kind else found

    def candidates(self, name: str, kind: str | None = None) -> set[Node]:
        """The entities ``name`` names: exactly, else ignoring spaces and hyphens, salt words, suffixes, aliases."""
        found = self._exact(name, kind)
        if found:
            return found
        tries = [loose(name), loose(strip_salt(name)), loose(strip_suffix(name))]
        alias = GENE_ALIASES.get(normalise(name)) or GENE_ALIASES.get(loose(name))
        if alias and kind in (None, "gene"):
            return self._exact(alias, kind)
        for key in dict.fromkeys(tries):
            nodes = self._loose_index().get(key, set())
            found = {n for n in nodes if self._is(n, kind)} if kind else set(nodes)
            if found:
                return found
        return set()

    def suggest(self, name: str, kind: str | None = None, n: int = 5) -> list[str]:
        allowed = self._instances(kind) if kind else None
        import difflib  # only for a name that did not resolve

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

    def genes(self, name: str) -> set[Node]:
        """The gene called ``name``, or every member of a gene family (``NTRK`` -> NTRK1, NTRK2, NTRK3)."""
        found = self.candidates(name, "gene")
        if found:
            return found
        name = FAMILY_ALIASES.get(normalise(name), name)
        family = re.compile(re.escape(normalise(name)) + r"\d+[a-z]?$")
        found = {n for n in self._instances("gene") if family.match(normalise(self.kb.label(n)))}
        if not found:
            raise UnknownNameError(name, "gene", self.suggest(name, "gene"))
        return found

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
        if genes is None:  # one pass over the protein changes, not a look-up per variant of the graph
            return {v for v, text in g.subject_objects(self.T.proteinChange)
                    if str(text).upper() == wanted and self._is(v, "variant")}
        return {v for v in self._variants_of(genes)
                if str(g.value(v, self.T.proteinChange) or "").upper() == wanted}

    def _ambiguous(self, text: str, nodes: Iterable[Node]) -> AmbiguousNameError:
        labels = sorted(self.kb.label(n) for n in nodes)
        error = AmbiguousNameError(text, "variant", labels, "add the gene or name the variant in full")
        error.nodes = sorted(nodes)
        return error

    def _unknown(self, text: str, genes: set[Node] | None = None, category: str | None = None) -> UnknownNameError:
        """Unknown variant: the closest names, the gene's own first ('HER2 exon 20 insertion' offers ERBB2's
        exon 20 insertions before EGFR's), those in the exon and of the kind asked before the rest."""
        suggestions = self.suggest(text, "variant")
        if genes:
            needle = _CATEGORY_LABEL.get(category or "", "")
            exon = re.search(r"exon (\d+)", needle)
            word = {"deletion": "del", "insertion": "ins"}.get(needle.rsplit(" ", 1)[-1], needle.rsplit(" ", 1)[-1])
            change = normalise(text).split(" ", 1)[-1]  # without the gene as the user spelled it
            import difflib
            g = self.kb.graph

            def score(v: Node) -> tuple[int, float]:
                label = self.kb.label(v)
                hits = 2 * bool(exon and exon.group(1) in {str(x) for x in g.objects(v, self.T.exon)})
                hits += bool(word) and word in label.lower()
                rest = normalise(label).split(" ", 1)[-1]
                return hits, difflib.SequenceMatcher(None, change, rest).ratio()

            ranked = sorted(((score(v), self.kb.label(v)) for v in self._variants_of(genes)), key=lambda x: (
                -x[0][0], -x[0][1], x[1]))
            first = [label for (hits, ratio), label in ranked if hits or ratio >= 0.6]
            suggestions = list(dict.fromkeys([*first, *suggestions]))[:5]
        return UnknownNameError(text, "variant", suggestions)

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
        if match is None:
            return None
        aa, codon = match.groups()
        if kind == "point":  # a substitution the graph lacks, answered by its codon class (D835X)
            cls = self._one(query.text, self._by_change(f"{aa}{codon}X", genes))
            if cls is not None:
                return VariantMatch(query, cls, matched_at="codon")
        if kind == "codon":  # every substitution at the codon (C481 -> C481S, C481R, C481Y ...)
            g, T = self.kb.graph, self.T
            members = {v for v in self._variants_of(genes)
                       if str(g.value(v, T.codon) or "") == codon
                       and str(g.value(v, T.proteinChange) or "").startswith(aa)
                       and (v, T.hasComponent, None) not in g}
            cls = self._one(query.text, {v for v in members if str(g.value(v, T.proteinChange)) == f"{aa}{codon}X"})
            members -= {cls}
            carriers = {g.value(v, T.variantOf) for v in members | ({cls} if cls is not None else set())}
            if len(carriers) > 1:
                raise self._ambiguous(query.text, members)
            if cls is not None or members:
                return VariantMatch(query, cls, matched_at="codon", members=tuple(sorted(members, key=str)))
        return None

    def _category_nodes(self, category: str | None, genes: set[Node] | None) -> set[Node]:
        needle = _CATEGORY_LABEL.get(category or "", "")
        g, T = self.kb.graph, self.T
        nodes = {v for v in self._variants_of(genes)
                 if needle and needle in self.kb.label(v).lower() and (v, T.hasComponent, None) not in g}
        if len(nodes) > 1:  # prefer the class over its members
            classes = {v for v in nodes if (v, None, T.VariantClass) in g}
            nodes = classes or nodes
        if len(nodes) > 1 and genes:  # 'MET amplification' over 'MET amplification (focal, high-level)'
            named = {v for v in nodes if any(self.kb.label(v).lower() == f"{self.kb.label(x).lower()} {needle}"
                                             for x in genes)}
            nodes = named or nodes
        return nodes

    def _category(self, query: VariantQuery, genes: set[Node] | None) -> Node | None:
        return self._one(query.text, self._category_nodes(query.category, genes))

    def _compound(self, query: VariantQuery, genes: set[Node] | None) -> VariantMatch:
        parts = []
        for change in query.changes:
            sub = VariantQuery(change, query.gene, (change,), "point")
            found = self._single(sub, change, "point", genes) or self._single(sub, change, "indel", genes)
            if found is None or found.node is None:
                raise self._unknown(change if query.gene is None else f"{query.gene} {change}")
            parts.append(found.node)
        if query.categories and genes is None and parts:  # 'Ex19del+T790M': the category of the changes' gene
            genes = {gene for part in parts for gene in self.kb.graph.objects(part, self.T.variantOf)}
        for category in query.categories:
            node = self._one(query.text, self._category_nodes(category, genes))
            if node is None:
                raise self._unknown(category)
            parts.insert(0, node)
        g, T = self.kb.graph, self.T
        wanted = set(parts)
        compounds = [c for c in self.kb.instances(T.CompoundVariant)
                     if set(g.objects(c, T.hasComponent)) == wanted]
        phases = {c: PHASE_OF.get(g.value(c, T.phase) or "") for c in compounds}
        asked = Phase(query.phase) if query.phase else None
        if asked:  # a phase-unknown curated node answers a cis or trans query (and says so)
            same = [c for c in compounds if phases[c] == asked]
            compounds = same or [c for c in compounds if phases[c] in (Phase.UNKNOWN, None)]
        elif len(compounds) > 1:
            unknown = [c for c in compounds if phases[c] == Phase.UNKNOWN]
            compounds = unknown or [c for c in compounds if phases[c] == Phase.CIS] or compounds
        if len(compounds) == 1:
            return VariantMatch(query, compounds[0], tuple(parts), asked or phases[compounds[0]])
        return VariantMatch(query, None, tuple(parts), asked, matched_at="component")

    def variant(self, text: str, gene: str | None = None, prefer: Callable[[Node], bool] | None = None) -> VariantMatch:
        """Resolve a variant expression (see :func:`tkigraph.variants.parse_variant`).

        ``prefer`` (a predicate on variant nodes) settles an ambiguity when exactly
        one candidate satisfies it: ``explain imatinib ABCB1`` picks the ABCB1
        alteration that has findings about imatinib.
        """
        try:
            found = self._variant(text, gene)
        except AmbiguousNameError as exc:
            chosen = [n for n in exc.nodes if prefer is not None and prefer(n)]
            if len(chosen) == 1:
                return VariantMatch(parse_variant(text, gene), chosen[0])
            raise
        specific = {self.T.PointSubstitution, self.T.Indel}
        if found.matched_at == "gene" and prefer is not None and not any(  # ABCB1 asked with imatinib
                set(self.kb.graph.objects(n, RDF.type)) & specific for n in found.members):
            chosen = [n for n in found.members if prefer(n)]
            if len(chosen) == 1:
                return VariantMatch(found.query, chosen[0], gene=found.gene)
        return found

    def _transformation(self, text: str) -> set[Node]:
        """A histologic transformation named without the word (``SCLC``, ``small cell``): the variants whose
        label or synonym is the text followed by "transformation" (``SCLC transformation``)."""
        if self._stems is None:
            self._stems = {}
            for key, nodes in self.index.items():
                if key.endswith(" transformation"):
                    stem = loose(key.removesuffix(" transformation"))
                    self._stems.setdefault(stem, set()).update(n for n in nodes if self._is(n, "variant"))
        return set(self._stems.get(loose(strip_suffix(text)), set()))

    def _exon_class(self, text: str) -> set[Node]:
        """``KIT exon 17 mutation``: the gene's variant class whose ``tkigraph:exon`` is that exon (KIT exon 17/18
        mutation), when no name matches."""
        found = _EXON_CLASS.match(strip_suffix(" ".join(text.split())))
        if found is None:
            return set()
        g, T = self.kb.graph, self.T
        genes = self._gene_nodes(found.group(1))
        return {v for v in self._variants_of(genes or None) if genes and (v, None, T.VariantClass) in g
                and (v, T.proteinChange, None) not in g  # a codon class (G719X) is not its exon's class
                and found.group(2) in {str(x) for x in g.objects(v, T.exon)}}

    def _gene_nodes(self, name: str) -> set[Node]:
        try:
            return self.genes(name)
        except UnknownNameError:
            return set()

    def _variant(self, text: str, gene: str | None) -> VariantMatch:
        query = parse_variant(text, gene)
        named = self.candidates(text, "variant") or (
            self._transformation(text) | self._exon_class(text) if gene is None else set())
        if len(named) == 1 and gene is None:
            return VariantMatch(query, next(iter(named)))
        genes = gene_nodes = None
        if query.gene:
            gene_nodes = self.genes(query.gene)
            genes = set().union(*(self.gene_scope(n) for n in gene_nodes))
        if query.is_compound:
            return self._compound(query, genes)
        if query.changes:
            found = self._single(query, query.changes[0], query.kind, genes)
            if found is not None:
                return found
            if gene_nodes and len(gene_nodes) == 1 and query.kind in ("point", "indel", "codon"):
                return self._absent(query, next(iter(gene_nodes)))
            raise self._unknown(text, genes)
        if query.kind == "category":
            nodes = self._category_nodes(query.category, genes)
            if gene_nodes and len(gene_nodes) > 1 and len(nodes) > 1:  # a gene family: 'NTRK fusion'
                return self._group(query, nodes, f"{query.gene} {query.category} ({self._labels(nodes)})")
            node = self._one(query.text, nodes)
            if node is None:
                raise self._unknown(text, genes, query.category)
            return VariantMatch(query, node)
        if named:
            raise self._ambiguous(text, named)
        return self._gene_alone(query, text)

    def _labels(self, nodes: Iterable[Node]) -> str:
        return ", ".join(sorted(self.kb.label(n) for n in nodes))

    def _group(self, query: VariantQuery, nodes: Iterable[Node], label: str, gene: Node | None = None) -> VariantMatch:
        return VariantMatch(query, None, matched_at="gene", members=tuple(sorted(nodes, key=str)), gene=gene,
                            label=label)

    def _absent(self, query: VariantQuery, gene: Node) -> VariantMatch:
        label = f"{self.kb.label(gene)} {query.changes[0]}"
        return VariantMatch(query, None, matched_at="absent", gene=gene, label=label)

    def _gene_alone(self, query: VariantQuery, text: str) -> VariantMatch:
        """A gene named alone: its one gene-level alteration (ABCB1 -> ABCB1 overexpression), or, when it has
        only specific variants (NRAS -> NRAS E63K), all of them as a group, said as such."""
        gene_nodes = self.candidates(text, "gene") or self._gene_nodes(query.text)
        if len(gene_nodes) != 1:
            raise self._unknown(text)
        gene = next(iter(gene_nodes))
        variants = self._variants_of(self.gene_scope(gene))
        specific = {self.T.PointSubstitution, self.T.Indel, self.T.CompoundVariant}
        broad = {v for v in variants if not set(self.kb.graph.objects(v, RDF.type)) & specific}
        broad = {v for v in broad if v != gene and self.kb.graph.value(v, self.T.variantOf) == gene} or broad - {gene}
        if len(broad) == 1:
            return VariantMatch(query, next(iter(broad)), gene=gene)
        if broad or variants - {gene}:
            members = broad or variants - {gene}
            label = f"{self.kb.label(gene)} (any recorded alteration: {self._labels(members)})"
            return self._group(query, members, label, gene)
        raise self._unknown(text)
