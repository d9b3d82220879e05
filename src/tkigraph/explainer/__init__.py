"""Why a drug fails (or works) against a variant: find the evidence, judge it, then render it.

:func:`explain` returns a typed :class:`Explanation`; :func:`judge` is the one verdict rule
(also used by ``alternatives``, ``mechanisms`` and the matrix); :mod:`.render` turns an
explanation into text, markdown or JSON.
"""

from .alternatives import Alternative
from .reason import Explanation, alternatives, explain, judge_match
from .verdict import Judgement, MatchLevel, Phase, Verdict, judge

__all__ = ["Alternative", "Explanation", "Judgement", "MatchLevel", "Phase", "Verdict", "alternatives", "explain",
           "judge", "judge_match"]
