"""The indented JSON writer of ``matrix --format json`` (issue 19): the text :mod:`json` writes, byte for byte."""

from __future__ import annotations

import json
import math
from collections import OrderedDict
from enum import IntEnum, StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tkigraph.render.jsontext import dumps

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
KEYS = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                      | st.dictionaries(KEYS, inner, max_size=5), max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(VALUES, st.integers(min_value=0, max_value=4))
def test_the_same_text_as_json(value, indent):
    assert dumps(value, indent=indent) == json.dumps(value, ensure_ascii=False, indent=indent)


class Colour(StrEnum):
    RED = "red"


class Size(IntEnum):
    BIG = 3


def test_shared_containers_subclasses_and_special_numbers():
    shared = {"findings": [], "verdict": Colour.RED}
    value = {"rows": [{"a": shared, "b": shared}, shared, [shared]], Size.BIG: Size.BIG, 1.5: math.inf,
             "nan": math.nan, "neg": -math.inf, "é": "\u2028<&>", "ordered": OrderedDict(shared)}
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_what_json_cannot_write_is_refused():
    with pytest.raises(TypeError):
        dumps({"a": object()})
    with pytest.raises(TypeError):
        dumps({(1, 2): "tuple key"})


def test_doctest():
    import doctest

    from tkigraph.render import jsontext

    failed, attempted = doctest.testmod(jsontext)
    assert attempted > 0 and failed == 0
