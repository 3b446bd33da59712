"""Row validation: value parsers plus a pandera schema built from a source block.

The schema runs lazily over a chunk; pandera's failure cases become one readable reason per rejected row,
e.g. "unknown region '某某市金融办'" or "date '2024-02-30' in identified_on is not a date".
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
import pandera.pandas as pa

from etl.config import AMOUNT_MULTIPLIERS, FieldSpec, SourceSpec
from etl.numerals import parse_number
from etl.unit_lookup import NO_ALIASES, UnitLookup
from metrics.units import bureau_of

UNIT_COLUMN = "__unit_spelling__"  # the spelling chosen from the unit column or its fallback
# (unit spelling, fallback spelling) when a row gives both: the fallback must resolve and agree with it
UNIT_PAIR_COLUMN = "__unit_pair__"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, accounting for its 1900 leap-year bug


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


# -- value parsers (cached: sources repeat the same dates and spellings) ---------------------------------
@lru_cache(maxsize=65536)
def _parse_day_text(text: str, formats: tuple[str, ...]) -> dt.date | None:
    for fmt in formats:
        try:
            if fmt == "iso":
                return dt.date.fromisoformat(text[:10])
            if fmt == "excel":
                serial = float(text)
                if serial.is_integer() and 1 <= serial < 2958466:
                    return EXCEL_EPOCH + dt.timedelta(days=int(serial))
                continue
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_day(value, formats: tuple[str, ...]) -> dt.date | None:
    """The calendar day a value names, or None. datetime values are taken as Asia/Shanghai wall time."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = repr(int(value)) if float(value).is_integer() else repr(value)
    if not isinstance(value, str):
        return None
    return _parse_day_text(value.strip(), formats)


def parse_decimal(value) -> Decimal | None:
    """'1,200' -> 1200, '1.2万' -> 12000, '六' -> 6, '１２' -> 12, 3.0 -> 3; None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return None if value != value else Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if not isinstance(value, str):
        return None
    return parse_number(value)


def parse_integer(value, spec: FieldSpec) -> int | None:
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def parse_amount(value, spec: FieldSpec) -> int | None:
    """Whole yuan: source units times the multiplier, rounded half up to the yuan."""
    number = parse_decimal(value)
    if number is None:
        return None
    return int((number * AMOUNT_MULTIPLIERS[spec.multiplier]).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def unit_code(value, lookup: UnitLookup = NO_ALIASES) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return lookup.code(str(value).strip())


def typed_value(value, spec: FieldSpec):
    """The Python value a field holds once valid (None when blank)."""
    if is_blank(value):
        return None
    if spec.type == "date":
        return parse_day(value, spec.formats)
    if spec.type == "integer":
        return parse_integer(value, spec)
    if spec.type == "amount":
        return parse_amount(value, spec)
    return str(value).strip()


# -- whole-column forms: each distinct value is parsed once ------------------------------------------------
# Value kinds where equal values are interchangeable (1 == 1.0 == True would not be: bool parses differently).
_SAFE_KINDS = {"string", "integer", "date", "datetime", "floating", "empty", "decimal"}


def per_distinct(series: pd.Series, fn) -> np.ndarray:
    """fn applied to every value of `series` (None for a missing one of any kind), called once per distinct
    value where values are hashable and alike (an object array)."""
    values = series.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) in _SAFE_KINDS:
        try:
            codes, uniques = pd.factorize(values)  # missing values (None, NaN, NA) get code -1
        except TypeError:  # unhashable values (lists from a JSON source)
            pass
        else:
            missing = bool((codes < 0).any())
            out = np.empty(len(uniques) + missing, dtype=object)
            out[:len(uniques)] = [fn(None if is_blank(u) and not isinstance(u, str) else u) for u in uniques]
            if missing:
                out[-1] = fn(None)  # code -1 picks the last
            return out[codes]
    out = np.empty(len(values), dtype=object)
    out[:] = [fn(None if is_blank(v) and not isinstance(v, str) else v) for v in values]
    return out


def blank_mask(series: pd.Series) -> np.ndarray:
    values = series.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if kind == "integer":  # numbers from a database: nothing to look at value by value
        return np.zeros(len(values), dtype=bool)
    if kind in ("floating", "mixed-integer-float"):
        return pd.isna(values)
    return per_distinct(series, is_blank).astype(bool)


def _whole_numbers(series: pd.Series, multiplier: int = 1) -> np.ndarray | None:
    """Plain integers times `multiplier` as Python ints (an object array), or None when the column holds
    anything else. Products that fit int64 are computed as int64; larger ones as Python ints (no overflow).
    """
    values = series.to_numpy(dtype=object)
    if not len(values) or pd.api.types.infer_dtype(values, skipna=False) != "integer":
        return None
    try:
        whole = values.astype(np.int64)
    except OverflowError:
        whole = None
    out = np.empty(len(values), dtype=object)
    limit = np.iinfo(np.int64).max // multiplier
    if whole is not None and -limit <= whole.min() and whole.max() <= limit:
        out[:] = (whole * multiplier).tolist()
    else:
        out[:] = [int(v) * multiplier for v in values]
    return out


def parsed_column(series: pd.Series, spec: FieldSpec) -> np.ndarray:
    """What the field's parser makes of each value (None where it does not parse), as an object array."""
    if spec.type == "date":
        return per_distinct(series, lambda v: parse_day(v, spec.formats))
    if spec.type in ("integer", "amount"):
        whole = _whole_numbers(series, AMOUNT_MULTIPLIERS[spec.multiplier] if spec.type == "amount" else 1)
        if whole is not None:  # the common case: integers straight from a database
            return whole
        parse = parse_integer if spec.type == "integer" else parse_amount
        return per_distinct(series, lambda v: parse(v, spec))
    return per_distinct(series, lambda v: str(v).strip())


