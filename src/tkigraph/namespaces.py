"""Every RDF term tkigraph uses, declared once.

``TKG`` is the schema namespace (classes, properties and SKOS concepts of
``ontology/tkigraph.ttl``); it is closed, so a misspelt term raises at import.
``TKD`` is the namespace of the curated entities (drugs, genes, variants ...).
``PREFIXES`` maps every CURIE prefix the project uses to its IRI; :func:`curie`
and :func:`expand` convert between the two.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "TKG", "TKD", "PUBMED", "DOI", "PREFIXES", "curie", "expand",
    "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
]


class TKG(DefinedNamespace):
    """The tkigraph ontology (closed: only the terms of ``ontology/tkigraph.ttl``)."""

    _NS = Namespace("https://w3id.org/tkigraph/ontology#")
    _fail = True

    ATPPocket: URIRef
    ActivationLoop: URIRef
    Allosteric: URIRef
    AlphaCBeta4Loop: URIRef
    AlphaCHelix: URIRef
    Amplification: URIRef
    Beta3AlphaCLoop: URIRef
    Beta3Lysine: URIRef
    BindingModeScheme: URIRef
    BypassActivation: URIRef
    CLobe: URIRef
    CatalyticLoop: URIRef
    CellStateChange: URIRef
    Cis: URIRef
    Clinical: URIRef
    Combination: URIRef
    CompoundVariant: URIRef
    Covalent: URIRef
    CovalentCysteine: URIRef
    DFGMotif: URIRef
    Disease: URIRef
    DownstreamAlteration: URIRef
    Drug: URIRef
    DrugEfflux: URIRef
    DrugLabel: URIRef
    DrugMetabolism: URIRef
    EffectScheme: URIRef
    EpigeneticChange: URIRef
    EvidenceLevelScheme: URIRef
    ExpressionChange: URIRef
    ExtracellularDomain: URIRef
    Finding: URIRef
    Fusion: URIRef
    Gatekeeper: URIRef
    Gene: URIRef
    Guideline: URIRef
    GuidelineOrLabel: URIRef
    Hinge: URIRef
    InVitro: URIRef
    Indel: URIRef
    Juxtamembrane: URIRef
    Kinase: URIRef
    LineageTransformation: URIRef
    LossOfFunction: URIRef
    Mechanism: URIRef
    MechanismScheme: URIRef
    MicroenvironmentFactor: URIRef
    MyristoylPocket: URIRef
    NLobe: URIRef
    OnTargetMutation: URIRef
    PLoop: URIRef
    Pathway: URIRef
    PhaseScheme: URIRef
    PhaseUnknown: URIRef
    PointSubstitution: URIRef
    PreclinicalInVivo: URIRef
    PseudokinaseDomain: URIRef
    Publication: URIRef
    ReducedSensitivity: URIRef
    RegionScheme: URIRef
    Resistant: URIRef
    Sensitive: URIRef
    SolventFront: URIRef
    SpliceVariant: URIRef
    TargetAmplification: URIRef
    TargetDependence: URIRef
    Trans: URIRef
    TumourMicroenvironment: URIRef
    TypeI: URIRef
    TypeII: URIRef
    Unverified: URIRef
    UnspecifiedCombination: URIRef
    Variant: URIRef
    VariantClass: URIRef
    VerificationScheme: URIRef
    VerifiedCIViC: URIRef
    VerifiedLabel: URIRef
    VerifiedMOAlmanac: URIRef
    VerifiedSearch: URIRef
    XDFG: URIRef
    activatesPathway: URIRef
    bindingMode: URIRef
    civicLevel: URIRef
    civicRating: URIRef
    codon: URIRef
    confersResistanceTo: URIRef
    disease: URIRef
    drug: URIRef
    effect: URIRef
    evidenceLevel: URIRef
    exon: URIRef
    firstAuthor: URIRef
    fivePrimePartner: URIRef
    fusionPartner: URIRef
    generation: URIRef
    hasComponent: URIRef
    hasComponentDrug: URIRef
    hgvs: URIRef
    ic50: URIRef
    ic50FoldChange: URIRef
    indicatedFor: URIRef
    inhibits: URIRef
    journal: URIRef
    mechanism: URIRef
    memberOf: URIRef
    negated: URIRef
    parentVariant: URIRef
    phase: URIRef
    proteinChange: URIRef
    reducesSensitivityTo: URIRef
    region: URIRef
    retainsSensitivityTo: URIRef
    sourceNote: URIRef
    statement: URIRef
    structuralNote: URIRef
    threePrimePartner: URIRef
    variant: URIRef
    variantOf: URIRef
    verification: URIRef


#: Namespace of the curated knowledge-base entities.
TKD = Namespace("https://w3id.org/tkigraph/kb/")
#: PubMed articles.
PUBMED = Namespace("https://identifiers.org/pubmed:")
#: Digital object identifiers.
DOI = Namespace("https://doi.org/")

#: CURIE prefix -> IRI prefix, for every registry and vocabulary in the graph.
PREFIXES: dict[str, str] = {
    "tkg": str(TKG._NS),
    "tkd": str(TKD),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "biolink": "https://w3id.org/biolink/vocab/",
    "sh": "http://www.w3.org/ns/shacl#",
    "pubmed": str(PUBMED),
    "doi": str(DOI),
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


def curie(iri: str) -> str:
    """Return the CURIE of ``iri`` (``tkd:imatinib``), or the IRI itself if no prefix fits."""
    text = str(iri)
    for prefix, base in _BY_LENGTH:
        if text.startswith(base) and len(text) > len(base):
            return f"{prefix}:{text[len(base):]}"
    return text


def expand(text: str) -> URIRef | None:
    """Return the IRI of a CURIE whose prefix is known (case-sensitive prefix), else None."""
    prefix, sep, local = text.partition(":")
    if not sep or not local or prefix not in PREFIXES:
        return None
    return URIRef(PREFIXES[prefix] + local)
