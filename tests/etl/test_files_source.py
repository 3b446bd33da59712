"""A drop folder of monthly .xlsx sheets and a BOM'd CSV: title rows, totals rows, mixed date and number cells."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from openpyxl import Workbook

from etl.config import parse_sources
from etl.pipeline import run_source
from etl.validation import parse_day, parse_decimal
from tests.etl.helpers import quarantine, total

SHEETS = """
sources:
  activity:
    kind: files
    folder: "${FOLDER}"
    pattern: "*.xlsx"
    header_row_contains: [单位, 活动日期, 参与人数]
    watermark: {column: _file_modified, lookback_days: 0}
    unit: {column: 单位}
    fields:
      活动日期: {type: date, formats: [excel, "%Y年%m月%d日", iso]}
      参与人数: {type: integer}
      媒体报道（篇）: {type: integer}
    metrics:
      education_events: {count: true, date: 活动日期}
      education_participants: {sum: 参与人数, date: 活动日期}
      media_reports: {sum: 媒体报道（篇）, date: 活动日期}
  docs:
    kind: files
    folder: "${FOLDER}"
    pattern: documents.csv
    natural_key: doc_no
    unit: {column: issuer}
    fields:
      issued_on: {type: date}
    metrics:
      regulatory_documents: {count: true, date: issued_on}
"""


def write_sheet(path, rows, *, bureau="广东金融监管局", month="2024年3月"):
    book = Workbook()
    sheet = book.active
    sheet.append([f"{bureau}消费者教育活动月报表"])
    sheet.append([f"填报单位：{bureau}    报送月份：{month}"])
    sheet.append([])
    sheet.append(["序号", "单位", "活动日期", "活动名称", "参与人数", "媒体报道（篇）"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    sheet.append(["合计", None, None, None, 99999, 99])
    book.save(path)


@pytest.fixture
def folder(tmp_path):
    write_sheet(tmp_path / "440000_2024-03.xlsx", [
        ["广东金融监管局", dt.datetime(2024, 3, 1), "进社区", 1200, 1],
        ["广州", 45352, "进校园", "1,200", 0],              # Excel serial 45352 = 2024-03-01
        ["深圳金融监管局", "2024年3月15日", "进企业", "1.2万", 2],
        ["广东金融监管局", "2024年3月32日", "进乡村", 10, 0],  # impossible date
        ["广东金融监管局", "2024-03-20", "进园区", "很多", 0],   # not a number
    ])
    (tmp_path / "documents.csv").write_text(
        "doc_no,title,issuer,action,issued_on\n金规〔2024〕1号,办法,总局机关,制定,2024-03-02\n"
        "金规〔2024〕1号,办法,总局机关,制定,2024-03-02\n粤金规〔2024〕2号,指引,广东金融监管局,修订,2024-03-05\n",
        encoding="utf-8-sig")
    return tmp_path


def test_parsers_read_what_bureaus_write():
    assert parse_day(45352, ("excel",)) == dt.date(2024, 3, 1)
    assert parse_day("2024年3月15日", ("%Y年%m月%d日",)) == dt.date(2024, 3, 15)
    assert parse_day("20240315", ("%Y%m%d",)) == dt.date(2024, 3, 15)
    assert parse_day("2024-02-30", ("iso",)) is None
    assert parse_decimal("1.2万") == 12000 and parse_decimal("1,200") == 1200 and parse_decimal("12,3x") is None


def test_sheets_skip_titles_and_totals_and_a_resent_month_restates(store_engine, folder):
    specs = parse_sources(SHEETS, {"FOLDER": str(folder)})
    result = run_source(store_engine, specs["activity"])
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == ("success", 5, 3, 2)
    assert total(store_engine, "education_events") == 3
    assert total(store_engine, "education_participants") == 1200 + 1200 + 12000
    assert total(store_engine, "media_reports") == 3
    reasons = quarantine(store_engine)
    assert reasons["440000_2024-03.xlsx:8"].startswith("date '2024年3月32日' in 活动日期 is not a date")
    assert reasons["440000_2024-03.xlsx:9"] == "integer '很多' in 参与人数 is not a whole number"

    unchanged = run_source(store_engine, specs["activity"])
    assert unchanged.rows_read == 0  # no file is newer than the watermark

    # A late correction re-sends the month: one event dropped, one restated.
    path = folder / "440000_2024-03.xlsx"
    write_sheet(path, [["广东金融监管局", dt.datetime(2024, 3, 1), "进社区", 1500, 1],
                       ["深圳金融监管局", "2024年3月15日", "进企业", "1.2万", 2]])
    later = os.stat(path).st_mtime + 5
    os.utime(path, (later, later))
    restated = run_source(store_engine, specs["activity"])
    assert (restated.status, restated.rows_read, restated.rows_quarantined) == ("success", 2, 0)
    assert total(store_engine, "education_events") == 2
    assert total(store_engine, "education_participants") == 1500 + 12000
    assert quarantine(store_engine) == {}


def test_an_incremental_run_reads_new_files_only_and_leaves_standing_quarantine_alone(store_engine, tmp_path):
    """Rows no day can place, in a file that did not change, are quarantined once. A later run of a new file
    neither re-reads them nor counts them against the guard (25 of 28 would be refused)."""
    write_sheet(tmp_path / "440000_2024-03.xlsx", [["广东金融监管局", "2024年3月32日", "进社区", 10, 0]] * 25)
    spec = parse_sources(SHEETS, {"FOLDER": str(tmp_path)})["activity"]
    first = run_source(store_engine, spec, accept=True)  # a block of bad dates is refused unless accepted
    assert (first.status, first.rows_read, first.rows_quarantined) == ("success", 25, 25)

    path = tmp_path / "110000_2024-04.xlsx"
    write_sheet(path, [["北京金融监管局", dt.datetime(2024, 4, 2), "进校园", 300, 1]] * 3,
                bureau="北京金融监管局", month="2024年4月")
    later = os.stat(tmp_path / "440000_2024-03.xlsx").st_mtime + 5
    os.utime(path, (later, later))
    second = run_source(store_engine, spec)
    assert (second.status, second.rows_read, second.rows_loaded, second.rows_quarantined) == ("success", 3, 3, 0)
    assert total(store_engine, "education_events") == 3
    assert len(quarantine(store_engine)) == 25  # still held, from the first run


def test_csv_with_bom_and_duplicate_submissions(store_engine, folder):
    spec = parse_sources(SHEETS, {"FOLDER": str(folder)})["docs"]
    result = run_source(store_engine, spec)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    assert total(store_engine, "regulatory_documents") == 2
    assert quarantine(store_engine)["documents.csv:3"] == (
        "duplicate of doc_no '金规〔2024〕1号' (first seen in row documents.csv:2)")


def test_a_filter_keeps_rows_outside_it_out_of_the_source(store_engine, folder):
    block = SHEETS.replace("    natural_key: doc_no\n", "    natural_key: doc_no\n    filter: \"action == '修订'\"\n")
    spec = parse_sources(block, {"FOLDER": str(folder)})["docs"]
    result = run_source(store_engine, spec)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (1, 1, 0)
