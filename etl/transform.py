"""Raw rows -> validated, typed rows -> daily facts, with a reason for every row that is not loaded.

Each chunk is reduced to a narrow frame (row identity, scope, reason, unit, category and each metric's day and
value) as soon as it is read; etl/settle.py folds each narrow frame into partial facts and drops it.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.config import SourceConfigError, SourceSpec
from etl.connectors.base import ROW_REF, MissingColumnError, Scope
from etl.packed import PackedFacts
from etl.unit_lookup import NO_ALIASES, UnitLookup
from etl.validation import (UNIT_COLUMN, UNIT_PAIR_COLUMN, blank_mask, build_schema, is_blank, per_distinct,
                            typed_column, unit_code, validate_chunk)

SYNTHETIC = (ROW_REF, UNIT_COLUMN, UNIT_PAIR_COLUMN)


def _raw_json(row: dict) -> str:
    return json.dumps({k: (None if is_blank(v) else v) for k, v in row.items() if k not in SYNTHETIC},
                      ensure_ascii=False, default=str, sort_keys=True)


def _key_of(values) -> tuple | None:
    if all(is_blank(v) for v in values):
        return None  # a row without any key value is never a duplicate (e.g. a clue not yet referred)
    return tuple("" if is_blank(v) else str(v).strip() for v in values)


def _numeric_ref(ref: str) -> float:
    try:
        return float(ref)
    except ValueError:
        return np.nan


@dataclass
class Reading:
    """Everything one scope of a source yields before it is loaded."""

    parts: list[pd.DataFrame] = field(default_factory=list)
    max_watermark: str | None = None


class RowTransformer:
    def __init__(self, spec: SourceSpec, scope: Scope, lookup: UnitLookup = NO_ALIASES):
        self.spec = spec
        self.scope = scope
        self.lookup = lookup
        self.schema = build_schema(spec, lookup)
        self.required = [*spec.fields, *(c for c in (spec.unit.column, spec.unit.fallback, spec.category.column)
                                         if c), *spec.natural_key]
        if spec.watermark is not None:
            self.required.append(spec.watermark.column)
        if spec.record_table is not None:
            self.required.extend(spec.record_table.columns.values())

    def _check_columns(self, frame: pd.DataFrame) -> None:
        missing = [c for c in dict.fromkeys(self.required) if c not in frame.columns]
        if missing:
            raise MissingColumnError(f"source '{self.spec.name}': configuration error: column(s) {missing} named in "
                                     f"the block are missing from the source (columns: {list(frame.columns)[:40]})")

    def _unit_spellings(self, frame: pd.DataFrame) -> np.ndarray:
        unit = self.spec.unit
        if unit.fixed is not None:
            return np.full(len(frame), unit.fixed, dtype=object)
        primary = frame[unit.column].to_numpy(dtype=object)
        if unit.fallback is None:
            return primary
        return np.where(blank_mask(frame[unit.column]), frame[unit.fallback].to_numpy(dtype=object), primary)

    def _typed(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Declared fields as typed values; other source columns as read (blanks as None), for `where`
        expressions and record-level columns; built only when something uses them.
        """
        spec = self.spec
        typed = {}
        wanted = set(frame.columns) if spec.filter or any(m.where for m in spec.metrics.values()) else \
            set(spec.record_table.columns.values()) if spec.record_table is not None else set()
        for c in frame.columns:
            if c in wanted and c not in SYNTHETIC and c not in spec.fields:
                values = frame[c].to_numpy(dtype=object, copy=True)
                values[blank_mask(frame[c])] = None
                typed[c] = values
        for name, field_spec in spec.fields.items():
            typed[name] = typed_column(frame[name], field_spec)
        # object arrays stay object (pandas 3 would infer its string dtype and turn None into NaN)
        return pd.DataFrame({c: pd.Series(v, dtype=object).array if isinstance(v, np.ndarray) else v
                             for c, v in typed.items()}, index=frame.index)

    def _where(self, typed: pd.DataFrame, metric_id: str, expr: str | None) -> np.ndarray:
        if expr is None:
            return np.ones(len(typed), dtype=bool)
        try:
            result = typed.eval(expr, engine="python")
        except Exception as exc:  # noqa: BLE001 - any failure of a configured expression is a config error
            where = "filter" if metric_id == "filter" else f"metrics.{metric_id}.where"
            raise SourceConfigError(f"source '{self.spec.name}': {where} '{expr}' cannot be evaluated: {exc}") from None
        return pd.Series(result, index=typed.index).fillna(False).astype(bool).to_numpy()

    def _in_scope(self, frame: pd.DataFrame, typed: pd.DataFrame, wm_values: np.ndarray | None,
                  context: bool) -> np.ndarray:
        spec, scope = self.spec, self.scope
        n = len(frame)
        in_scope = np.full(n, scope.full and not context)
        if scope.full or context:
            return in_scope
        if scope.since is not None and wm_values is not None:
            since = scope.since
            in_scope |= per_distinct(pd.Series(wm_values), lambda w: w is not None and w >= since).astype(bool)
        for name in spec.date_fields:
            days = pd.Series(typed[name].to_numpy(dtype=object))
            if scope.ranges:
                in_scope |= per_distinct(days, scope.covers).astype(bool)
            if scope.since is None:
                # A backfill or reprocess of days re-judges the rows no day can place. An incremental run
                # leaves those in unchanged rows alone: they are quarantined already, and re-reading them
                # each time would count standing quarantine against the guard's share of the run.
                in_scope |= days.isna().to_numpy() & ~blank_mask(frame[name])
        return in_scope

    def narrow(self, frame: pd.DataFrame, *, context: bool) -> tuple[pd.DataFrame, str | None]:
        """Reduce a raw chunk to narrow records; returns them and the chunk's highest watermark value."""
        spec = self.spec
        frame = frame.reset_index(drop=True)
        self._check_columns(frame)
        if spec.filter and spec.kind != "sql":  # sql sources filter in the query itself
            frame = frame[self._where(self._typed(frame), "filter", spec.filter)].reset_index(drop=True)
        frame[UNIT_COLUMN] = self._unit_spellings(frame)
        if spec.unit.fallback is not None:
            frame[UNIT_PAIR_COLUMN] = pd.Series(
                [None if is_blank(u) or is_blank(p) else (u, p)
                 for u, p in zip(frame[spec.unit.column].tolist(), frame[spec.unit.fallback].tolist())], dtype=object)
        reasons = validate_chunk(spec, self.schema, frame, self.lookup)
        typed = self._typed(frame)
        n = len(frame)

        wm_values, top = None, None
        if spec.watermark is not None:
            wm_values = per_distinct(frame[spec.watermark.column], lambda v: None if is_blank(v) else str(v))
            present = [w for w in pd.unique(wm_values) if w is not None]
            top = max(present) if present else None
        in_scope = self._in_scope(frame, typed, wm_values, context)

        category = spec.category
        if category.column is not None:
            categories = per_distinct(frame[category.column], lambda v: category.fixed if is_blank(v)
                                      else category.map.get(str(v).strip(), category.fixed))
        else:
            categories = np.full(n, category.fixed, dtype=object)
        keys = ([_key_of(vals) for vals in zip(*(frame[c].tolist() for c in spec.natural_key))]
                if spec.natural_key else [None] * n)
        reason = np.full(n, None, dtype=object)
        if reasons:
            reason[list(reasons)] = list(reasons.values())
        # The raw row is kept only where it may be quarantined: rejected rows and keyed rows (duplicates).
        keyed = np.array([k is not None for k in keys], dtype=bool) if spec.natural_key else np.zeros(n, bool)
        kept = np.flatnonzero(in_scope & (keyed | (reason != None)))  # noqa: E711
        raws = np.full(n, None, dtype=object)
        if len(kept):
            raws[kept] = [_raw_json(r) for r in frame.iloc[kept].to_dict("records")]
        refs = frame[ROW_REF].to_numpy(dtype=object)
        out = pd.DataFrame({
            "ref": pd.Series(refs, dtype=object),
            "ref_num": _numeric_refs(refs, frame[spec.row_ref] if spec.row_ref else None),
            "in_scope": in_scope, "reason": pd.Series(reason, dtype=object),
            "unit": pd.Series(per_distinct(frame[UNIT_COLUMN], lambda v: unit_code(v, self.lookup)), dtype=object),
            "category": pd.Series(categories, dtype=object), "key": pd.Series(keys, dtype=object),
            "raw": pd.Series(raws, dtype=object), "context": context,
        })
        for metric_id, metric in spec.metrics.items():
            out[f"day:{metric_id}"] = pd.Series(typed[metric.date].to_numpy(dtype=object), dtype=object)
            out[f"on:{metric_id}"] = self._where(typed, metric_id, metric.where)
            column = metric.sum or metric.distinct
            out[f"val:{metric_id}"] = (_plain_objects(typed[column]) if column
                                       else pd.Series(np.ones(n, dtype=np.int64)))
        if spec.record_table is not None:  # the record-level columns ride along to etl/records.py
            for column, source_field in spec.record_table.columns.items():
                out[f"rec:{column}"] = _plain_objects(typed[source_field])
        return out, top


