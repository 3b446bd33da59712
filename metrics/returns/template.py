"""The Excel template of a return (openpyxl): download it for a period, fill it offline, upload it.

The sheet reads like the bureaus' own: title rows, a header (row label and the fields), one line per row of
the type and a 合计 line computed by a formula. A hidden sheet `_meta` names the type, unit and period. On
upload the header is found wherever it is (title rows above it are skipped), 合计/总计/小计 lines are
ignored, rows are matched by their Chinese or English label or key, and the cells go through the same per-row
checks as the form, so the same values get the same messages.
"""
from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from metrics.access import Principal
from metrics.returns.types import ReturnType
from metrics.returns.workflow import require_fill
from metrics.units import get_unit

TOTAL_LABELS = ("合计", "总计", "小计")
META = "_meta"


@dataclass(frozen=True, slots=True)
class ParsedTemplate:
    return_type: str | None
    unit_code: str | None
    period: str | None
    rows: dict[str, dict[str, object]]


def write_template(desk, principal: Principal, return_type: str, unit_code: str, period: str) -> bytes:
    """The period's template for one unit, prefilled with its current figures when there are any."""
    rtype = desk.rtype(return_type)
    unit = get_unit(unit_code)
    require_fill(principal, unit_code)
    start = rtype.period_start(period)
    label = rtype.period_label(start)
    current = desk.list(principal, return_type=return_type, period=label, unit=unit_code)
    figures = desk.get(principal, int(current["id"].iloc[0]))["versions"][-1]["figures"] if len(current) else {}
    book = Workbook()
    sheet = book.active
    sheet.title = label
    sheet.append([f"{rtype.name_zh}（{label}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"填报单位：{unit.name_zh}（{unit.code}）", None, f"截止日期：{rtype.due_on(start).isoformat()}"])
    sheet.append([rtype.row_label_zh, *(f.name_zh for f in rtype.fields.values())])
    for row_key, row in rtype.rows.items():
        sheet.append([row.name_zh, *((figures.get(row_key) or {}).get(name) for name in rtype.fields)])
    first, last = 4, 3 + len(rtype.rows)
    sheet.append(["合计", *(f"=SUM({get_column_letter(i)}{first}:{get_column_letter(i)}{last})"
                           for i in range(2, 2 + len(rtype.fields)))])
    for i in range(1, 2 + len(rtype.fields)):
        sheet.column_dimensions[get_column_letter(i)].width = 16
    meta = book.create_sheet(META)
    for key, value in (("return_type", rtype.id), ("unit", unit.code), ("period", label)):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _label_index(rtype: ReturnType) -> dict[str, str]:
    index = {}
    for key, row in rtype.rows.items():
        for spelling in (key, row.name_zh, row.name_en):
            index[spelling.strip().lower()] = key
    return index


def _field_index(rtype: ReturnType) -> dict[str, str]:
    index = {}
    for key, spec in rtype.fields.items():
        for spelling in (key, spec.name_zh, spec.name_en):
            index[spelling.strip().lower()] = key
    return index


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def read_template(types: Mapping[str, ReturnType], data: io.BytesIO) -> ParsedTemplate:
    """The figures of a filled template as given (raw cell values), for the per-row checks."""
    try:
        book = load_workbook(data, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable upload is the sender's problem
        raise ValueError(f"the upload is not an Excel workbook (.xlsx): {type(exc).__name__}") from None
    meta = {}
    if META in book.sheetnames:
        meta = {_text(k): _text(v) for k, v, *_ in book[META].iter_rows(values_only=True) if k}
    rtype = types.get(meta.get("return_type", ""))
    if rtype is None:
        if len(types) != 1:
            raise ValueError("the workbook does not say which return it is (no _meta sheet); use the template")
        rtype = next(iter(types.values()))
    sheet = next(book[name] for name in book.sheetnames if name != META)
    rows_index, fields_index = _label_index(rtype), _field_index(rtype)
    columns: dict[int, str] | None = None
    rows: dict[str, dict[str, object]] = {}
    for line in sheet.iter_rows(values_only=True):
        cells = [_text(c) for c in line]
        if columns is None:  # still above the header: title rows
            found = {i: fields_index[c.lower()] for i, c in enumerate(cells) if c.lower() in fields_index}
            if len(found) == len(rtype.fields):
                columns = found
            continue
        label = cells[0] if cells else ""
        if not label or label.startswith(TOTAL_LABELS):
            continue
        key = rows_index.get(label.lower(), label)
        rows[key] = {name: line[i] for i, name in columns.items() if i < len(line)}
    if columns is None:
        raise ValueError(f"no header row with {', '.join(f.name_zh for f in rtype.fields.values())} in the workbook")
    return ParsedTemplate(rtype.id, meta.get("unit") or None, meta.get("period") or None, rows)
