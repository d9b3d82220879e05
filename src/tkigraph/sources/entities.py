"""Map an upstream source's names onto the entities of the knowledge base, creating what is missing.

:class:`EntityMapper` is shared by importers: a gene symbol, a variant name in
any of the forms CIViC uses, a drug name or a DOID becomes the IRI of our
entity when the knowledge base has one (through :class:`tkigraph.resolve.Resolver`
and :func:`tkigraph.variants.parse_variant`), and otherwise a new entity named
and typed as ``ontology/CURATION.md`` asks, with an ``imported_`` prefix so an
imported entity is never mistaken for a curated one. The prefix is the same for
every source, so two imports that both create "KRAS G12C" create one node (two
nodes with one label would make the name ambiguous):

* gene ``tkd:<SYMBOL>`` (``tkigraph:Gene``, labelled with the symbol);
* variant ``tkd:imported_<GENE>_<change or normalised name>`` (``tkd:imported_EGFR_G719D``),
  labelled ``"<GENE> <change>"``, with ``tkigraph:variantOf`` and, where the knowledge
  base has one, ``tkigraph:parentVariant`` (the codon class, or the fusion);
* compound ``tkd:imported_<GENE>_<c1>_<c2>_phaseunknown`` (``tkigraph:PhaseUnknown``);
* disease: the curated one with that DOID or name, else ``tkd:imported_disease_<name>`` keyed by
  the name (:func:`disease_key`), so every source naming it meets on one node, with
  ``skos:exactMatch DOID:<n>`` when a source gives the DOID;
* a drug outside the knowledge base that is not a kinase inhibitor ``tkd:imported_other_<name>``
  (only as a component of a combination; :mod:`tkigraph.sources.drugs` creates the kinase
  inhibitors); a combination ``tkd:imported_<drug1>_<drug2>`` (alphabetical).

The new triples go to ``self.out``; the knowledge base is never changed.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node as RdfNode

from ..errors import TkigraphError
from ..model import KnowledgeBase, Node
from ..namespaces import PREFIXES
from ..rdfterms import DCTERMS, RDF, RDFS, SKOS, TKD, TKG, XSD, expand
from ..resolve import Resolver, normalise
from ..variants import AA3, VariantQuery, parse_variant
from .storage import CuratedTerms

__all__ = ["EntityMapper", "disease_key", "disease_label", "slug"]

_ONE_TO_THREE = {v: k for k, v in AA3.items()}

#: category key (tkigraph.variants.CATEGORIES) -> (class of a new variant, words of its label)
CATEGORY_KIND: dict[str, tuple[URIRef, str]] = {
    "exon19del": (TKG.VariantClass, "exon 19 deletion"),
    "exon20ins": (TKG.VariantClass, "exon 20 insertion"),
    "exon14_skipping": (TKG.SpliceVariant, "exon 14 skipping"),
    "ITD": (TKG.Indel, "ITD"),
    "amplification": (TKG.Amplification, "amplification"),
    "overexpression": (TKG.ExpressionChange, "overexpression"),
    "fusion": (TKG.VariantClass, "fusion"),
    "exon11_mutation": (TKG.VariantClass, "exon 11 mutation"),
    "exon9_mutation": (TKG.VariantClass, "exon 9 mutation"),
    "loss": (TKG.LossOfFunction, "loss"),
    "mutation": (TKG.VariantClass, "mutation"),
}

#: the kind of a parsed change -> class of a new variant
KIND_CLASS = {"point": TKG.PointSubstitution, "indel": TKG.Indel, "codon": TKG.VariantClass,
              "class": TKG.VariantClass}

#: CIViC spellings of a change that our canonical form writes differently (gene, CIViC form) -> ours
CHANGE_ALIASES = {
    ("ALK", "T1151insT"): "T1151dup",  # the inserted threonine duplicates Thr1151
}

#: fusions whose variants are variants of the fusion itself (CURATION.md), keyed by normalised name
FUSION_CARRIERS = {"bcr-abl", "bcr-abl1", "fip1l1-pdgfra"}

_SPLIT_COMPOUND = re.compile(r"\s+(?:\+|AND|and)\s+")
_RANGE_DELINS = re.compile(r"^([A-Z])([A-Z])(\d+)-(\d+)([A-Z]+)$")  # DI842-843VM
_IN_FUSION = re.compile(r"^(?:[A-Za-z0-9]+\s+)?FUSIONS?\s+(\S+)$", re.IGNORECASE)
_FUSION_NAME = re.compile(r"^[A-Z][A-Z0-9]*-[A-Z][A-Z0-9]*$", re.IGNORECASE)
_DUP_LETTERS = re.compile(r"^(.*\d)DUP[A-Z]+$", re.IGNORECASE)  # A767_V769dupASV


def slug(text: str) -> str:
    """A name as an IRI-safe local part: runs of other characters become one underscore."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", text.replace("*", "Ter")).strip("_") or "unnamed"


