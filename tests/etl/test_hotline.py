"""An unseen tip-off hotline table in its own shape, onboarded through YAML alone; and the load guard on it.

Own column names, YYYYMMDD text dates, free-text regions, 万元 text amounts with separators. Only the
deliberately bad rows are quarantined; a wrong date format on a loaded store is refused and changes nothing.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select

from etl.config import SourceConfigError, parse_sources
from etl.pipeline import run_source
from metrics.api import MetricsQuery, TotalsRequest, Window
from metrics.models import EtlRun
from tests.etl.helpers import dump_store, quarantine, total

COLUMNS = ["工单号", "受理日期", "所属地区", "线索类别", "涉案金额万元", "更新时间"]
REGIONS = {  # what callers type -> the bureau or sub-bureau it must land on
    "广东省深圳市": "440300", "深圳市南山区": "440300", "山东省青岛市": "370200", "辽宁省大连市": "210200",
    "浙江省杭州市": "330100", "青岛市崂山区香港东路6号": "370200", "北京市朝阳区建国路88号": "110000",
    "浙江宁波鄞州": "330200", "湖北省恩施州": "422800", "厦门思明": "350200", "四川成都武侯区": "510100",
}
BAD = {  # row -> why it is quarantined
    "RX-0041": "ambiguous region '朝阳区': 110105 北京市朝阳区, 220104 长春市朝阳区",
    "RX-0042": "date '20250230' in 受理日期 is not a date (expected %Y%m%d)",
    "RX-0043": "amount '不详' in 涉案金额万元 is not a number",
    "RX-0044": "unknown region '外星球'",
}
BLOCK = """
sources:
  hotline:
    kind: sql
    connection: "{url}"
    table: tip_off
    row_ref: 工单号
    natural_key: 工单号
    watermark: {{column: 更新时间, lookback_days: 1}}
    retry: {{attempts: 1, backoff_seconds: 0}}
    unit: {{column: 所属地区}}
    category:
      column: 线索类别
      map: {{贷款中介: illegal_loan_intermediary, 车险: vehicle_insurance_fraud, 其他: other}}
    fields:
      受理日期: {{type: date, formats: "{date_format}"}}
      涉案金额万元: {{type: amount, multiplier: wan}}
    metrics:
      clues_identified: {{count: true, date: 受理日期}}
      clue_referral_amount: {{sum: 涉案金额万元, date: 受理日期}}
"""


def rows() -> list[dict]:
    spellings = list(REGIONS)
    good = [{"工单号": f"RX-{n:04d}", "受理日期": f"202503{n % 28 + 1:02d}", "所属地区": spellings[n % len(spellings)],
             "线索类别": ("贷款中介", "车险", "其他")[n % 3], "涉案金额万元": f"{n * 1000 + 234.5:,.1f}",
             "更新时间": "2025-03-31 12:00:00"} for n in range(1, 41)]
    bad = [("朝阳区", "20250301", "1"), ("深圳市南山区", "20250230", "1"), ("广东省深圳市", "20250302", "不详"),
           ("外星球", "20250303", "1")]
    return good + [{"工单号": ref, "受理日期": day, "所属地区": region, "线索类别": "其他", "涉案金额万元": amount,
                    "更新时间": "2025-03-31 12:00:00"} for ref, (region, day, amount) in zip(BAD, bad)]


def hotline_table(path, table_rows: list[dict]) -> str:
    """A SQLite hotline database at `path` holding `table_rows`; its URL."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    table = Table("tip_off", MetaData(), *[Column(c, String) for c in COLUMNS])
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), table_rows)
    engine.dispose()
    return url


@pytest.fixture
def hotline(tmp_path):
    return hotline_table(tmp_path / "hotline.sqlite", rows())


def spec(url: str, date_format: str = "%Y%m%d"):
    return parse_sources(BLOCK.format(url=url, date_format=date_format), {})["hotline"]


