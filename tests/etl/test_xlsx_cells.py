"""Workbooks are read with calamine but cells reach the sheet reader as openpyxl gives them (etl/connectors/files.py:
_cell): for any mix of text, whole and fractional numbers, dates, times of day, blanks and blank rows, the two
readers agree cell by cell."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from etl.connectors.files import _cell

CELLS = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.integers(-10**12, 10**12),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 4)),
    st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)).map(lambda d: dt.datetime(d.year, d.month, d.day)),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2035, 12, 31)).map(lambda t: t.replace(microsecond=0)),
)
ROWS = st.lists(st.lists(CELLS, max_size=7), min_size=1, max_size=12)


def _trimmed(row) -> tuple:
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return tuple(row)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_calamine_cells_read_as_openpyxl_reads_them(tmp_path, rows):
    path = tmp_path / "sheet.xlsx"
    book = Workbook()
    for r, row in enumerate(rows, start=2):  # a blank first row, as above a title
        for c, value in enumerate(row, start=1):
            book.active.cell(row=r, column=c, value=value)
    book.save(path)

    opened = load_workbook(path, read_only=True, data_only=True)
    expected = [_trimmed(row) for row in opened.worksheets[0].iter_rows(values_only=True)]
    opened.close()
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    got = [_trimmed(_cell(v) for v in row) for row in grid]
    while expected and expected[-1] == ():
        expected.pop()
    while got and got[-1] == ():
        got.pop()
    assert got == expected
