"""How names are written: the keys names are compared by, and the structural regions' synonyms.

Kept apart from :mod:`tkigraph.resolve` (which needs the graph) so that checking a named
query's ``region`` parameter costs no graph machinery at start-up.
"""

from __future__ import annotations

import re

__all__ = ["normalise", "loose", "REGIONS", "region_label", "region_suggestions"]


#: the label of every concept of the tkigraph:RegionScheme -> the other ways people write it
REGIONS: dict[str, tuple[str, ...]] = {
    "gatekeeper": ("gatekeeper residue", "gate keeper"),
    "solvent front": ("solvent-front region", "solvent front residue"),
    "P-loop (glycine-rich loop)": ("P-loop", "P loop", "glycine-rich loop", "gly-rich loop", "phosphate-binding loop"),
    "activation loop": ("A-loop", "activation segment"),
    "alphaC helix": ("alpha-C helix", "αC helix", "αC", "C-helix", "alphaC"),
    "DFG motif": ("DFG",),
    "xDFG": ("x-DFG", "pre-DFG"),
    "hinge": ("hinge region",),
    "covalent-binding cysteine": ("covalent cysteine", "reactive cysteine"),
    "myristoyl pocket": ("myristate pocket", "myristoyl-binding pocket"),
    "juxtamembrane": ("juxtamembrane domain", "JM domain"),
    "beta-3 lysine region": ("beta3 lysine", "β3 lysine", "catalytic lysine"),
    "beta3-alphaC loop": ("β3-αC loop", "beta3-alphaC"),
    "alphaC-beta4 loop": ("αC-β4 loop", "alphaC-beta4"),
    "ATP-binding pocket": ("ATP pocket", "ATP site", "ATP-binding site"),
    "catalytic loop": ("HRD loop", "HRD motif"),
    "C-lobe": ("C lobe", "C-terminal lobe"),
    "N-lobe": ("N lobe", "N-terminal lobe"),
    "extracellular domain": ("ECD", "extracellular"),
    "pseudokinase domain": ("JH2", "JH2 domain", "pseudokinase"),
}


def region_label(text: str) -> str | None:
    """The RegionScheme label that ``text`` names (``P-loop`` -> ``P-loop (glycine-rich loop)``), or None."""
    key = loose(text)
    for label, synonyms in REGIONS.items():
        if key in {loose(label), *map(loose, synonyms)}:
            return label
    return None


def region_suggestions(text: str, n: int = 3) -> list[str]:
    """The RegionScheme labels closest to a misspelt region (``P-lop`` -> ``P-loop (glycine-rich loop)``)."""
    import difflib

    names = {loose(name): label for label, synonyms in REGIONS.items() for name in (label, *synonyms)}
    close = difflib.get_close_matches(loose(text), list(names), n=n * 3, cutoff=0.6)
    return list(dict.fromkeys(names[key] for key in close))[:n]


def normalise(name: str) -> str:
    """Lower-case, squeeze spaces, and write fusions with one hyphen."""
    return " ".join(str(name).replace("::", "-").casefold().split())


def loose(name: str) -> str:
    """The key of :func:`normalise` without spaces, hyphens, underscores or dots (``azd9291``)."""
    return re.sub(r"[\s\-_.]+", "", normalise(name))