def test_a_hotline_table_in_its_own_shape_loads_with_only_the_bad_rows_quarantined(store_engine, hotline):
    result = run_source(store_engine, spec(hotline))
    assert result.status == "success", result.error
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (44, 40, 4)
    assert quarantine(store_engine) == BAD
    assert total(store_engine, "clues_identified") == 40
    assert total(store_engine, "clue_referral_amount") == sum(n * 1000 + 234.5 for n in range(1, 41)) * 10_000
    with store_engine.connect() as conn:
        units = dict(conn.exec_driver_sql("SELECT unit_code, SUM(value) FROM daily_fact "
                                          "WHERE metric_id = 'clues_identified' GROUP BY unit_code").all())
    spellings = list(REGIONS)
    expected: dict[str, int] = {}
    for n in range(1, 41):
        code = REGIONS[spellings[n % len(spellings)]]
        expected[code] = expected.get(code, 0) + 1
    assert units == expected  # 大连, 青岛, 深圳, 宁波, 厦门 on their own bureaus, never their provinces


def summary(engine) -> list[dict]:
    """What `python app.py summary --from 2025-03-01 --to 2025-03-31` prints, as records."""
    window = Window(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    return MetricsQuery(engine).totals(TotalsRequest(window)).frame.to_dict("records")


def test_a_wrong_date_format_on_a_loaded_store_is_refused_and_changes_nothing(store_engine, hotline):
    assert run_source(store_engine, spec(hotline)).status == "success"
    before, shown = dump_store(store_engine), summary(store_engine)
    assert {r["metric"]: r["value"] for r in shown}["clues_identified"] == 40
    refused = run_source(store_engine, spec(hotline, "%Y-%m-%d"), full=True)
    assert refused.status == "refused"
    assert refused.error.startswith("refused: 44 of 44 rows quarantined (100% > guard.max_quarantine_share 50%)")
    assert "etl run --source hotline --accept" in refused.error
    assert dump_store(store_engine) == before  # facts, quarantine and watermark as they were
    assert summary(store_engine) == shown
    with store_engine.connect() as conn:
        statuses = conn.execute(select(EtlRun.status).order_by(EtlRun.id)).scalars().all()
    assert statuses == ["success", "refused"]
    accepted = run_source(store_engine, spec(hotline, "%Y-%m-%d"), full=True, accept=True)
    assert accepted.status == "success" and accepted.rows_loaded == 0
    assert total(store_engine, "clues_identified") == 0


def test_a_drop_against_the_facts_it_replaces_is_refused(store_engine, hotline):
    assert run_source(store_engine, spec(hotline)).status == "success"
    narrowed = spec(hotline).model_copy(update={"filter": "工单号 < 'RX-0010'"})
    refused = run_source(store_engine, narrowed, full=True)
    assert refused.status == "refused", refused
    assert "would fall from" in refused.error and "guard.max_drop_share" in refused.error
    assert total(store_engine, "clues_identified") == 40


@pytest.mark.parametrize("date_format, message", [
    ("YYYYMMDD", "date format 'YYYYMMDD' has no % directive"),
    ("%Y%m%Q", "date format '%Y%m%Q' has an unknown directive (%Q)"),
])
def test_a_date_format_without_real_directives_is_a_config_error(hotline, date_format, message):
    with pytest.raises(SourceConfigError) as exc:
        spec(hotline, date_format)
    assert str(exc.value).startswith("source 'hotline' in sources: fields.受理日期.formats: ")
    assert message in str(exc.value)


def test_a_column_missing_from_the_source_is_a_configuration_error_at_once(store_engine, hotline):
    block = BLOCK.format(url=hotline, date_format="%Y%m%d").replace("attempts: 1", "attempts: 3").replace(
        "unit: {column: 所属地区}", "unit: {column: 所属区域}")
    result = run_source(store_engine, parse_sources(block, {})["hotline"])
    assert result.status == "failed"
    assert "configuration error: column(s) ['所属区域'] named in the block are missing from the source" in result.error
    assert "attempts" not in result.error  # not retried as an outage
