"""Every RDF term tkigraph uses, declared once.

``TKG`` is the schema namespace (classes, properties and SKOS concepts of
``ontology/tkigraph.ttl``); it is closed, so a misspelt term raises.
``TKD`` is the namespace of the curated entities (drugs, genes, variants ...).
``PREFIXES`` maps every CURIE prefix the project uses to its IRI; :func:`curie`
and :func:`expand` convert between the two.

Two forms of the same terms, so the fast paths need not import rdflib:

* ``TKG``, ``RDF``, ``RDFS``, ``SKOS`` ... are rdflib namespaces (``URIRef``
  terms), built on first use;
* :data:`STRINGS` holds the same namespaces as plain ``str`` IRIs
  (``STRINGS.TKG.Drug``), used over an Oxigraph store (:mod:`tkigraph.view`).

Code that reads either kind of graph takes its terms from the graph's
:class:`Vocabulary` (``kb.V.TKG.Drug``), so one implementation serves both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import URIRef

#: the rdflib namespaces, importable by name but built on first use (see ``__getattr__``)
RDFLIB_NAMES = ("TKG", "TKD", "PUBMED", "DOI", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD")

__all__ = [
    "PREFIXES", "curie", "expand", "expand_iri", "RDFLIB_NAMES",
    "TKG_IRI", "TKG_TERMS", "Vocabulary", "StringNamespace", "STRINGS", "rdflib_vocabulary", "RECORD_PAGES",
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
    confersResistanceTo disease drug effect evidenceLevel excludesMember exon firstAuthor fivePrimePartner
    fusionPartner generation hasComponent hasComponentDrug hgvs ic50 ic50FoldChange indicatedFor
    inhibits journal mechanism memberOf negated parentVariant phase proteinChange
    reducesSensitivityTo region retainsSensitivityTo revisionDate setId sourceNote statement structuralNote supports
    threePrimePartner variant variantOf verification
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


def expand(text: str) -> URIRef | None:
    """Return the IRI (an rdflib ``URIRef``) of a CURIE whose prefix is known, else None."""
    from rdflib import URIRef

    iri = expand_iri(text)
    return URIRef(iri) if iri is not None else None


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

    def __str__(self) -> str:
        return self._base


@dataclass(frozen=True)
class Vocabulary:
    """The terms of one kind of graph: rdflib ``URIRef``s or plain strings.

    ``iri`` makes a node from an IRI string; ``is_iri`` tells IRIs from blank
    nodes and literals; ``true`` is the boolean literal true of that kind of graph.
    """

    TKG: Any
    RDF: Any
    RDFS: Any
    SKOS: Any
    DCTERMS: Any
    iri: Callable[[str], Any]
    is_iri: Callable[[Any], bool]
    true: Any

    def term(self, text: str) -> Any:
        """The node of a CURIE (``tkigraph:Drug``) or of a full IRI."""
        return self.iri(expand_iri(text) or text)


#: the vocabulary of graphs whose IRIs are plain strings (the Oxigraph view)
STRINGS = Vocabulary(
    TKG=StringNamespace(TKG_IRI, TKG_TERMS), RDF=StringNamespace(PREFIXES["rdf"]),
    RDFS=StringNamespace(PREFIXES["rdfs"]), SKOS=StringNamespace(PREFIXES["skos"]),
    DCTERMS=StringNamespace(PREFIXES["dcterms"]), iri=str, is_iri=lambda term: type(term) is str, true=True,
)

_RDFLIB: dict[str, Any] = {}


def _rdflib_terms() -> dict[str, Any]:
    """The rdflib namespaces, built (and rdflib imported) on first use."""
    if not _RDFLIB:
        from rdflib import Literal, Namespace, URIRef
        from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

        tkg = type("TKG", (DefinedNamespace,), {
            "__doc__": "The tkigraph ontology (closed: only the terms of ``ontology/tkigraph.ttl``).",
            "__module__": __name__, "_NS": Namespace(TKG_IRI), "_fail": True,
            "__annotations__": dict.fromkeys(sorted(TKG_TERMS), URIRef),
        })
        _RDFLIB.update(
            TKG=tkg, TKD=Namespace(PREFIXES["tkd"]), PUBMED=Namespace(PREFIXES["pubmed"]),
            DOI=Namespace(PREFIXES["doi"]), DCTERMS=DCTERMS, OWL=OWL, PROV=PROV, RDF=RDF, RDFS=RDFS,
            SKOS=SKOS, XSD=XSD,
        )
        _RDFLIB["vocabulary"] = Vocabulary(TKG=tkg, RDF=RDF, RDFS=RDFS, SKOS=SKOS, DCTERMS=DCTERMS,
                                           iri=URIRef, is_iri=lambda term: isinstance(term, URIRef),
                                           true=Literal(True))
    return _RDFLIB


def rdflib_vocabulary() -> Vocabulary:
    """The vocabulary of rdflib graphs."""
    vocabulary: Vocabulary = _rdflib_terms()["vocabulary"]
    return vocabulary


def __getattr__(name: str) -> Any:
    """``TKG``, ``RDF``, ``SKOS`` ...: the rdflib namespaces, built when first asked for."""
    if name in RDFLIB_NAMES:
        return _rdflib_terms()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
