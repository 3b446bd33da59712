"""The whole-column helpers the reading relies on give, for any mix of values, what the plain per-value
definitions give: once per distinct value, NA of every kind seen as None, text untouched."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from etl.connectors.base import NUL_ESCAPE, escape_nul
from etl.transform import _numeric_refs
from etl.validation import is_blank, per_distinct

_missing = st.sampled_from([None, float("nan"), pd.NA, pd.NaT])
_values = st.one_of(_missing, st.text(max_size=4), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=False, allow_infinity=False))


def _seen(value):
    return ("none",) if value is None else ("value", type(value).__name__, value)


@settings(max_examples=300, deadline=None)
@given(st.lists(_values, max_size=40))
def test_per_distinct_is_fn_of_each_value_with_missing_as_none(values):
    series = pd.Series(values, dtype=object)
    got = per_distinct(series, _seen)
    expected = [_seen(None if is_blank(v) and not isinstance(v, str) else v) for v in values]
    assert [tuple(g) for g in got] == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(-2**70, 2**70), st.just(None)), min_size=1, max_size=30))
def test_numeric_refs_from_a_whole_number_column_equal_the_text_ones(numbers):
    source = pd.Series(numbers, dtype=object)
    refs = np.array([str(v) for v in numbers], dtype=object)
    from_text = _numeric_refs(refs)
    from_source = _numeric_refs(refs, source)
    assert [math.isnan(a) and math.isnan(b) or a == b for a, b in zip(from_text, from_source)] == [True] * len(numbers)
    assert from_text[[v is None for v in numbers]].size == 0 or np.isnan(from_text[[v is None for v in numbers]]).all()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=5), st.integers(), st.none(), st.floats(allow_nan=True)), max_size=20))
@example(["a\x00b", None])  # a column that holds a NUL keeps its None (pandas 3 would make it NaN)
def test_escape_nul_spells_out_every_nul_and_touches_nothing_else(values):
    frame = pd.DataFrame({"c": pd.Series(values, dtype=object), "n": pd.Series(range(len(values)), dtype=object)})
    out = escape_nul(frame)
    for before, after in zip(values, out["c"]):
        if isinstance(before, str):
            assert after == before.replace("\x00", NUL_ESCAPE)
        else:
            assert after is before or (isinstance(before, float) and math.isnan(before) and math.isnan(after))
    assert out["n"].tolist() == list(range(len(values)))