def disease_key(name: str) -> str:
    """What identifies an imported disease: its name in lower case, hyphens as spaces, without a
    trailing abbreviation in parentheses, its last word in the singular.

    >>> disease_key("Anaplastic large cell lymphoma (ALCL)") == disease_key("Anaplastic Large Cell Lymphoma")
    True
    >>> disease_key("Langerhans-Cell Histiocytosis"), disease_key("Thymic carcinomas")
    ('langerhans cell histiocytosis', 'thymic carcinoma')
    """
    text = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    text = re.sub(r"(omas|omes|asms|ors)$", lambda m: m.group(1)[:-1], text.strip(), flags=re.IGNORECASE)
    return " ".join(text.replace("-", " ").casefold().split())


def disease_label(name: str) -> str:
    """A source's disease name in the curated graph's style: the words of :func:`disease_key`, in lower
    case except symbols and abbreviations (a hyphen stays only between two of them).

    >>> disease_label("Her2-receptor Negative Breast Cancer"), disease_label("B-cell Acute Lymphoblastic Leukemia")
    ('Her2 receptor negative breast cancer', 'B cell acute lymphoblastic leukemia')
    >>> disease_label("B-lymphoblastic Leukemia/lymphoma, BCR-ABL1-like")
    'B lymphoblastic leukemia/lymphoma, BCR-ABL1 like'
    """
    def kept(token: str) -> bool:
        return len(token) == 1 or sum(c.isupper() for c in token) > 1 or any(c.isdigit() for c in token)

    def word(text: str) -> str:
        parts = text.split("-")
        out = parts[0] if kept(parts[0]) else parts[0].lower()
        for before, part in zip(parts, parts[1:], strict=False):
            glue = "-" if kept(before) and kept(part) and len(before) > 1 else " "
            out += glue + (part if kept(part) else part.lower())
        return out

    text = re.sub(r"\s*\([^)]*\)\s*$", "", " ".join(name.split()))
    text = re.sub(r"(omas|omes|asms|ors)$", lambda m: m.group(1)[:-1], text, flags=re.IGNORECASE)
    return " ".join(word(w) for w in text.replace("\u2013", "-").split())


def clean_variant_name(name: str) -> str:
    """Squeeze spaces, turn an en dash between changes into ' + ', drop a trailing (c.598C>T)."""
    text = re.sub(r"\s*\(c\.[^)]*\)\s*$", "", name.strip())
    text = re.sub(r"\s*[\u2013\u2014]\s*", " + ", text)
    match = _RANGE_DELINS.match(text.upper())
    if match:  # DI842-843VM -> D842_I843delinsVM
        first, second, start, end, inserted = match.groups()
        text = f"{first}{start}_{second}{end}delins{inserted}"
    dup = _DUP_LETTERS.match(text)
    if dup:
        text = f"{dup.group(1)}dup"
    return " ".join(text.split())


