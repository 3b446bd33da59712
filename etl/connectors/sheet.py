"""How a hand-filled table sits in a sheet: title rows above the header, blank rows, totals rows (合计/总计/小计)
that are checked against the rows they close, and a footer (填表人, 审核人, 填报日期, 注) that is not data.

A 小计 closes the rows since the previous 小计 (or the header); a 合计/总计 closes every data row of the file,
wherever it stands (some forms put it right under the header). A disagreement is a finding on the file, not a
row's fault: the rows still load or are quarantined on their own merits.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from etl.config import SourceSpec
from etl.numerals import parse_number

GRAND_TOTALS = ("合计", "总计")


@dataclass
class Sheet:
    header: list[str] | None = None
    rows: list[tuple] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    title: str = ""  # the text above the header row
    findings: list[str] = field(default_factory=list)


def _text(value) -> str:
    return "" if value is None else re.sub(r"\s+", "", str(value))


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return None if value != value else Decimal(repr(value))
    return parse_number(str(value))


def _shown(value: Decimal) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


def month_end(year: int, month: int) -> str:
    """The day a monthly value is dated to: the last day of its month (ISO)."""
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return (first_next - dt.timedelta(days=1)).isoformat()


class SheetReader:
    def __init__(self, spec: SourceSpec, wanted: Iterable[str]):
        self.spec = spec
        self.wanted = set(wanted)
        self.numeric = [n for n, f in spec.fields.items() if f.type in ("integer", "amount")]

    def _first_text(self, values: Sequence) -> str:
        return next((t for t in (_text(v) for v in values) if t), "")

    def _check(self, sheet: Sheet, label: str, row_no: int, values: dict, closed: dict, count: int) -> None:
        for column in self.numeric:
            stated = _number(values.get(column))
            if stated is None:
                continue
            summed = closed.get(column, Decimal(0))
            if stated != summed:
                sheet.findings.append(
                    f"{label} row {row_no}: {column} {_shown(stated)} but the {count} rows it closes sum to "
                    f"{_shown(summed)} (difference {_shown(stated - summed)})")

    def read(self, lines: Iterable[tuple[int, Sequence]], *, header_first: bool) -> Sheet:
        sheet, title = Sheet(), []
        section: dict[str, Decimal] = {}
        total: dict[str, Decimal] = {}
        counts = {"section": 0, "total": 0}
        grand: list[tuple[str, int, dict]] = []
        for row_no, values in lines:
            if sheet.header is None:
                cells = [str(v).strip() if v is not None else "" for v in values]
                if header_first or self.wanted <= set(cells):
                    sheet.header = cells
                else:
                    title.extend(c for c in cells if c)
                continue
            first = self._first_text(values)
            if not first:
                continue  # a blank row
            if first.startswith(self.spec.footer_rows_starting_with):
                continue  # 填表人：… 审核人：… 填报日期：…, notes: not records
            named = dict(zip(sheet.header, values))
            if first.startswith(self.spec.skip_rows_starting_with):
                if first.startswith(GRAND_TOTALS):
                    grand.append((first[:2], row_no, named))
                else:  # 小计: the rows since the previous one
                    self._check(sheet, first[:2], row_no, named, section, counts["section"])
                    section, counts["section"] = {}, 0
                continue
            sheet.rows.append(tuple((list(values) + [None] * len(sheet.header))[:len(sheet.header)]))
            sheet.numbers.append(row_no)
            counts["section"] += 1
            counts["total"] += 1
            for column in self.numeric:
                number = _number(named.get(column))
                if number is not None:
                    section[column] = section.get(column, Decimal(0)) + number
                    total[column] = total.get(column, Decimal(0)) + number
        for label, row_no, named in grand:
            self._check(sheet, label, row_no, named, total, counts["total"])
        sheet.title = " ".join(title)
        return sheet