def _plain_objects(column: pd.Series) -> pd.Series:
    """A typed column as Python values with None for missing (what the old per-row lists held)."""
    values = column.to_numpy(dtype=object, na_value=None) if column.dtype == "Int64" else column.to_numpy(dtype=object)
    return pd.Series(values, dtype=object)


def _numeric_refs(refs: np.ndarray, source: pd.Series | None = None) -> np.ndarray:
    """float(ref) or NaN per row reference: vectorised for numeric refs, per value for the rest. `source`: the
    row_ref column the refs were written from; whole numbers there convert without parsing text."""
    if source is not None and pd.api.types.infer_dtype(source.to_numpy(dtype=object), skipna=False) == "integer":
        return source.to_numpy(dtype=float)
    numbers = pd.to_numeric(pd.Series(refs, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    missing = np.flatnonzero(np.isnan(numbers))
    if len(missing):
        numbers[missing] = [_numeric_ref(refs[i]) for i in missing]
    return numbers


@dataclass
class Outcome:
    facts: PackedFacts  # etl.packed
    quarantine: list[dict]
    refs_read: list[str]
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    days: tuple[dt.date, dt.date] | None  # first and last day with a fact
    every_ref: set[str] | None = None  # all rows the source has, when the connector read them all
    records: pd.DataFrame | None = None  # loaded rows' record-level columns, when the source keeps records
    file_rows: Counter | None = None  # rows read per file (refs 'file:row'), for a source with submissions