class EntityMapper:
    """Names of a source -> entities of ``kb``; new entities are written to ``self.out``."""

    def __init__(self, kb: KnowledgeBase, out: Graph, source: str = "civic", prefix: str = "imported") -> None:
        self.kb, self.out, self.source, self.prefix = kb, out, source, prefix
        self.resolver = Resolver(kb)
        #: the curated graph in rdflib terms, to compare with ``out`` (see tkigraph.sources.storage.CuratedTerms)
        self.graph = CuratedTerms(kb.graph)
        self._cache: dict[tuple[tuple[str, str], ...], URIRef] = {}
        self._doid: dict[str, URIRef] = {}
        doid_base = PREFIXES["DOID"]
        for disease, xref in sorted(self.graph.subject_objects(SKOS.exactMatch)):
            if str(xref).startswith(doid_base) and (disease, RDF.type, TKG.Disease) in self.graph:
                self._doid.setdefault(str(xref)[len(doid_base):], URIRef(str(disease)))

    def forget(self) -> None:
        """Drop the cached variants (after the importer rolled back triples that may have created them)."""
        self._cache.clear()

    def _new(self, node: URIRef) -> bool:
        return (node, None, None) not in self.graph and (node, RDF.type, None) not in self.out

    def _label(self, node: object) -> str:
        """The label of a gene or variant (an rdflib term or a plain-string IRI): ours, else the curated one."""
        value = self.out.value(URIRef(str(node)), RDFS.label)
        return str(value) if value is not None else self.kb.label(str(node))

    # -- genes and drugs -----------------------------------------------------------
    def gene(self, symbol: str) -> URIRef:
        """Our gene (or fusion kinase) called ``symbol``, or a new ``tkd:<SYMBOL>`` gene."""
        found = self.resolver.candidates(symbol, "gene")
        if len(found) == 1:
            return URIRef(next(iter(found)))  # the resolver over an rdflib graph finds URIRefs
        node: URIRef = TKD[slug(symbol)]
        if self._new(node):
            self.out.add((node, RDF.type, TKG.Gene))
            self.out.add((node, RDFS.label, Literal(symbol)))
        return node

    def drug(self, name: str) -> URIRef | None:
        """Our drug called ``name`` (label, synonym or code name, any case), else None.

        ``Alectinib (CH5424802)`` is tried whole, then as ``Alectinib`` and ``CH5424802``.
        """
        tries = [name, *[p.strip() for p in re.split(r"[(),]", name) if p.strip()]]
        for text in tries:
            found = {d for d in self.resolver.candidates(text, "drug")
                     if (d, RDF.type, TKG.Combination) not in self.graph}
            if len(found) == 1:
                return URIRef(next(iter(found)))
        return None

    def other_drug(self, name: str) -> URIRef:
        """A drug outside the knowledge base, named only as part of a combination."""
        node: URIRef = TKD[f"{self.prefix}_other_{slug(name.lower())}"]
        if self._new(node):
            self.out.add((node, RDF.type, TKG.Drug))
            plain = re.fullmatch(r"[A-Z][a-z]+(?: [a-z]+)*", name)  # Pemetrexed -> pemetrexed; AEE788 kept
            self.out.add((node, RDFS.label, Literal(name.lower() if plain else name)))
            self.out.add((node, SKOS.definition, Literal(
                "Named in imported evidence beside a kinase inhibitor; not a kinase inhibitor of the "
                "tkigraph knowledge base.")))
        self.out.add((node, DCTERMS.publisher, Literal(self.source)))
        return node

    def combination(self, drugs: list[URIRef], note: str | None = None) -> URIRef:
        """A combination of ``drugs``: the curated one with exactly these components, or a new one."""
        wanted = set(drugs)
        if note is None:
            for combo in sorted(self.kb.instances(TKG.Combination)):
                if set(self.graph.objects(combo, TKG.hasComponentDrug)) == wanted:
                    return URIRef(combo)
        names = sorted(str(d)[len(str(TKD)):].removeprefix(f"{self.prefix}_other_").removeprefix(f"{self.prefix}_drug_")
                       for d in wanted)
        node: URIRef = TKD[f"{self.prefix}_" + "_".join(names) + ("_unspecified" if note else "")]
        if self._new(node):
            label = " + ".join(sorted(self._label(d) for d in wanted))
            self.out.add((node, RDF.type, TKG.UnspecifiedCombination if note else TKG.Combination))
            self.out.add((node, RDFS.label, Literal(label + (" (combination or alternatives)" if note else ""))))
            for drug in wanted:
                self.out.add((node, TKG.hasComponentDrug, drug))
            self.out.add((node, SKOS.definition, Literal(note or f"{label}, given together.")))
        return node

    # -- diseases ------------------------------------------------------------------
    def disease(self, doid: str, name: str) -> URIRef | None:
        """Our disease with ``skos:exactMatch DOID:<doid>`` or that name, else the one imported node of that name.

        A name matches a curated disease by label or synonym, also without a trailing abbreviation
        ("Anaplastic large cell lymphoma (ALCL)"), in the singular, or with "cancer" for "carcinoma"
        (and back). Otherwise the node is ``tkd:imported_disease_<name>``, keyed by the name
        (:func:`disease_key`), so CIViC's "Acute Lymphoblastic Leukemia" (DOID:9952) and MOAlmanac's
        (no DOID) are one node: its label is :func:`disease_label` of the name, each source's
        spelling an ``skos:altLabel``, and a DOID, when a source gives one, its ``skos:exactMatch``.
        """
        doid = doid.strip().removeprefix("DOID:")
        if doid in self._doid:
            return self._doid[doid]
        ours = self.curated_disease(name)
        if ours is not None:
            return ours
        if not doid and not name.strip():
            return None
        key = disease_key(name) or f"DOID {doid}"
        node: URIRef = TKD[f"{self.prefix}_disease_{slug(key)}"]
        if self._new(node):
            self.out.add((node, RDF.type, TKG.Disease))
            self.out.add((node, RDFS.label, Literal(disease_label(name) if name.strip() else f"DOID:{doid}")))
        if name.strip() and " ".join(name.split()) != disease_label(name):
            self.out.add((node, SKOS.altLabel, Literal(" ".join(name.split()))))
        match = expand(f"DOID:{doid}") if doid else None
        if match is not None:
            self.out.add((node, SKOS.exactMatch, match))
        return node

    def curated_disease(self, name: str) -> URIRef | None:
        """The curated disease a source's name names (see :meth:`disease`), if exactly one."""
        plain = re.sub(r"\s*\([^)]*\)\s*$", "", " ".join(name.split()))
        tries = [name, plain, re.sub(r"s$", "", plain), re.sub(r"(?i)\bcancer\b", "carcinoma", plain),
                 re.sub(r"(?i)\bcarcinoma\b", "cancer", plain)]
        for text in dict.fromkeys(t for t in tries if t.strip()):
            found = {d for d in self.resolver.candidates(text, "disease") if (d, None, None) in self.graph}
            if len(found) == 1:
                return URIRef(next(iter(found)))
        return None

    # -- variants ------------------------------------------------------------------
    def variant(self, parts: list[tuple[str, str]]) -> URIRef:
        """The variant of a profile: one (gene, name) pair, or several joined by AND (a compound)."""
        key = tuple((g, n) for g, n in parts)
        if key not in self._cache:
            if len(parts) == 1:
                self._cache[key] = self.single(*parts[0])
            else:
                self._cache[key] = self.compound([self.single(g, n) for g, n in parts])
        return self._cache[key]

    def single(self, gene: str, name: str) -> URIRef:
        """One variant name of ``gene`` in any CIViC form (may itself be a compound: 'Ex19 del L858R')."""
        text = clean_variant_name(name)
        in_fusion = _IN_FUSION.match(text)
        if in_fusion:  # ALK FUSION G1202R: the change, found in a fusion
            text = in_fusion.group(1)
        pieces = _SPLIT_COMPOUND.split(text)
        if len(pieces) == 1:
            pieces = self._category_then_change(text) or pieces
        if len(pieces) > 1:
            head = parse_variant(pieces[0], gene).gene or gene
            return self.compound([self.single(gene, pieces[0])] + [self.single(head, p) for p in pieces[1:]])
        return self._existing(gene, text) or self._create(gene, text)

    def _category_then_change(self, text: str) -> list[str] | None:
        """'Ex19 del L858R' -> ['Ex19 del', 'L858R'] (a category followed by a change)."""
        tokens = text.split()
        for i in range(1, len(tokens)):
            left, right = " ".join(tokens[:i]), " ".join(tokens[i:])
            if parse_variant(left).kind == "category" and parse_variant(right).kind in ("point", "indel"):
                return [left, right]
        return None

    def _query(self, gene: str, text: str) -> VariantQuery:
        query = parse_variant(text, gene)
        if query.kind == "name" and text.upper().endswith(" MUTATION"):  # EXON 14 SKIPPING MUTATION
            shorter = parse_variant(text[: -len(" MUTATION")], gene)
            if shorter.kind == "category":
                return VariantQuery(text[: -len(" MUTATION")], shorter.gene, (), "category", shorter.category)
        if len(query.changes) == 1:
            alias = CHANGE_ALIASES.get(((query.gene or gene).split("-")[-1].upper(), query.changes[0]))
            if alias:
                return VariantQuery(alias, query.gene, (alias,), query.kind)
        return query

    def _scope(self, gene: str) -> set[Node]:
        found = self.resolver.candidates(gene, "gene")
        return {URIRef(x) for x in self.resolver.gene_scope(next(iter(found)))} if len(found) == 1 else set()

    def _existing(self, gene: str, text: str) -> URIRef | None:
        scope = self._scope(gene)
        for name in (f"{gene} {text}", text):  # a label or synonym of a variant of this gene: 'FLT3 TKD mutation'
            found = {v for v in map(URIRef, self.resolver.candidates(name, "variant"))
                     if v in scope or set(self.graph.objects(v, TKG.variantOf)) & scope}
            if len(found) == 1:
                return URIRef(next(iter(found)))
        query = self._query(gene, text)
        if query.kind == "name" or query.category == "mutation":  # 'MUTATION' only by its exact label
            return None
        tries = [(query.text, query.gene or gene)]
        if query.changes and query.gene and query.gene != gene:  # HIP1-ALK I1171N: an unknown fusion partner
            tries.append((query.changes[0], gene))
        for expression, where in tries:
            try:
                match = self.resolver.variant(expression, where)
            except TkigraphError:
                continue
            if match.node is not None and (match.matched_at == "exact" or query.kind in ("codon", "class", "category")):
                return URIRef(match.node)
        return None

    def _carrier(self, gene: str, query: VariantQuery) -> URIRef:
        """The gene a new variant is a variant of: the fusion for BCR-ABL1 and FIP1L1-PDGFRA, else the gene."""
        head = query.gene
        if head and normalise(head) in FUSION_CARRIERS:
            found = self.resolver.candidates(head, "gene")
            if len(found) == 1:
                return URIRef(next(iter(found)))
        return self.gene(gene)

    def _create(self, gene: str, text: str) -> URIRef:
        query = self._query(gene, text)
        carrier = self._carrier(gene, query)
        symbol = self._label(carrier)
        cls: URIRef = TKG.Variant
        words, change = text, None
        if len(query.changes) == 1:
            change = query.changes[0]
            cls, words = KIND_CLASS.get(query.kind, TKG.Variant), change
        elif query.kind == "category" and query.category in CATEGORY_KIND:
            cls, words = CATEGORY_KIND[query.category]
        elif _FUSION_NAME.match(text):  # a fusion named alone: NPM-ALK
            cls = TKG.Fusion
        local = change or (query.category if query.kind == "category" and query.category else slug(text))
        node: URIRef = TKD[f"{self.prefix}_{slug(symbol)}_{slug(local)}"]
        if not self._new(node):
            return node
        out = self.out
        out.add((node, RDF.type, cls))
        label = text if cls == TKG.Fusion else f"{symbol} {words}"
        out.add((node, RDFS.label, Literal(label)))
        if normalise(label) != normalise(f"{gene} {text}") and cls != TKG.Fusion:
            out.add((node, SKOS.altLabel, Literal(f"{gene} {text}")))
        out.add((node, TKG.variantOf, carrier))
        parent = self._parent(gene, query, cls)
        if parent is not None:
            out.add((node, TKG.parentVariant, parent))
        if change:
            self._describe_change(node, change, query.kind)
        return node

    def _parent(self, gene: str, query: VariantQuery, cls: URIRef) -> URIRef | None:
        if cls == TKG.Fusion:
            return self._existing(gene, "fusion")
        if query.kind in ("point", "indel") and query.changes:
            match = re.match(r"^([A-Z])(\d+)", query.changes[0])
            if match:
                found = self._with_change(f"{match.group(1)}{match.group(2)}X", self._scope(gene))
                if len(found) == 1:
                    return URIRef(next(iter(found)))
        if query.gene and normalise(query.gene) != normalise(gene) and query.kind != "category":
            fusion = self.resolver.candidates(query.gene, "variant")
            if len(fusion) == 1:
                return URIRef(next(iter(fusion)))
        return None

    def _with_change(self, change: str, scope: set[Node]) -> set[Node]:
        """Our variants of the genes in ``scope`` whose protein change is ``change``."""
        g = self.graph
        return {URIRef(str(v)) for v in g.subjects(TKG.proteinChange, Literal(change))
                if set(g.objects(v, TKG.variantOf)) & scope}

    def _describe_change(self, node: URIRef, change: str, kind: str) -> None:
        self.out.add((node, TKG.proteinChange, Literal(change)))
        codon = re.match(r"^[A-Z](\d+)", change)
        if codon:
            self.out.add((node, TKG.codon, Literal(int(codon.group(1)), datatype=XSD.integer)))
        point = re.match(r"^([A-Z])(\d+)([A-Z*])$", change)
        if kind == "point" and point and point.group(1) in _ONE_TO_THREE and point.group(3) in _ONE_TO_THREE:
            ref, pos, alt = point.groups()
            self.out.add((node, TKG.hgvs, Literal(f"p.{_ONE_TO_THREE[ref]}{pos}{_ONE_TO_THREE[alt]}")))

    def compound(self, components: list[URIRef]) -> URIRef:
        """The compound (phase unknown) of ``components``: the curated one if any, else a new one."""
        g = self.graph
        wanted = set(components)
        for curated in sorted(self.kb.instances(TKG.CompoundVariant)):
            if set(g.objects(curated, TKG.hasComponent)) == wanted and g.value(curated, TKG.phase) == TKG.PhaseUnknown:
                return URIRef(curated)
        genes = []
        for part in components:
            for gene in [*g.objects(part, TKG.variantOf), *self.out.objects(part, TKG.variantOf)]:
                if gene not in genes:
                    genes.append(gene)
        symbol = self._label(genes[0]) if genes else "compound"
        changes, locals_ = [], []
        for part in components:
            label, local = self._label(part), str(part)[len(str(TKD)):]
            changes.append(label[len(symbol) + 1:] if label.startswith(symbol + " ") else label)
            for head in (f"{self.prefix}_{slug(symbol)}_", f"{slug(symbol)}_"):
                local = local.removeprefix(head)
            locals_.append(local)
        node: URIRef = TKD[f"{self.prefix}_{slug(symbol)}_" + "_".join(locals_) + "_phaseunknown"]
        if self._new(node):
            self.out.add((node, RDF.type, TKG.CompoundVariant))
            self.out.add((node, RDFS.label, Literal(f"{symbol} " + " + ".join(changes) + " (phase unknown)")))
            for part in components:
                self.out.add((node, TKG.hasComponent, part))
            for gene in genes:
                self.out.add((node, TKG.variantOf, gene))
            self.out.add((node, TKG.phase, TKG.PhaseUnknown))
        return node

    # -- mechanism -----------------------------------------------------------------
    def is_target(self, drug: URIRef, variant: URIRef) -> bool:
        """Does the drug (or a component of the combination) inhibit the variant's gene or its fusions?"""
        g = self.graph
        drugs = {drug} | set(g.objects(drug, TKG.hasComponentDrug)) | set(self.out.objects(drug, TKG.hasComponentDrug))
        targets = {t for d in drugs for t in [*g.objects(d, TKG.inhibits), *self.out.objects(d, TKG.inhibits)]}
        genes = set()
        parts = [variant, *g.objects(variant, TKG.hasComponent), *self.out.objects(variant, TKG.hasComponent)]
        for part in parts:
            for gene in [*g.objects(part, TKG.variantOf), *self.out.objects(part, TKG.variantOf)]:
                genes |= {URIRef(x) for x in self.resolver.gene_scope(str(gene))}
        return bool(targets & genes)

    def variant_class(self, variant: URIRef) -> set[RdfNode]:
        return set(self.graph.objects(variant, RDF.type)) | set(self.out.objects(variant, RDF.type))

    def gene_symbols(self, variant: URIRef) -> set[str]:
        g = self.graph
        genes = [*g.objects(variant, TKG.variantOf), *self.out.objects(variant, TKG.variantOf)]
        return {self._label(gene) for gene in genes}

