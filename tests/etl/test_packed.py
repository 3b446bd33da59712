"""Packed facts: int64 codes that decode to the same facts, in the store's key order, a slice at a time."""
from __future__ import annotations

import datetime as dt

import numpy as np

from etl.packed import PackedFacts, pack, sum_by_code

D = dt.date


def test_sum_by_code_sums_each_code_once_in_code_order():
    codes, values = sum_by_code(np.array([7, 3, 7, 5, 3], dtype=np.int64), np.array([1, 2, 3, 4, 5], dtype=np.int64))
    assert codes.tolist() == [3, 5, 7] and values.tolist() == [7, 4, 4]


def _facts() -> PackedFacts:
    units = np.array(["110000", "440100"], dtype=object)
    categories = np.array(["", "other"], dtype=object)
    days = np.array([D(2024, 1, 2).toordinal(), D(2024, 1, 1).toordinal(), D(9999, 12, 31).toordinal()])
    codes = pack(np.array([1, 0, 0]), days, np.array([1, 1, 0]))
    order = np.argsort(codes)
    return PackedFacts({"clues_identified": (codes[order], np.array([5, 6, 2**40])[order])}, units, categories)


def test_decoded_slices_are_the_facts_in_key_order():
    facts = _facts()
    frames = list(facts.slices(2))
    assert [len(f) for f in frames] == [2, 1]
    rows = [tuple(r) for f in frames for r in f.itertuples(index=False)]
    assert rows == [("clues_identified", "110000", D(2024, 1, 1), "other", 6),
                    ("clues_identified", "110000", D(9999, 12, 31), "", 2**40),  # far-future day, empty category
                    ("clues_identified", "440100", D(2024, 1, 2), "other", 5)]
    assert facts.day_bounds() == (D(2024, 1, 1), D(9999, 12, 31)) and len(facts) == 3


def test_within_keeps_the_days_of_a_range():
    inside = _facts().within(D(2024, 1, 2), D(2024, 12, 31))
    (frame,) = inside.slices(10)
    assert frame[["unit_code", "day", "value"]].values.tolist() == [["440100", D(2024, 1, 2), 5]]
    assert len(_facts().within(D(2025, 1, 1), D(2025, 1, 2))) == 0 and PackedFacts.empty().day_bounds() is None