def typed_column(series: pd.Series, spec: FieldSpec):
    """typed_value over a whole column: an Int64 array for numbers, else an object array."""
    values = parsed_column(series, spec)
    values[blank_mask(series)] = None
    return pd.array(values, dtype="Int64") if spec.type in ("integer", "amount") else values


def _vector_check(fn, name: str) -> pa.Check:
    return pa.Check(lambda s: pd.Series(per_distinct(s, fn).astype(bool), index=s.index), name=name)


# -- the pandera schema -----------------------------------------------------------------------------------
def _field_checks(name: str, spec: FieldSpec) -> list[pa.Check]:
    if spec.type == "date":
        return [pa.Check(lambda s, f=spec: pd.Series(parsed_column(s, f) != None, index=s.index),  # noqa: E711
                         name="date")]
    if spec.type in ("integer", "amount"):
        checks = [pa.Check(lambda s, f=spec: pd.Series(parsed_column(s, f) != None, index=s.index),  # noqa: E711
                           name=spec.type)]
        if spec.min is not None:
            def at_least(s, f=spec):
                parsed = parsed_column(s, f)
                return pd.Series([v is None or v >= f.min for v in parsed], index=s.index, dtype=bool)
            checks.append(pa.Check(at_least, name="min"))
        return checks
    if spec.allowed is not None:
        allowed = set(spec.allowed)
        return [_vector_check(lambda v: str(v).strip() in allowed, "allowed")]
    return []


def build_schema(spec: SourceSpec, lookup: UnitLookup = NO_ALIASES) -> pa.DataFrameSchema:
    columns = {name: pa.Column(checks=_field_checks(name, f), nullable=not f.required, required=True)
               for name, f in spec.fields.items()}
    columns[UNIT_COLUMN] = pa.Column(checks=[_vector_check(lambda v: unit_code(v, lookup) is not None, "unit")],
                                     nullable=False)
    if spec.unit.fallback is not None:
        def resolves(pair) -> bool:
            return unit_code(pair[1], lookup) is not None

        def agrees(pair) -> bool:
            unit, parent = unit_code(pair[0], lookup), unit_code(pair[1], lookup)
            return unit is None or parent is None or bureau_of(unit) == bureau_of(parent)

        columns[UNIT_PAIR_COLUMN] = pa.Column(nullable=True, checks=[
            pa.Check(resolves, element_wise=True, name="unit_parent"),
            pa.Check(agrees, element_wise=True, name="unit_mismatch")])
    if spec.category.column is not None:
        mapping = spec.category.map
        columns[spec.category.column] = pa.Column(
            checks=[_vector_check(lambda v: str(v).strip() in mapping, "category")],
            nullable=False)
    return pa.DataFrameSchema(columns, strict=False, coerce=False)


def _reason(spec: SourceSpec, column: str, check: str, value, lookup: UnitLookup) -> str:
    shown = f"'{value}'"
    if column == UNIT_PAIR_COLUMN:
        unit, parent = value
        if check == "unit_parent":
            return f"unknown region '{parent}' in {spec.unit.fallback}"
        return f"'{unit}' in {spec.unit.column} is not part of '{parent}' in {spec.unit.fallback}"
    if column == UNIT_COLUMN:
        where = spec.unit.column + (f" / {spec.unit.fallback}" if spec.unit.fallback else "")
        return lookup.problem(str(value).strip()) if check == "unit" else f"no reporting unit in {where}"
    if check == "not_nullable":
        return f"{column} is empty"
    field = spec.fields.get(column)
    if check == "date":
        expected = " or ".join(field.formats) if field else "a date"
        return f"date {shown} in {column} is not a date (expected {expected})"
    if check in ("integer", "amount"):
        return f"{check} {shown} in {column} is not a {'whole ' if check == 'integer' else ''}number"
    if check == "min":
        return f"{column} {shown} is below {field.min if field else 0}"
    if check == "allowed":
        return f"{column} {shown} is not one of {', '.join(field.allowed)}"
    if check == "category":
        return f"unknown category {shown} in {column}"
    return f"{column} {shown} fails {check}"


def validate_chunk(spec: SourceSpec, schema: pa.DataFrameSchema, frame: pd.DataFrame,
                   lookup: UnitLookup = NO_ALIASES) -> dict[int, str]:
    """Row position -> reason for every invalid row of `frame` (a RangeIndex frame of raw values)."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return {}
    reasons: dict[int, list[str]] = {}
    for row in cases.itertuples(index=False):
        if row.index is None or pd.isna(row.index):
            raise ValueError(f"source '{spec.name}': {row.column} fails {row.check} for the whole table")
        reasons.setdefault(int(row.index), []).append(_reason(spec, row.column, row.check, row.failure_case, lookup))
    return {i: "; ".join(dict.fromkeys(r)) for i, r in reasons.items()}
