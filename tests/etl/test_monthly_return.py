"""A hand-filled monthly return workbook loads through YAML alone: title rows, 序号/单位/活动场次/…, a blank row,
a 合计 that disagrees with its rows (a finding on the file), a signature row (not quarantined), 六, １２, 1.2万."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from etl.config import SourceConfigError, parse_sources
from etl.pipeline import run_source
from metrics.access import Principal
from metrics.api import MetricsQuery, QuarantineRequest
from tests.etl.helpers import facts, quarantine


def file_findings(engine, principal, source=None):
    return MetricsQuery(engine, principal).quality.file_findings(QuarantineRequest(source=source))


def coverage_discrepancies(engine, principal):
    return MetricsQuery(engine, principal).quality.coverage_discrepancies(QuarantineRequest())

BLOCK = r"""
sources:
  activity_returns:
    kind: files
    folder: "{folder}"
    pattern: "*.xlsx"
    header_row_contains: [序号, 单位, 活动场次]
    submissions: {{file_pattern: '(?P<unit>\d{{6}})_(?P<month>\d{{4}}-\d{{2}})\.xlsx'}}{period}
    watermark: {{column: _file_modified, lookback_days: 0}}
    unit: {{column: 单位}}
    fields:
      活动场次: {{type: integer}}
      参与人数: {{type: integer}}
      媒体报道: {{type: integer}}
    metrics:
      education_events: {{sum: 活动场次, date: _month}}
      education_participants: {{sum: 参与人数, date: _month}}
      media_reports: {{sum: 媒体报道, date: _month}}
"""
TITLE_PERIOD = "\n    period: {title_pattern: '(?P<year>\\d{4})年(?P<month>\\d{1,2})月'}"


def write_return(path, title: str, totals: tuple = ("合计", None, 128, 14300, 6)) -> None:
    book = Workbook()
    sheet = book.active
    for row in ([title], ["填报单位：广东金融监管局（盖章）"], [],
                ["序号", "单位", "活动场次", "参与人数", "媒体报道"],
                [1, "广州金融监管分局", "六", "1.2万", 3],
                [2, "佛山", "１２", 800, 2],
                [3, "珠海金融监管分局", 10, "1,500", 1],
                [],
                list(totals),
                ["填表人：张三", None, "审核人：李四", None, "填报日期：2025年11月5日"],
                ["注：参与人数含线上活动。"]):
        sheet.append(row)
    book.save(path)


def spec(folder, period: str = ""):
    return parse_sources(BLOCK.format(folder=folder, period=period), {})["activity_returns"]


def test_a_hand_filled_monthly_return_loads_dated_by_the_month_in_its_file_name(store_engine, tmp_path):
    write_return(tmp_path / "440000_2025-10.xlsx", "广东金融监管局消费者权益保护教育宣传活动统计表")
    result = run_source(store_engine, spec(tmp_path))
    assert result.status == "success", result.error
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)  # no signature row
    assert quarantine(store_engine) == {}
    loaded = facts(store_engine).groupby(["metric_id", "day"])["value"].sum().to_dict()
    month_end = dt.date(2025, 10, 31)
    assert loaded == {("education_events", month_end): 28, ("education_participants", month_end): 14300,
                      ("media_reports", month_end): 6}
    found = file_findings(store_engine, Principal("hq", "leadership"), source="activity_returns")
    assert found[["file_ref", "unit_code", "month", "kind"]].values.tolist() == [
        ["440000_2025-10.xlsx", "440000", dt.date(2025, 10, 1), "totals_mismatch"]]
    assert found["detail"].tolist() == [
        "合计 row 9: 活动场次 128 but the 3 rows it closes sum to 28 (difference 100)"]
    cells = coverage_discrepancies(store_engine, Principal("hq", "leadership"))
    assert cells.values.tolist() == [["activity_returns", "440000", dt.date(2025, 10, 1), 1]]
    # another bureau does not see Guangdong's files
    assert file_findings(store_engine, Principal("zj", "bureau", "330000"), source=None).empty


def test_a_corrected_file_clears_its_finding_and_the_title_gives_the_month(store_engine, tmp_path):
    write_return(tmp_path / "440000_2025-10.xlsx", "2025年9月 广东金融监管局消费者教育活动统计表",
                 totals=("合计", None, 28, 14300, 6))
    result = run_source(store_engine, spec(tmp_path, TITLE_PERIOD))
    assert result.status == "success", result.error
    assert set(facts(store_engine)["day"]) == {dt.date(2025, 9, 30)}  # the title wins over the file name
    assert file_findings(store_engine, Principal("hq", "leadership")).empty


def test_month_without_a_way_to_know_it_is_a_config_error(tmp_path):
    block = BLOCK.format(folder=tmp_path, period="").replace(
        "    submissions: {file_pattern: '(?P<unit>\\d{6})_(?P<month>\\d{4}-\\d{2})\\.xlsx'}\n", "")
    with pytest.raises(SourceConfigError, match="'_month' needs kind 'files' with a 'period"):
        parse_sources(block, {})
