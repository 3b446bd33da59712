"""The source configuration: a YAML file of source blocks, checked with pydantic before anything runs.

`load_sources(path, variables)` expands ${VAR} from the mapping it is given (app.py passes the environment
plus IMD_DEMO_DIR), validates every block and raises SourceConfigError naming the source and the field.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import yaml
from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from etl.config_onboarding import (FOOTERS, MONTH_FIELD, GuardSpec, PeriodSpec, _Block, check_date_format,
                                   check_groups)
from etl.config_schedule import RetrySpec, ScheduleSpec, WatermarkSpec
from metrics.catalog import CATEGORIES, METRICS, UNCATEGORISED
from metrics.units import unit_of_admin_code

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
AMOUNT_MULTIPLIERS = {"yuan": 1, "wan": 10_000, "yi": 100_000_000}


class SourceConfigError(ValueError):
    """The sources YAML is unreadable or a block is invalid; the message names the source and field."""


class FieldSpec(_Block):
    """A typed column: how to read it and what makes a value valid."""

    type: Literal["text", "date", "integer", "amount"] = "text"
    required: bool = True
    formats: tuple[str, ...] = ("iso",)  # date only: iso | excel | any strptime pattern, tried in order
    multiplier: Literal["yuan", "wan", "yi"] = "yuan"  # amount only: what one source unit is worth
    allowed: tuple[str, ...] | None = None  # text only
    min: int | None = 0  # integer/amount: values below are rejected (negative amounts by default)

    @field_validator("formats", mode="before")
    @classmethod
    def _one_or_many(cls, v):
        return (v,) if isinstance(v, str) else v

    @field_validator("formats")
    @classmethod
    def _real_formats(cls, v):
        for fmt in v:
            check_date_format(fmt)
        return v


class UnitSpec(_Block):
    column: str | None = None
    fallback: str | None = None  # used when `column` is empty (e.g. no sub-bureau given)
    fixed: str | None = None  # every row belongs to this unit
    aliases: dict[str, str] = Field(default_factory=dict)  # this source's own spellings -> unit code

    @model_validator(mode="after")
    def _one_way(self):
        if (self.column is None) == (self.fixed is None):
            raise ValueError("give exactly one of 'column' or 'fixed'")
        return self

    @field_validator("aliases")
    @classmethod
    def _known_units(cls, v):
        out = {}
        for spelling, code in v.items():
            unit = unit_of_admin_code(str(code).strip()) if re.fullmatch(r"\d{6}", str(code).strip()) else None
            if unit is None:
                raise ValueError(f"alias '{spelling}': '{code}' is not a reporting unit code")
            out[str(spelling)] = unit
        return out


class CategorySpec(_Block):
    column: str | None = None
    map: dict[str, str] = Field(default_factory=dict)  # source value -> catalog category key
    fixed: str = UNCATEGORISED

    @model_validator(mode="after")
    def _known_keys(self):
        known = set(CATEGORIES) | {UNCATEGORISED}
        bad = sorted({v for v in [*self.map.values(), self.fixed] if v not in known})
        if bad:
            raise ValueError(f"unknown category key(s) {bad}; known: {sorted(CATEGORIES)}")
        if self.column is not None and not self.map:
            raise ValueError("a category column needs a 'map' from source values to category keys")
        return self


class MetricSpec(_Block):
    """What one metric takes from a row: count of rows, sum of a column or count of distinct values."""

    date: str  # the field whose day the row counts on for this metric
    count: bool = False
    sum: str | None = None
    distinct: str | None = None
    where: str | None = None  # pandas query over typed fields, e.g. "referral_no.notna()"

    @model_validator(mode="after")
    def _one_measure(self):
        if sum((self.count, self.sum is not None, self.distinct is not None)) != 1:
            raise ValueError("give exactly one of 'count: true', 'sum: <field>' or 'distinct: <field>'")
        return self


RECORD_TABLES = {  # record-level tables of the metrics store and the columns a source may fill
    "referral_record": ("referral_no", "identified_on", "referred_on", "amount_yuan", "police_unit"),
    "police_record": ("cited_referral_no", "received_on", "accepted_on", "filed_on"),
}  # the record's id (clue_id / intake_id) is always the source's row_ref


class RecordTableSpec(_Block):
    """Keep the loaded rows themselves in a record-level table (etl/records.py): table column -> source field.

    The record's id is the source's row_ref, so a re-read or vanished row replaces or removes its record."""

    table: Literal["referral_record", "police_record"]
    columns: dict[str, str]

    @model_validator(mode="after")
    def _known_columns(self):
        allowed = RECORD_TABLES[self.table]
        bad = sorted(set(self.columns) - set(allowed))
        if bad:
            raise ValueError(f"unknown column(s) {bad} of {self.table}; known: {', '.join(allowed)}")
        return self


class SubmissionsSpec(_Block):
    """Files sources sent once per unit and month (etl/submissions.py): which file is whose month, and when due."""

    file_pattern: str  # regex over the file name with named groups 'unit' and 'month' (YYYY-MM)
    deadline_day: int = Field(default=10, ge=1, le=28)  # due by this day of the following month
    first_month: dt.date = dt.date(2023, 6, 1)

    @field_validator("file_pattern")
    @classmethod
    def _groups(cls, v):
        return check_groups(v, "file_pattern", ("unit", "month"))


class SourceSpec(_Block):
    name: str
    kind: Literal["sql", "files", "http", "returns"]
    # sql
    connection: str | None = None
    table: str | None = None
    db_schema: str | None = Field(default=None, alias="schema")
    query: str | None = None
    # files
    folder: str | None = None
    pattern: str = "*"
    header_row_contains: tuple[str, ...] = ()  # xlsx: the header is the first row holding all of these
    skip_rows_starting_with: tuple[str, ...] = ("合计", "总计", "小计")  # totals rows: checked, not records
    footer_rows_starting_with: tuple[str, ...] = FOOTERS  # signature and note rows below the table
    period: PeriodSpec | None = None  # files: the month from the title rows (virtual field _month)
    encoding: str = "utf-8-sig"
    # http
    url: str | None = None
    records: str | None = None  # dotted path to the list of records inside the JSON document
    timeout_seconds: float = 30.0
    # returns (etl/connectors/returns.py): approved bureau returns, read from the store the run loads into
    return_types: str | None = None  # the return-types YAML
    return_type: str | None = None  # which declared type this source loads
    # common
    chunk_rows: int = Field(default=5000, ge=1)
    row_ref: str | None = None  # the source's own row id, for quarantine and duplicate order
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    unit: UnitSpec
    category: CategorySpec = Field(default_factory=CategorySpec)
    metrics: dict[str, MetricSpec]
    filter: str | None = None  # rows outside it are not part of this source (sql: SQL; else pandas query)
    natural_key: tuple[str, ...] = ()
    watermark: WatermarkSpec | None = None
    schedule: ScheduleSpec = Field(default_factory=lambda: ScheduleSpec(every_minutes=30))
    retry: RetrySpec = Field(default_factory=RetrySpec)
    guard: GuardSpec = Field(default_factory=GuardSpec)
    record_table: RecordTableSpec | None = None  # keep loaded rows for reconciliation
    submissions: SubmissionsSpec | None = None  # files only: one file per unit and month

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("natural_key", "header_row_contains", "skip_rows_starting_with", "footer_rows_starting_with",
                     mode="before")
    @classmethod
    def _one_or_many(cls, v):
        return (v,) if isinstance(v, str) else v

    @model_validator(mode="before")
    @classmethod
    def _virtual_month(cls, data):
        """A metric dated by `_month` gets it as a date field (ISO, the month's last day)."""
        if isinstance(data, dict) and isinstance(data.get("metrics"), dict) and any(
                isinstance(m, dict) and m.get("date") == MONTH_FIELD for m in data["metrics"].values()):
            fields = dict(data.get("fields") or {})
            fields.setdefault(MONTH_FIELD, {"type": "date", "formats": "iso"})
            data = {**data, "fields": fields}
        return data

    @field_validator("metrics")
    @classmethod
    def _known_metrics(cls, v):
        bad = [m for m in v if m not in METRICS]
        if bad:
            raise ValueError(f"unknown metric id(s) {bad}; known: {', '.join(METRICS)}")
        if not v:
            raise ValueError("a source feeds at least one metric")
        return v

    @model_validator(mode="after")
    def _kind_needs(self):
        need = {"sql": ("connection",), "files": ("folder",), "http": ("url",),
                "returns": ("return_types", "return_type")}[self.kind]
        for key in need:
            if getattr(self, key) is None:
                raise ValueError(f"kind '{self.kind}' needs '{key}'")
        if self.kind == "sql" and (self.table is None) == (self.query is None):
            raise ValueError("kind 'sql' needs exactly one of 'table' or 'query'")
        for name, metric in self.metrics.items():
            if self.fields.get(metric.date, FieldSpec()).type != "date":
                raise ValueError(f"metrics.{name}.date: '{metric.date}' must be a field of type date")
            for col in (metric.sum, metric.distinct):
                if col is not None and col not in self.fields:
                    raise ValueError(f"metrics.{name}: '{col}' must be declared under fields")
            if metric.sum and self.fields[metric.sum].type not in ("integer", "amount"):
                raise ValueError(f"metrics.{name}.sum: '{metric.sum}' must be an integer or amount field")
        if self.record_table is not None and self.row_ref is None:
            raise ValueError("'record_table' needs a row_ref: it is the record's id")
        if self.submissions is not None and (self.kind != "files" or self.row_ref is not None):
            raise ValueError("'submissions' needs kind 'files' without a row_ref (rows are counted per file)")
        if MONTH_FIELD in self.fields and (self.kind != "files" or (
                self.period is None and self.submissions is None)):
            raise ValueError("'_month' needs kind 'files' with a 'period: {title_pattern}' or a "
                             "'submissions.file_pattern' whose (?P<month>...) group names the month")
        return self

    @property
    def source_columns(self) -> list[str]:
        """Every column the block names that the source itself must have (virtual _file… columns excluded)."""
        names = [*self.fields, self.unit.column, self.unit.fallback, self.category.column, *self.natural_key,
                 self.row_ref, self.watermark.column if self.watermark else None,
                 *(self.record_table.columns.values() if self.record_table else ())]
        return [n for n in dict.fromkeys(names) if n and n not in (MONTH_FIELD, "_file", "_file_modified")]

    @property
    def date_fields(self) -> list[str]:
        return sorted({m.date for m in self.metrics.values()})


def expand_variables(text: str, variables: Mapping[str, str]) -> str:
    """${VAR} and ${VAR:-default}; an unset variable without a default is an error, not an empty string."""

    def sub(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if name in variables:
            return variables[name]
        if default is not None:
            return default
        raise SourceConfigError(f"sources file uses ${{{name}}} but it is not set")

    return _VAR.sub(sub, text)


def _describe(error: dict) -> str:
    where = ".".join(str(p) for p in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def parse_sources(text: str, variables: Mapping[str, str], *, origin: str = "sources") -> dict[str, SourceSpec]:
    try:
        document = yaml.safe_load(expand_variables(text, variables))
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{origin} is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(document, dict) or not isinstance(document.get("sources"), dict):
        raise SourceConfigError(f"{origin} needs a top-level 'sources:' mapping of source name to block")
    specs: dict[str, SourceSpec] = {}
    for name, block in document["sources"].items():
        if not isinstance(block, dict):
            raise SourceConfigError(f"source '{name}' in {origin}: the block must be a mapping")
        try:
            specs[name] = SourceSpec.model_validate({**block, "name": name})
        except ValidationError as exc:
            raise SourceConfigError(f"source '{name}' in {origin}: {_describe(exc.errors()[0])}") from None
    return specs


def load_sources(path: Path | str, variables: Mapping[str, str]) -> dict[str, SourceSpec]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceConfigError(f"cannot read sources file {path}: {exc.strerror}") from None
    return parse_sources(text, variables, origin=str(path))

