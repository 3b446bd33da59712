"""Raw rows -> validated, typed rows -> daily facts, with a reason for every row that is not loaded.

Each chunk is reduced to a narrow frame (row identity, scope, reason, unit, category and each metric's day and
value) as soon as it is read, so memory holds narrow records, never the raw chunks.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from etl.config import SourceConfigError, SourceSpec
from etl.connectors.base import ROW_REF, Scope, SourceDataError
from etl.validation import UNIT_COLUMN, UNIT_PAIR_COLUMN, build_schema, is_blank, typed_value, unit_code, validate_chunk
from metrics.store import FACT_COLUMNS

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
    def __init__(self, spec: SourceSpec, scope: Scope):
        self.spec = spec
        self.scope = scope
        self.schema = build_schema(spec)
        self.required = [*spec.fields, *(c for c in (spec.unit.column, spec.unit.fallback, spec.category.column)
                                         if c), *spec.natural_key]
        if spec.watermark is not None:
            self.required.append(spec.watermark.column)
        if spec.record_table is not None:
            self.required.extend(spec.record_table.columns.values())

    def _check_columns(self, frame: pd.DataFrame) -> None:
        missing = [c for c in dict.fromkeys(self.required) if c not in frame.columns]
        if missing:
            raise SourceDataError(f"source '{self.spec.name}': column(s) {missing} missing from the source")

    def _unit_spellings(self, frame: pd.DataFrame) -> list:
        unit = self.spec.unit
        if unit.fixed is not None:
            return [unit.fixed] * len(frame)
        primary = frame[unit.column].tolist()
        if unit.fallback is None:
            return primary
        return [f if is_blank(p) else p for p, f in zip(primary, frame[unit.fallback].tolist())]

    def _typed(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Declared fields as typed values; every other source column as read, so `where` can use it."""
        typed = {c: pd.Series([None if is_blank(v) else v for v in frame[c].tolist()], dtype=object).array
                 for c in frame.columns if c not in SYNTHETIC}
        for name, spec in self.spec.fields.items():
            values = [typed_value(v, spec) for v in frame[name].tolist()]
            typed[name] = pd.array(values, dtype="Int64") if spec.type in ("integer", "amount") else \
                pd.Series(values, dtype=object).array
        return pd.DataFrame(typed, index=frame.index)

    def _where(self, typed: pd.DataFrame, metric_id: str, expr: str | None) -> np.ndarray:
        if expr is None:
            return np.ones(len(typed), dtype=bool)
        try:
            result = typed.eval(expr, engine="python")
        except Exception as exc:  # noqa: BLE001 - any failure of a configured expression is a config error
            where = "filter" if metric_id == "filter" else f"metrics.{metric_id}.where"
            raise SourceConfigError(f"source '{self.spec.name}': {where} '{expr}' cannot be evaluated: {exc}") from None
        return pd.Series(result, index=typed.index).fillna(False).astype(bool).to_numpy()

    def narrow(self, frame: pd.DataFrame, *, context: bool) -> tuple[pd.DataFrame, str | None]:
        """Reduce a raw chunk to narrow records; returns them and the chunk's highest watermark value."""
        spec, scope = self.spec, self.scope
        frame = frame.reset_index(drop=True)
        self._check_columns(frame)
        if spec.filter and spec.kind != "sql":  # sql sources filter in the query itself
            frame = frame[self._where(self._typed(frame), "filter", spec.filter)].reset_index(drop=True)
        frame[UNIT_COLUMN] = self._unit_spellings(frame)
        if spec.unit.fallback is not None:
            frame[UNIT_PAIR_COLUMN] = pd.Series(
                [None if is_blank(u) or is_blank(p) else (u, p)
                 for u, p in zip(frame[spec.unit.column].tolist(), frame[spec.unit.fallback].tolist())], dtype=object)
        reasons = validate_chunk(spec, self.schema, frame)
        typed = self._typed(frame)
        n = len(frame)

        wm_values = ([str(v) if not is_blank(v) else None for v in frame[spec.watermark.column]]
                     if spec.watermark is not None else [None] * n)
        present = [w for w in wm_values if w is not None]
        top = max(present) if present else None

        in_scope = np.full(n, scope.full and not context)
        if not scope.full and not context:
            if scope.since is not None:
                in_scope |= np.array([w is not None and w >= scope.since for w in wm_values])
            for name in spec.date_fields:
                days = typed[name].tolist()
                raw = frame[name].tolist()
                if scope.ranges:
                    in_scope |= np.array([scope.covers(d) for d in days])
                in_scope |= np.array([d is None and not is_blank(r) for d, r in zip(days, raw)])

        category = spec.category
        if category.column is not None:
            categories = [category.map.get(str(v).strip(), category.fixed) if not is_blank(v) else category.fixed
                          for v in frame[category.column]]
        else:
            categories = [category.fixed] * n
        keys = ([_key_of(vals) for vals in zip(*(frame[c].tolist() for c in spec.natural_key))]
                if spec.natural_key else [None] * n)
        refs = frame[ROW_REF].tolist()
        raws = [None] * n
        records = frame.to_dict("records")
        for i in range(n):
            if in_scope[i] and (i in reasons or keys[i] is not None):
                raws[i] = _raw_json(records[i])
        out = pd.DataFrame({
            "ref": pd.Series(refs, dtype=object), "ref_num": [_numeric_ref(r) for r in refs],
            "in_scope": in_scope, "reason": pd.Series([reasons.get(i) for i in range(n)], dtype=object),
            "unit": pd.Series([unit_code(v) for v in frame[UNIT_COLUMN]], dtype=object),
            "category": pd.Series(categories, dtype=object), "key": pd.Series(keys, dtype=object),
            "raw": pd.Series(raws, dtype=object), "context": context,
        })
        for metric_id, metric in spec.metrics.items():
            out[f"day:{metric_id}"] = pd.Series(typed[metric.date].tolist(), dtype=object)
            out[f"on:{metric_id}"] = self._where(typed, metric_id, metric.where)
            column = metric.sum or metric.distinct
            out[f"val:{metric_id}"] = (pd.Series(typed[column].tolist(), dtype=object) if column
                                       else pd.Series([1] * n, dtype=object))
        if spec.record_table is not None:  # the record-level columns ride along to etl/records.py
            for column, source_field in spec.record_table.columns.items():
                out[f"rec:{column}"] = pd.Series(typed[source_field].tolist(), dtype=object)
        return out, top


