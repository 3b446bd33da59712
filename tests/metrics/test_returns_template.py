"""A hand-filled Excel return (title rows, a 合计 line, 六, １２) gets the same per-row messages as the form."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from etl.validation import parse_decimal
from metrics.api import read_template
from metrics.returns import check_figures
from tests.metrics.returns_fixtures import EDU, TYPES

FORM = {  # what a user types into the form, cell by cell
    "community": {"events": "六", "participants": "1,200", "media": "１２"},
    "schools": {"events": "2", "participants": "1.2万", "media": "0"},
    "workplaces": {"events": "1", "participants": "若干", "media": "0"},
    "countryside": {"events": "0", "participants": "0", "media": "-1"},
    "online": {"events": "3", "participants": "2.5", "media": ""},
}


def hand_filled(labels: str = "zh") -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["广州金融监管分局消费者教育活动情况统计表"])
    sheet.append(["填报单位（盖章）：广州分局", None, "2025年10月"])
    sheet.append([])
    sheet.append(["活动类别", "活动场次", "参与人数", "媒体报道"])
    for key, cells in FORM.items():
        label = getattr(TYPES[EDU].rows[key], f"name_{labels}")
        sheet.append([label, *(cells[f] if cells[f] != "" else None for f in ("events", "participants", "media"))])
    sheet.append(["合计", 12, "=SUM(C5:C9)", 13])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.mark.parametrize("labels", ["zh", "en"])
def test_an_uploaded_workbook_gets_the_forms_messages(labels):
    parsed = read_template(TYPES, hand_filled(labels))
    assert parsed.return_type == EDU and parsed.unit_code is None  # no _meta sheet: the upload names unit, period
    assert set(parsed.rows) == set(TYPES[EDU].rows)  # the 合计 line and the title rows are not rows
    upload = check_figures(TYPES[EDU], parsed.rows, parse_decimal)
    form = check_figures(TYPES[EDU], FORM, parse_decimal)
    rtype = TYPES[EDU]
    assert [p.message(rtype, "zh") for p in upload.problems] == [p.message(rtype, "zh") for p in form.problems]
    assert upload.figures == form.figures
    assert upload.figures["community"]["media"] == 12 and upload.figures["schools"]["participants"] == 12000
    codes = {(p.row, p.field): p.code for p in form.problems}
    assert codes[("workplaces", "participants")] == "not_a_number"
    assert codes[("countryside", "media")] == "below_min"
    assert codes[("online", "participants")] == "not_whole"
    assert codes[("online", "media")] == "missing"
    # 六 is read by the ETL's parser, whatever it accepts: the form and the upload agree either way.
    six = parse_decimal("六")
    assert (upload.figures["community"]["events"] == 6) if six is not None else \
        codes[("community", "events")] == "not_a_number"


def test_an_unknown_row_label_is_named():
    book = Workbook()
    sheet = book.active
    sheet.append(["活动类别", "活动场次", "参与人数", "媒体报道"])
    sheet.append(["进工地", 1, 1, 1])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    checked = check_figures(TYPES[EDU], read_template(TYPES, out).rows, parse_decimal)
    assert checked.problems[0].message(TYPES[EDU], "en") == "row 1: '进工地' is not a row of this return"
