"""Every RDF term tkigraph uses, declared once, as plain-string IRIs.

``TKG`` is the schema namespace (classes, properties and SKOS concepts of
``ontology/tkigraph.ttl``); it is closed, so a misspelt term raises
(``TKG.Drug`` is ``"https://w3id.org/tkigraph/ontology#Drug"``).
``TKD`` is the namespace of the curated entities (drugs, genes, variants ...).
``PREFIXES`` maps every CURIE prefix the project uses to its IRI; :func:`curie`
and :func:`expand_iri` convert between the two.

These are the terms of the one reader (:mod:`tkigraph.reader`, over the Oxigraph
store). The rdflib forms of the same namespaces, for the edges that build or check
rdflib graphs (importers, SHACL, ``fmt``), are in :mod:`tkigraph.rdfterms`.

>>> TKG.Drug
'https://w3id.org/tkigraph/ontology#Drug'
>>> curie(TKD.imatinib)
'tkd:imatinib'
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "PREFIXES", "curie", "expand_iri", "iri_of", "TKG_IRI", "TKG_TERMS", "StringNamespace", "RECORD_PAGES",
    "TKG", "TKD", "RDF", "RDFS", "OWL", "XSD", "SKOS", "DCTERMS", "PROV", "PUBMED", "DOI",
]

TKG_IRI = "https://w3id.org/tkigraph/ontology#"

#: every term of ``ontology/tkigraph.ttl`` (the namespace is closed: anything else raises)
TKG_TERMS: frozenset[str] = frozenset("""
    ATPPocket ActivationLoop Allosteric AlphaCBeta4Loop AlphaCHelix Amplification Beta3AlphaCLoop
    Beta3Lysine BindingModeScheme BypassActivation CLobe CatalyticLoop CellStateChange Cis Claim Clinical
    Combination CompoundVariant Covalent CovalentCysteine DFGMotif Disease DownstreamAlteration
    Drug DrugEfflux DrugLabel DrugMetabolism EffectScheme EpigeneticChange EvidenceLevelScheme
    ExpressionChange ExtracellularDomain Finding Fusion Gatekeeper Gene Guideline GuidelineOrLabel
    Hinge InVitro Indel Juxtamembrane Kinase LineageTransformation LossOfFunction Mechanism
    MechanismScheme MicroenvironmentFactor MyristoylPocket NLobe OnTargetMutation PLoop Pathway
    PhaseScheme PhaseUnknown PointSubstitution PreclinicalInVivo PseudokinaseDomain Publication
    ReducedSensitivity RegionScheme Resistant Sensitive SolventFront SpliceVariant
    TargetAmplification TargetDependence Trans TumourMicroenvironment TypeI TypeII Unverified
    UnspecifiedCombination Variant VariantClass VerificationScheme VerifiedCIViC VerifiedLabel
    VerifiedMOAlmanac VerifiedSearch XDFG activatesPathway bindingMode civicLevel civicRating codon
    cohortSize confersResistanceTo disease drug effect evidenceLevel excludesMember exon firstAuthor fivePrimePartner frequency
    fusionPartner generation hasComponent hasComponentDrug hgvs ic50 ic50FoldChange indicatedFor
    inhibits journal mechanism memberOf negated parentVariant phase proteinChange
    reducesSensitivityTo region requiredComponent retainsSensitivityTo revisionDate setId sourceNote statement structuralNote supports
    threePrimePartner variant variantOf verification withdrawalDate
