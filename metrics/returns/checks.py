"""Per-row checks of a return's figures: the same for the web form, the JSON API and the Excel upload.

Numbers are read by a parser handed in by the caller (app.py passes the ETL's own, etl.validation
.parse_decimal: '1,200', '1.2万', full-width digits), so a figure the form accepts is one the ETL accepts;
metrics never imports etl. A figure is whole, within the field's bounds, and blank only when not required.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from metrics.i18n import Messages
from metrics.returns.types import ReturnType

NumberParser = Callable[[object], Decimal | None]
MESSAGES = Messages.from_yaml(Path(__file__).with_name("messages.yaml"))


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One refused value: which row (key, 1-based number) and field, the value as given, and why."""

    code: str  # not_a_number | not_whole | below_min | above_max | missing | unknown_row | unknown_field
    row: str
    row_number: int
    field: str
    value: str
    limit: int | None = None

    def message(self, rtype: ReturnType, lang: str) -> str:
        row = rtype.rows.get(self.row)
        spec = rtype.fields.get(self.field)
        return MESSAGES.t(self.code, lang, row_number=self.row_number,
                          row=getattr(row, f"name_{lang}") if row else self.row,
                          field=getattr(spec, f"name_{lang}") if spec else self.field,
                          value=self.value, limit=self.limit)

    def as_dict(self, rtype: ReturnType) -> dict:
        return {"row": self.row, "row_number": self.row_number, "field": self.field, "value": self.value,
                "code": self.code, "message": self.message(rtype, "en"), "message_zh": self.message(rtype, "zh")}


@dataclass(frozen=True, slots=True)
class CheckedFigures:
    figures: dict[str, dict[str, int | None]]
    problems: tuple[RowProblem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value)


def check_value(rtype: ReturnType, row: str, name: str, value, parse_number: NumberParser
                ) -> tuple[int | None, RowProblem | None]:
    number_of_row = list(rtype.rows).index(row) + 1
    spec = rtype.fields[name]
    shown = "" if value is None else str(value).strip()

    def problem(code: str, limit: int | None = None):
        return None, RowProblem(code, row, number_of_row, name, shown, limit)

    if _blank(value):
        return problem("missing") if spec.required else (None, None)
    number = parse_number(value.strip() if isinstance(value, str) else value)
    if number is None:
        return problem("not_a_number")
    if number != number.to_integral_value():
        return problem("not_whole")
    whole = int(number)
    if whole < spec.min:
        return problem("below_min", spec.min)
    if spec.max is not None and whole > spec.max:
        return problem("above_max", spec.max)
    return whole, None


def check_figures(rtype: ReturnType, given: Mapping[str, Mapping[str, object]],
                  parse_number: NumberParser) -> CheckedFigures:
    """Every row and field of the type, in order; rows or fields the type does not have are refused."""
    problems: list[RowProblem] = []
    for number, row in enumerate(given, start=1):
        if row not in rtype.rows:
            problems.append(RowProblem("unknown_row", str(row), number, "", ""))
            continue
        for name in given[row] or {}:
            if name not in rtype.fields:
                problems.append(RowProblem("unknown_field", row, list(rtype.rows).index(row) + 1, str(name), ""))
    figures: dict[str, dict[str, int | None]] = {}
    for row in rtype.rows:
        cells = given.get(row) or {}
        figures[row] = {}
        for name in rtype.fields:
            value, problem = check_value(rtype, row, name, cells.get(name), parse_number)
            figures[row][name] = value
            if problem is not None:
                problems.append(problem)
    return CheckedFigures(figures, tuple(problems))


def totals(rtype: ReturnType, figures: Mapping[str, Mapping[str, int | None]]) -> dict[str, int]:
    """The 合计 of each field: the sum of its rows (blanks count as nothing)."""
    return {name: sum(int(figures.get(row, {}).get(name) or 0) for row in rtype.rows) for name in rtype.fields}
