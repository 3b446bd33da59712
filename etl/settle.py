"""Settling a scope chunk by chunk: narrow records -> partial daily facts, quarantine and duplicate judgement.

Memory stays bounded by what the run produces, not by the rows it reads:
- loaded rows are added to partial facts as each chunk arrives ((metric, unit, day, category) -> sum or count;
  distinct-count metrics keep the set of distinct values per fact, bounded by the distinct values);
- duplicates keep, per natural key, the first row's sort position and ref (bounded by the distinct keys);
- raw JSON is kept only for rows that are quarantined.
"First seen" is the lowest row reference (numeric refs as numbers, then as text). Connectors return rows in
that order, so the first row of a key comes first; when it does not (a context row read after the scope, or
text refs), the reading is judged again in a second pass against the now complete first-of-key map.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from etl.config import SourceSpec
from etl.connectors import Scope
from etl.packed import CATEGORY_BITS, CATEGORY_MASK, DAY_MASK, UNIT_SHIFT, PackedFacts, pack, sum_by_code
from etl.transform import Outcome

_FOLD_ROWS = 1_000_000  # partial fact rows piled up before they are summed into one per fact


def _order(ref_num: float, ref: str) -> tuple:
    """The sort position settle used for a row: numeric refs by number, NaN last, ties by the text."""
    missing = math.isnan(ref_num)
    return missing, 0.0 if missing else ref_num, ref


def empty_outcome() -> Outcome:
    return Outcome(PackedFacts.empty(), [], [], 0, 0, 0, None)


class Settlement:
    """Accumulates narrow chunks (etl.transform.RowTransformer.narrow) into one Outcome.

    `first_of_key` fixes which row of each natural key is the first (the second pass); without it the first
    row seen is taken, and `out_of_order` turns True when a later row of a key sorts before it.
    """

    def __init__(self, spec: SourceSpec, scope: Scope, *, keep_refs: bool, keep_every_ref: bool,
                 count_files: bool, first_of_key: dict[tuple, tuple] | None = None):
        self.spec, self.scope = spec, scope
        self.fixed = first_of_key is not None
        self.first_of_key: dict[tuple, tuple] = dict(first_of_key or {})  # key -> (order, ref)
        self.out_of_order = False
        self.scope_keys: set[tuple] = set()  # keys of valid rows in scope: the context to read
        self.unit_ids: dict[str, int] = {}
        self.category_ids: dict[str, int] = {}
        # metric -> partial facts: (codes, values) int64 arrays, or (fact code -> value) Series for distinct counts
        self.pending: dict[str, list] = {}
        self.pending_rows = self.folded_rows = 0
        self.quarantine: list[tuple] = []  # (order, row) for rows quarantined in scope
        self.refs_read: list[str] | None = [] if keep_refs else None
        self.every_ref: set[str] | None = set() if keep_every_ref else None
        self.file_rows: Counter | None = Counter() if count_files and spec.submissions is not None else None
        self.records: list[pd.DataFrame] = []
        self.rows_read = self.rows_loaded = self.chunks = 0
        self.key_names = ", ".join(spec.natural_key)

    # -- per chunk --------------------------------------------------------------------------------------
    def add(self, part: pd.DataFrame) -> None:
        self.chunks += 1
        part = part.drop_duplicates("ref", keep="first").reset_index(drop=True)
        if not len(part):
            return
        if self.every_ref is not None:
            self.every_ref.update(part["ref"])
        if self.file_rows is not None:
            self.file_rows.update(str(r).rsplit(":", 1)[0] for r in part["ref"])
        reason = part["reason"].to_numpy(dtype=object, copy=True)
        context = bool(part["context"].iloc[0]) if len(part) else False
        if self.spec.natural_key:
            self._judge_keys(part, reason)  # a context row already read in scope is its key's first: skipped
        in_scope = part["in_scope"].to_numpy(dtype=bool)
        if context or self.out_of_order or not in_scope.any():
            return
        rejected = in_scope & pd.notna(reason)
        loaded = in_scope & ~rejected
        self.rows_read += int(in_scope.sum())
        self.rows_loaded += int(loaded.sum())
        if self.refs_read is not None:
            self.refs_read.extend(part["ref"][in_scope])
        for i in np.flatnonzero(rejected):
            self.quarantine.append((_order(part.at[i, "ref_num"], part.at[i, "ref"]), {
                "row_ref": part.at[i, "ref"], "raw": part.at[i, "raw"], "reason": reason[i],
                "unit_code": part.at[i, "unit"]}))
        rows = part[loaded]
        if len(rows):
            self._aggregate(rows)
            if self.spec.record_table is not None:
                self.records.append(rows[["ref", "ref_num", "unit",
                                          *(c for c in rows.columns if c.startswith("rec:"))]])

    def _judge_keys(self, part: pd.DataFrame, reason: np.ndarray) -> None:
        """Mark later rows of a key as duplicates of its first row (reason filled in place)."""
        valid = pd.isna(reason) & part["key"].notna().to_numpy()
        in_scope = part["in_scope"].to_numpy(dtype=bool)
        for i in np.flatnonzero(valid):
            key, ref = part.at[i, "key"], part.at[i, "ref"]
            order = _order(part.at[i, "ref_num"], ref)
            if in_scope[i]:
                self.scope_keys.add(key)
            first = self.first_of_key.get(key)
            if first is None:
                self.first_of_key[key] = (order, ref)
                continue
            if first[1] == ref:
                continue
            if order < first[0]:  # an earlier row arrived late: only a second pass can judge this scope
                self.first_of_key[key] = (order, ref)
                self.out_of_order = not self.fixed  # (in the second pass: the source changed meanwhile)
                continue
            reason[i] = f"duplicate of {self.key_names} '{'/'.join(key)}' (first seen in row {first[1]})"

    def _code(self, ids: dict, values: pd.Series) -> np.ndarray:
        """Each value's id in `ids` (first appearance order), new values added."""
        codes, uniques = pd.factorize(values.to_numpy(dtype=object))
        mapped = np.fromiter((ids.setdefault(v, len(ids)) for v in uniques), dtype=np.int64, count=len(uniques))
        return mapped[codes]

    def _aggregate(self, rows: pd.DataFrame) -> None:
        """Each fact as one int64 (unit, day, category) code with its value; folded when enough piled up."""
        for metric_id, metric in self.spec.metrics.items():
            day, on, val = rows[f"day:{metric_id}"], rows[f"on:{metric_id}"], rows[f"val:{metric_id}"]
            mask = on.astype(bool) & day.notna() & val.notna() & rows["category"].notna()  # groupby dropped NA
            if self.scope.ranges:
                mask &= day.map(self.scope.covers).astype(bool)
            if not mask.any():
                continue
            days = day[mask]
            day_at, distinct_days = pd.factorize(days.to_numpy(dtype=object))
            ordinals = np.fromiter((d.toordinal() for d in distinct_days), dtype=np.int64,
                                   count=len(distinct_days))[day_at]
            codes = pack(self._code(self.unit_ids, rows["unit"][mask]), ordinals,
                         self._code(self.category_ids, rows["category"][mask]))
            if metric.distinct:  # the distinct (fact, value) pairs: bounded by the distinct values
                part = pd.Series(val[mask].to_numpy(dtype=object), index=codes)
            elif metric.sum:
                part = (codes, val[mask].to_numpy(dtype=np.int64))  # Python ints of an Int64 field
            else:
                part = (codes, np.ones(len(codes), dtype=np.int64))
            self.pending.setdefault(metric_id, []).append(part)
            self.pending_rows += len(codes)
        if self.pending_rows - self.folded_rows >= max(_FOLD_ROWS, self.folded_rows):  # amortised: geometric
            self._fold()

    def _fold(self) -> None:
        for metric_id, parts in self.pending.items():
            if self.spec.metrics[metric_id].distinct:
                merged = pd.concat(parts)
                frame = merged.rename("value").rename_axis("code").reset_index().drop_duplicates()
                self.pending[metric_id] = [frame.set_index("code")["value"]]
            else:
                codes = np.concatenate([c for c, _ in parts])
                values = np.concatenate([v for _, v in parts])
                self.pending[metric_id] = [sum_by_code(codes, values)]
        self.pending_rows = self.folded_rows = sum(len(p[0]) for p in self.pending.values())

    def _facts(self) -> PackedFacts:
        """The folded partial facts, recoded so units and categories number in sorted order."""
        self._fold()
        units = np.array(sorted(self.unit_ids), dtype=object)
        categories = np.array(sorted(self.category_ids), dtype=object)
        unit_rank = np.empty(len(units), dtype=np.int64)
        unit_rank[[self.unit_ids[u] for u in units]] = np.arange(len(units))
        category_rank = np.empty(len(categories), dtype=np.int64)
        category_rank[[self.category_ids[c] for c in categories]] = np.arange(len(categories))
        per_metric = {}
        for metric_id, (part,) in self.pending.items():
            if self.spec.metrics[metric_id].distinct:
                counts = part.groupby(level=0, sort=False).size()
                codes, values = counts.index.to_numpy(dtype=np.int64), counts.to_numpy(dtype=np.int64)
            else:
                codes, values = part
            recoded = pack(unit_rank[codes >> UNIT_SHIFT], (codes >> CATEGORY_BITS) & DAY_MASK,
                           category_rank[codes & CATEGORY_MASK])
            order = np.argsort(recoded, kind="stable")
            per_metric[metric_id] = (recoded[order], values[order])
        return PackedFacts(per_metric, units, categories)

    # -- the end ----------------------------------------------------------------------------------------
    def outcome(self) -> Outcome:
        self.quarantine.sort(key=lambda entry: entry[0])
        quarantine = [row for _, row in self.quarantine]
        facts = self._facts()
        days = facts.day_bounds()
        records = None
        if self.spec.record_table is not None:
            records = (pd.concat(self.records, ignore_index=True) if self.records else
                       pd.DataFrame(columns=["ref", "ref_num", "unit"]))
            records = records.sort_values(["ref_num", "ref"], na_position="last", kind="stable") \
                .drop(columns="ref_num").reset_index(drop=True)
        read_any = self.chunks > 0  # a source that returned nothing tells nothing about what it holds
        return Outcome(facts, quarantine, self.refs_read or [], self.rows_read, self.rows_loaded,
                       len(quarantine), days, self.every_ref if read_any else None, records,
                       self.file_rows if read_any else None)