""".split())

#: CURIE prefix -> IRI prefix, for every registry and vocabulary in the graph.
#: an upstream source -> the page of one of its records, by the record's number (CIViC evidence item,
#: MOAlmanac assertion): where ``explain`` links an imported finding's ``dcterms:identifier``
RECORD_PAGES: dict[str, str] = {
    "civic": "https://civicdb.org/links/evidence_items/{}",
    "moalmanac": "https://moalmanac.org/assertion/{}",
}

PREFIXES: dict[str, str] = {
    "tkigraph": TKG_IRI,
    "tkd": "https://w3id.org/tkigraph/kb/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "biolink": "https://w3id.org/biolink/vocab/",
    "sh": "http://www.w3.org/ns/shacl#",
    "pubmed": "https://identifiers.org/pubmed:",
    "doi": "https://doi.org/",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "pubchem.compound": "https://identifiers.org/pubchem.compound:",
    "chembl.compound": "https://identifiers.org/chembl.compound:",
    "HGNC": "https://identifiers.org/hgnc:",
    "NCBIGene": "https://identifiers.org/ncbigene:",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "SO": "http://purl.obolibrary.org/obo/SO_",
    "ECO": "http://purl.obolibrary.org/obo/ECO_",
    "reactome": "https://identifiers.org/reactome:",
    "kegg.pathway": "https://identifiers.org/kegg.pathway:",
    "civic.eid": "https://civicdb.org/links/evidence_items/",
}

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


_CURIES: dict[str, str] = {}  # IRI -> CURIE, remembered (the whole-graph commands ask for each many times)


def curie(iri: str) -> str:
    """Return the CURIE of ``iri`` (``tkd:imatinib``), or the IRI itself if no prefix fits."""
    # Kept by hand rather than through curies.Converter (issue 13): measured on `tkigraph explain imatinib
    # T315I --format json`, the same output took 1.62 s with curies against 0.97 s without (mean of 6 runs
    # each, interleaved, load 4.8), importing curies alone costing 0.56 s; per uncached call 10 us against 6.
    text = str(iri)
    found = _CURIES.get(text)
    if found is None:
        found = text
        for prefix, base in _BY_LENGTH:
            if text.startswith(base) and len(text) > len(base):
                found = f"{prefix}:{text[len(base):]}"
                break
        if len(_CURIES) < 1 << 20:
            _CURIES[text] = found
    return found


def expand_iri(text: str) -> str | None:
    """The IRI (a plain string) of a CURIE whose prefix is known (case-sensitive prefix), else None."""
    prefix, sep, local = text.partition(":")
    if not sep or not local or prefix not in PREFIXES:
        return None
    return PREFIXES[prefix] + local


def iri_of(text: str) -> str:
    """The IRI of a CURIE whose prefix is known (``tkigraph:Drug``), else ``text`` itself (a full IRI)."""
    return expand_iri(text) or text


class StringNamespace:
    """A namespace of plain-string IRIs: ``StringNamespace(base).label == base + "label"``.

    With ``terms`` it is closed: any other name raises AttributeError, as rdflib's
    DefinedNamespace does.
    """

    def __init__(self, base: str, terms: frozenset[str] | None = None) -> None:
        self._base, self._terms = base, terms

    def __getattr__(self, name: str) -> str:  # only called the first time a name is asked for
        if name.startswith("_") or (self._terms is not None and name not in self._terms):
            raise AttributeError(f"term {name!r} is not in the namespace {self._base}")
        setattr(self, name, self._base + name)
        return self._base + name

    def __getitem__(self, name: str) -> str:
        """The IRI of a local name that is not a Python identifier (``TKD["BCR-ABL1_T315I"]``)."""
        if self._terms is not None and name not in self._terms:
            raise KeyError(f"term {name!r} is not in the namespace {self._base}")
        return self._base + name

    def __str__(self) -> str:
        return self._base


#: the schema (closed: only the terms of ``ontology/tkigraph.ttl``)
TKG: Final = StringNamespace(TKG_IRI, TKG_TERMS)
#: the curated entities
TKD: Final = StringNamespace(PREFIXES["tkd"])
RDF: Final = StringNamespace(PREFIXES["rdf"])
RDFS: Final = StringNamespace(PREFIXES["rdfs"])
OWL: Final = StringNamespace(PREFIXES["owl"])
XSD: Final = StringNamespace(PREFIXES["xsd"])
SKOS: Final = StringNamespace(PREFIXES["skos"])
DCTERMS: Final = StringNamespace(PREFIXES["dcterms"])
PROV: Final = StringNamespace(PREFIXES["prov"])
PUBMED: Final = StringNamespace(PREFIXES["pubmed"])
DOI: Final = StringNamespace(PREFIXES["doi"])
