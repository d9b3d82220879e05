"""The mechanism an imported finding is filed under, from its effect, variant and drug.

Sensitivity -> target dependence; resistance through an amplification or expression
change -> target amplification when the drug inhibits the gene (or its fusion), else
bypass activation; any other alteration of a target -> on-target mutation; of
RAS/RAF/MEK/ERK/PI3K/AKT/PTEN/NF1/PLCG2/MTOR -> downstream alteration; of any other gene ->
bypass activation.
"""

from __future__ import annotations

from rdflib import URIRef

from ..rdfterms import TKG
from .entities import EntityMapper

__all__ = ["DOWNSTREAM", "mechanism_of"]

#: genes below the receptor kinases: their alterations are downstream pathway alterations
DOWNSTREAM = {"KRAS", "NRAS", "HRAS", "BRAF", "MAP2K1", "MAP2K2", "MAPK1", "PIK3CA", "PIK3R1", "AKT1", "AKT2",
              "AKT3", "PTEN", "NF1", "PLCG2", "MTOR"}


def mechanism_of(entities: EntityMapper, effect: URIRef, variant: URIRef, drug: URIRef) -> URIRef:
    """The mechanism of a finding about ``variant`` and ``drug`` with ``effect`` (the rule above)."""
    mechanism: URIRef = TKG.TargetDependence  # TKG's terms are built at run time: mypy sees Any
    if effect != TKG.Sensitive:
        target = entities.is_target(drug, variant)
        if entities.variant_class(variant) & {TKG.Amplification, TKG.ExpressionChange}:
            mechanism = TKG.TargetAmplification if target else TKG.BypassActivation
        elif target:
            mechanism = TKG.OnTargetMutation
        elif entities.gene_symbols(variant) & DOWNSTREAM:
            mechanism = TKG.DownstreamAlteration
        else:
            mechanism = TKG.BypassActivation
    return mechanism
