"""A run's daily facts as int64 codes: 16 bytes a fact, turned into rows a slice at a time when written.

A 10M-row backfill settles into millions of facts; as a DataFrame of strings and dates they cost ~170 bytes
each, as a (code, value) pair of int64 arrays 16. Codes sort in the store's key order (unit code, day,
category within a metric), so slices append in index order.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd

from metrics.store import FACT_COLUMNS

# code = unit << 34 | day ordinal << 12 | category: 22 bits hold any ordinal up to 9999-12-31 (valid far-future
# dates reach here and must not spill into the category bits), 12 bits the category.
CATEGORY_BITS = 12
DAY_BITS = 22
UNIT_SHIFT = DAY_BITS + CATEGORY_BITS
DAY_MASK = (1 << DAY_BITS) - 1
CATEGORY_MASK = (1 << CATEGORY_BITS) - 1


def pack(unit: np.ndarray, day: np.ndarray, category: np.ndarray) -> np.ndarray:
    return (unit.astype(np.int64) << UNIT_SHIFT) | (day.astype(np.int64) << CATEGORY_BITS) | category


def sum_by_code(codes: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One (code, summed value) per distinct code, sorted by code."""
    if not len(codes):
        return codes, values
    order = np.argsort(codes, kind="stable")
    codes, values = codes[order], values[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    return codes[starts], np.add.reduceat(values, starts)


class PackedFacts:
    """Facts per metric as sorted (code, value) int64 arrays, with the unit and category names behind the codes.

    `units` and `categories` are sorted, so code order is the store's key order.
    """

    def __init__(self, per_metric: dict[str, tuple[np.ndarray, np.ndarray]], units: np.ndarray,
                 categories: np.ndarray):
        self.per_metric = {m: per_metric[m] for m in sorted(per_metric) if len(per_metric[m][0])}
        self.units, self.categories = units, categories

    @classmethod
    def empty(cls) -> PackedFacts:
        return cls({}, np.array([], dtype=object), np.array([], dtype=object))

    def __len__(self) -> int:
        return sum(len(codes) for codes, _ in self.per_metric.values())

    def metric_ids(self) -> set[str]:
        return set(self.per_metric)

    def day_bounds(self) -> tuple[dt.date, dt.date] | None:
        ordinals = [(codes >> CATEGORY_BITS) & DAY_MASK for codes, _ in self.per_metric.values()]
        if not ordinals:
            return None
        return (dt.date.fromordinal(int(min(o.min() for o in ordinals))),
                dt.date.fromordinal(int(max(o.max() for o in ordinals))))

    def within(self, lo: dt.date, hi: dt.date) -> PackedFacts:
        kept = {}
        for metric_id, (codes, values) in self.per_metric.items():
            ordinals = (codes >> CATEGORY_BITS) & DAY_MASK
            mask = (ordinals >= lo.toordinal()) & (ordinals <= hi.toordinal())
            kept[metric_id] = (codes[mask], values[mask])
        return PackedFacts(kept, self.units, self.categories)

    def slices(self, rows: int) -> Iterator[pd.DataFrame]:
        """FACT_COLUMNS frames of at most `rows` facts, metric by metric in key order."""
        for metric_id, (codes, values) in self.per_metric.items():
            for start in range(0, len(codes), rows):
                yield self._frame(metric_id, codes[start:start + rows], values[start:start + rows])

    def _frame(self, metric_id: str, codes: np.ndarray, values: np.ndarray) -> pd.DataFrame:
        ordinals = (codes >> CATEGORY_BITS) & DAY_MASK
        distinct, at = np.unique(ordinals, return_inverse=True)
        days = np.array([dt.date.fromordinal(int(o)) for o in distinct], dtype=object)
        return pd.DataFrame({
            "metric_id": np.full(len(codes), metric_id, dtype=object),
            "unit_code": self.units[codes >> UNIT_SHIFT],
            "day": days[at],
            "category": self.categories[codes & CATEGORY_MASK],
            "value": values.astype(np.int64, copy=False),
        }, columns=FACT_COLUMNS)