@dataclass
class Outcome:
    facts: pd.DataFrame
    quarantine: list[dict]
    refs_read: list[str]
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    days: tuple[dt.date, dt.date] | None  # first and last day with a fact
    every_ref: set[str] | None = None  # all rows the source has, when the connector read them all
    records: pd.DataFrame | None = None  # loaded rows' record-level columns, when the source keeps records


def settle(spec: SourceSpec, scope: Scope, parts: list[pd.DataFrame]) -> Outcome:
    """Judge duplicates across everything read, then aggregate the loaded rows to daily facts."""
    if not parts:
        return Outcome(pd.DataFrame(columns=FACT_COLUMNS), [], [], 0, 0, 0, None)
    rows = pd.concat(parts, ignore_index=True)
    rows = rows.drop_duplicates("ref", keep="first")  # context rows already read in scope count once
    rows = rows.sort_values(["ref_num", "ref"], na_position="last", kind="stable").reset_index(drop=True)

    if spec.natural_key:
        valid_keyed = rows["reason"].isna() & rows["key"].notna()
        keyed = rows[valid_keyed]
        is_dup = keyed["key"].duplicated(keep="first")
        first_ref = dict(zip(keyed["key"][~is_dup], keyed["ref"][~is_dup]))
        names = ", ".join(spec.natural_key)
        for i in keyed.index[is_dup]:
            key = rows.at[i, "key"]
            rows.at[i, "reason"] = f"duplicate of {names} '{'/'.join(key)}' (first seen in row {first_ref[key]})"

    scoped = rows[rows["in_scope"].astype(bool)]
    rejected = scoped[scoped["reason"].notna()]
    loaded = scoped[scoped["reason"].isna()]
    quarantine = [{"row_ref": r.ref, "raw": r.raw, "reason": r.reason, "unit_code": r.unit}
                  for r in rejected.itertuples(index=False)]

    facts = []
    for metric_id, metric in spec.metrics.items():
        day, on, val = loaded[f"day:{metric_id}"], loaded[f"on:{metric_id}"], loaded[f"val:{metric_id}"]
        mask = on.astype(bool) & day.notna() & val.notna()
        if scope.ranges:
            mask &= day.map(scope.covers).astype(bool)
        picked = pd.DataFrame({"unit_code": loaded["unit"][mask], "day": day[mask],
                               "category": loaded["category"][mask], "value": val[mask]})
        if picked.empty:
            continue
        grouped = picked.groupby(["unit_code", "day", "category"], sort=True)["value"]
        if metric.distinct:
            values = grouped.nunique()
        elif metric.sum:
            values = grouped.sum()  # object column of Python ints: exact
        else:
            values = grouped.size()
        facts.append(values.rename("value").reset_index().assign(metric_id=metric_id))
    frame = (pd.concat(facts, ignore_index=True)[FACT_COLUMNS] if facts
             else pd.DataFrame(columns=FACT_COLUMNS))
    frame["value"] = frame["value"].astype("int64")
    days = (min(frame["day"]), max(frame["day"])) if len(frame) else None
    records = loaded[["ref", "unit", *(c for c in loaded.columns if c.startswith("rec:"))]] \
        if spec.record_table is not None else None
    return Outcome(frame, quarantine, scoped["ref"].tolist(), len(scoped), len(loaded), len(rejected), days,
                   set(rows["ref"]), records)
