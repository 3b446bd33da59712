"""The README's worked example, block as written, onboards a table with its own layout and codes."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert

from etl.config import parse_sources
from etl.pipeline import run_source
from tests.conftest import PG_URL
from tests.etl.helpers import quarantine, total

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_block() -> str:
    text = README.read_text(encoding="utf-8")
    example = text[text.index("### Worked example"):]
    return re.search(r"```yaml\n(.*?)```", example, re.S).group(1)


ROWS = [  # transfer_no, xfer_date, handling_office, type_code, amount_wan, status, modified
    ("ZJ-2024-0001", "20240315", "浙江金融监管局", "D01", "1234.5", "sent", "2024-03-15 17:02:11"),
    ("ZJ-2024-0002", "20240315", "宁波金融监管局", "D02", "10", "sent", "2024-03-15 18:00:00"),
    ("ZJ-2024-0003", "20240316", "湖州金融监管分局", "D99", "0.01", "sent", "2024-03-16 09:00:00"),
    ("ZJ-2024-0004", "20240316", "省金融办", "D01", "5", "sent", "2024-03-16 09:10:00"),
    ("ZJ-2024-0005", "20240317", "浙江金融监管局", "D05", "5", "sent", "2024-03-17 09:00:00"),
    ("ZJ-2024-0006", "20240230", "浙江金融监管局", "D01", "5", "sent", "2024-03-17 10:00:00"),
    ("ZJ-2024-0007", "20240318", "浙江金融监管局", "D07", "-3", "sent", "2024-03-18 10:00:00"),
    ("ZJ-2024-0008", "20240318", "浙江金融监管局", "D07", "99", "draft", "2024-03-18 11:00:00"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def zj_database(request, tmp_path, pg_schema_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'zj.sqlite'}"
    else:
        url = f"{PG_URL}?options=-csearch_path%3D{pg_schema_factory('imd_zj').name}"
    engine = create_engine(url)
    columns = ["transfer_no", "xfer_date", "handling_office", "type_code", "amount_wan", "status", "modified"]
    table = Table("zj_transfer", MetaData(), Column(columns[0], String, primary_key=True),
                  *[Column(c, String) for c in columns[1:]])
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(table), [dict(zip(columns, r)) for r in ROWS])
    engine.dispose()
    return url


def test_the_readme_block_onboards_a_new_table_layout(store_engine, zj_database):
    block = readme_block()
    assert "${ZJ_DB_PASSWORD}" in block
    # Only the connection differs from the README: this test's database instead of zj-db.internal.
    block = re.sub(r'connection: ".*"', f'connection: "{zj_database}"', block)
    spec = parse_sources(block, {})["zj_transfers"]
    result = run_source(store_engine, spec)
    assert result.status == "success", result.error
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 3, 4)  # the draft is not read
    assert total(store_engine, "clue_referrals") == 3
    assert total(store_engine, "clue_referral_amount") == 12_345_000 + 100_000 + 100  # 万元 to whole yuan
    assert total(store_engine, "clue_referral_amount", dt.date(2024, 3, 16)) == 100
    reasons = quarantine(store_engine)
    assert reasons == {
        "ZJ-2024-0004": "unknown region '省金融办'",
        "ZJ-2024-0005": "unknown category 'D05' in type_code",
        "ZJ-2024-0006": "date '20240230' in xfer_date is not a date (expected %Y%m%d)",
        "ZJ-2024-0007": "amount_wan '-3' is below 0",
    }
    with store_engine.connect() as conn:
        units = dict(conn.exec_driver_sql(
            "SELECT unit_code, SUM(value) FROM daily_fact WHERE metric_id = 'clue_referrals' GROUP BY unit_code").all())
    assert units == {"330000": 1, "330200": 1, "330500": 1}
