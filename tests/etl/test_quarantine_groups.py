"""`etl quarantine --group` and query.quality.quarantine_groups: one line per reason and value, most frequent
first, with a suggested unit for an unknown region."""
from __future__ import annotations

import pytest

from etl.config import parse_sources
from etl.pipeline import run_source
from metrics.access import Principal
from metrics.api import MetricsQuery, QuarantineRequest
from tests.etl.test_hotline import BLOCK, hotline_table

def quarantine_groups(engine, principal, source):
    return MetricsQuery(engine, principal).quality.quarantine_groups(QuarantineRequest(source=source))


SPELLINGS = ["深训市"] * 6 + ["朝阳区"] * 3 + ["外星球"] + ["广东省深圳市"] * 30


@pytest.fixture
def loaded(store_engine, tmp_path):
    url = hotline_table(tmp_path / "hotline.sqlite", [
        {"工单号": f"RX-{n:04d}", "受理日期": "20250501" if n != 40 else "20250532", "所属地区": spelling,
         "线索类别": "其他", "涉案金额万元": "1", "更新时间": "2025-05-31 12:00:00"}
        for n, spelling in enumerate(SPELLINGS, 1)])
    result = run_source(store_engine, parse_sources(BLOCK.format(url=url, date_format="%Y%m%d"), {})["hotline"])
    assert result.status == "success", result.error
    return store_engine


def test_groups_are_most_frequent_first_with_a_suggested_unit(loaded):
    groups = quarantine_groups(loaded, Principal("hq", "leadership"), source="hotline")
    lines = [(r.reason, r.rows, r.suggestion) for r in groups.itertuples()]
    assert lines == [
        ("unknown region '深训市'", 6, "440300 深圳"),
        ("ambiguous region '朝阳区': 110105 北京市朝阳区, 220104 长春市朝阳区", 3, None),
        ("date '20250532' in 受理日期 is not a date (expected %Y%m%d)", 1, None),
        ("unknown region '外星球'", 1, None),
    ]


def test_a_bureau_sees_only_its_own_resolved_rows(loaded):
    # unresolved rows have no unit: only national readers see them
    assert quarantine_groups(loaded, Principal("gd", "bureau", "440000"), source="hotline").empty
