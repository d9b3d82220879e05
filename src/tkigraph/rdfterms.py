"""The rdflib forms of the namespaces, for the edges that build or check rdflib graphs.

The readers take plain-string IRIs from :mod:`tkigraph.namespaces`; rdflib graphs
(the importers' output, SHACL validation, ``fmt``, the ``--engine rdflib``
fallback, round-trip tests) need rdflib terms, declared here from the same
IRIs. ``TKG`` is closed, as in :mod:`tkigraph.namespaces`: a misspelt term raises.
"""

from __future__ import annotations

from typing import Any

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from .namespaces import PREFIXES, TKG_IRI, TKG_TERMS, expand_iri

__all__ = ["TKG", "TKD", "PUBMED", "DOI", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD", "expand"]

#: the tkigraph ontology (closed: only the terms of ``ontology/tkigraph.ttl``); built from the term list, so typed Any
TKG: Any = type("TKG", (DefinedNamespace,), {
    "__doc__": "The tkigraph ontology (closed: only the terms of ``ontology/tkigraph.ttl``).",
    "__module__": __name__, "_NS": Namespace(TKG_IRI), "_fail": True,
    "__annotations__": dict.fromkeys(sorted(TKG_TERMS), URIRef),
})
TKD = Namespace(PREFIXES["tkd"])
PUBMED = Namespace(PREFIXES["pubmed"])
DOI = Namespace(PREFIXES["doi"])


def expand(text: str) -> URIRef | None:
    """The IRI (an rdflib ``URIRef``) of a CURIE whose prefix is known, else None."""
    iri = expand_iri(text)
    return URIRef(iri) if iri is not None else None
