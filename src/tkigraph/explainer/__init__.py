"""Why a drug fails (or works) against a variant: find the evidence, then render it.

:func:`explain` returns a typed :class:`Explanation`; :mod:`.render` turns it into
text, markdown or JSON.
"""

from .reason import Alternative, Explanation, alternatives, explain

__all__ = ["Alternative", "Explanation", "alternatives", "explain"]
