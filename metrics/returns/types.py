"""Return types: the forms bureaus fill in, declared in YAML next to the sources (etl/returns.demo.yaml).

A type names the unit level that fills it in, its period (month or quarter), the deadline day of the month
after the period, its rows (the lines of the form; 合计 is computed) and its fields (typed, with bounds, each
feeding one catalog metric when the return is approved and loaded by the `returns` source kind).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from metrics.catalog import METRICS
from metrics.windows import add_months, month_end


class ReturnTypeError(ValueError):
    """The return-types YAML is unreadable or a type is invalid; the message names the type and the key."""


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RowSpec(_Block):
    name_zh: str
    name_en: str


class ReturnField(_Block):
    name_zh: str
    name_en: str
    type: Literal["integer"] = "integer"
    min: int = 0
    max: int | None = None
    required: bool = True
    metric: str

    @model_validator(mode="after")
    def _known_metric(self):
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric id '{self.metric}'")
        return self


class ReturnType(_Block):
    id: str
    name_zh: str
    name_en: str
    level: Literal["bureau", "sub_bureau"]
    period: Literal["month", "quarter"]
    deadline_day: int = Field(default=10, ge=1, le=28)
    first_period: dt.date = dt.date(2025, 1, 1)
    row_label_zh: str = "项目"
    row_label_en: str = "Item"
    rows: dict[str, RowSpec]
    fields: dict[str, ReturnField]

    @model_validator(mode="after")
    def _shape(self):
        if not self.rows or not self.fields:
            raise ValueError("a return type needs at least one row and one field")
        return self

    def period_start(self, label: str) -> dt.date:
        """'2025-10' (month) or '2025Q4' (quarter) -> the first day; ValueError when malformed."""
        text = label.strip()
        try:
            if self.period == "quarter":
                year, q = text.upper().split("Q")
                if not 1 <= int(q) <= 4:
                    raise ValueError
                return dt.date(int(year), 3 * int(q) - 2, 1)
            year, month = text.split("-")[:2]
            return dt.date(int(year), int(month), 1)
        except ValueError:
            want = "YYYYQn" if self.period == "quarter" else "YYYY-MM"
            raise ValueError(f"period '{label}' is not a {self.period} ({want})") from None

    def period_end(self, start: dt.date) -> dt.date:
        return month_end(add_months(start, 2 if self.period == "quarter" else 0))

    def period_label(self, start: dt.date) -> str:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}" if self.period == "quarter" else start.strftime("%Y-%m")

    def due_on(self, start: dt.date) -> dt.date:
        return add_months(self.period_end(start).replace(day=1), 1).replace(day=self.deadline_day)

    def periods_until(self, day: dt.date) -> list[dt.date]:
        """Every period start from first_period whose period has ended by `day`."""
        step = 3 if self.period == "quarter" else 1
        out, start = [], self.first_period.replace(day=1)
        while self.period_end(start) < day:
            out.append(start)
            start = add_months(start, step)
        return out


def parse_return_types(text: str, *, origin: str = "return types") -> dict[str, ReturnType]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReturnTypeError(f"{origin} is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(document, dict) or not isinstance(document.get("return_types"), dict):
        raise ReturnTypeError(f"{origin} needs a top-level 'return_types:' mapping")
    types = {}
    for name, block in document["return_types"].items():
        try:
            types[name] = ReturnType.model_validate({**(block or {}), "id": name})
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            raise ReturnTypeError(f"return type '{name}' in {origin}: {where}: "
                                  f"{error['msg'].removeprefix('Value error, ')}") from None
    return types


def load_return_types(path: Path | str) -> dict[str, ReturnType]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReturnTypeError(f"cannot read return types file {path}: {exc.strerror}") from None
    return parse_return_types(text, origin=str(path))
