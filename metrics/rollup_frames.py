"""The four rollups of a load computed from the facts it writes, for a load that is the only writer of its
metrics in the months it touches (metrics.store checks that): the same sums refresh_rollups' GROUP BYs make,
without the database reading the facts back and sorting them.

Sums run on integer codes (metric, unit, day ordinal, category), so a few hundred thousand facts take a
fraction of a second; the frames hold storage values (dates as datetime.date) in the tables' column order.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from metrics.models import NATION

MAX_FACTS = 1_000_000  # beyond this the database sums (memory stays bounded by the packed facts)


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _sum(keys: list[np.ndarray], values: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """One (keys, summed value) per distinct key tuple. The keys (non-negative codes) are packed into one int64
    and sorted: a fraction of the memory and time of a multi-column groupby, with exact int64 sums."""
    widths = [int(k.max()).bit_length() if len(k) else 0 for k in keys]
    if sum(widths) > 62:  # too wide to pack: let pandas group the columns
        frame = pd.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
        frame["v"] = values
        summed = frame.groupby(list(frame.columns[:-1]), sort=False, observed=True)["v"].sum().reset_index()
        return [summed[f"k{i}"].to_numpy() for i in range(len(keys))], summed["v"].to_numpy(dtype=np.int64)
    packed = np.zeros(len(values), dtype=np.int64)
    for key, width in zip(keys, widths):
        packed = (packed << width) | key
    order = np.argsort(packed, kind="stable")
    packed, values = packed[order], values[order]
    starts = np.flatnonzero(np.r_[True, packed[1:] != packed[:-1]]) if len(packed) else np.zeros(0, np.int64)
    sums = np.add.reduceat(values, starts) if len(starts) else values[:0]
    distinct, out = packed[starts], []
    for width in reversed(widths):
        out.append(distinct & ((1 << width) - 1))
        distinct = distinct >> width
    return out[::-1], sums.astype(np.int64)


def _month(ordinals: np.ndarray) -> np.ndarray:
    """The ordinal of the first day of each ordinal's month, computed once per distinct day."""
    distinct, at = np.unique(ordinals, return_inverse=True)
    firsts = np.fromiter((dt.date.fromordinal(int(o)).replace(day=1).toordinal() for o in distinct),
                         dtype=np.int64, count=len(distinct))
    return firsts[at].reshape(-1)


def _rank(names: np.ndarray) -> np.ndarray:
    """Each name's position in sorted order: code order becomes the tables' key order."""
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(names.astype(str), kind="stable")] = np.arange(len(names))
    return rank


def rollup_frames(slices: Iterable[pd.DataFrame], bureau_of: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """agg_day, agg_month, agg_day_total and agg_month_total rows for these facts (FACT_COLUMNS slices)."""
    parts = [s for s in slices if len(s)]
    facts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {"metric_id": [], "unit_code": [], "day": [], "category": [], "value": []})
    del parts  # the slices' copies: only the codes below are kept
    metric, metrics = _codes(facts["metric_id"].to_numpy(dtype=object))
    unit, units = _codes(facts["unit_code"].to_numpy(dtype=object))
    category, categories = _codes(facts["category"].to_numpy(dtype=object))
    day_at, days = _codes(facts["day"].to_numpy(dtype=object))
    value = facts["value"].to_numpy(dtype=np.int64, copy=True)
    del facts
    ordinal = np.fromiter((d.toordinal() for d in days), dtype=np.int64, count=len(days))[day_at]
    month = _month(ordinal)
    # Units numbered so that the bureaus and the nation have codes too.
    names = list(units) + sorted({bureau_of[u] for u in units} - set(units)) + [NATION]
    number = {name: i for i, name in enumerate(names)}
    bureau = np.array([number[bureau_of[u]] for u in units], dtype=np.int64)[unit] if len(units) else unit
    nation = np.full(len(unit), number[NATION], dtype=np.int64)

    # agg_day: each bureau (sub-bureaus folded in) and the nation, per category.
    (dm, du, dd, dc), dv = _sum([np.r_[metric, metric], np.r_[bureau, nation], np.r_[ordinal, ordinal],
                                 np.r_[category, category]], np.r_[value, value])
    # agg_month: agg_day by month, plus the sub-bureaus' own months from the facts.
    day_month = _month(dd)
    sub = unit != bureau if len(units) else np.zeros(0, dtype=bool)
    (mm, mu, mo, mc), mv = _sum([np.r_[dm, metric[sub]], np.r_[du, unit[sub]], np.r_[day_month, month[sub]],
                                 np.r_[dc, category[sub]]], np.r_[dv, value[sub]])
    (tm, tu, td), tv = _sum([dm, du, dd], dv)
    (sm, su, so), sv = _sum([mm, mu, mo], mv)

    unit_names = np.array(names, dtype=object)

    def date_of(ordinals: np.ndarray) -> np.ndarray:
        distinct, at = np.unique(ordinals, return_inverse=True)
        return np.array([dt.date.fromordinal(int(o)) for o in distinct], dtype=object)[at]

    metric_rank, unit_rank, category_rank = _rank(metrics), _rank(unit_names), _rank(categories)

    def frame(m, u, when, c, v, period: str) -> pd.DataFrame:
        # In primary-key order: each insert lands next to the last one in the B-tree.
        keys = [when, unit_rank[u], metric_rank[m]] if c is None else [category_rank[c], when, unit_rank[u],
                                                                       metric_rank[m]]
        order = np.lexsort(keys) if len(v) else np.zeros(0, dtype=np.int64)
        m, u, when, v = m[order], u[order], when[order], v[order]
        c = None if c is None else c[order]
        out = {"metric_id": metrics[m] if len(m) else np.array([], dtype=object),
               "unit_code": unit_names[u] if len(u) else np.array([], dtype=object),
               period: date_of(when) if len(when) else np.array([], dtype=object)}
        if c is not None:
            out["category"] = categories[c] if len(c) else np.array([], dtype=object)
        out["value"] = v
        return pd.DataFrame(out)

    return {"agg_day": frame(dm, du, dd, dc, dv, "day"), "agg_month": frame(mm, mu, mo, mc, mv, "month"),
            "agg_day_total": frame(tm, tu, td, None, tv, "day"),
            "agg_month_total": frame(sm, su, so, None, sv, "month")}
