"""The demo stand-ins: contract shape, calibration (counted independently), dirt, realism, determinism."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from demo import generate
from metrics.units import bureau_of, bureaus
from tests.etl.test_demo_reading import (all_figures, csv_rows, iso, rows, sheet_rows, unit, valid_clue, wan_to_yuan,
                               whole_yuan)

UNTIL = dt.date(2025, 12, 31)
BANDS = {  # the demo contract's bands over 2023-06-01..2025-11-30
    "clue_referrals": (4_501, 4_635), "clue_referral_amount": (21.0e9, 21.63e9),
    "institution_reports": (1_701, 1_751), "institution_report_amount": (17.0e9, 17.51e9),
    "major_cases": (5, 9), "risk_warnings": (1_101, 1_133), "education_events": (1_701, 1_751),
    "media_reports": (301, 309), "regulatory_documents": (161, 164),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    generate(folder, until=UNTIL)
    return folder


@pytest.fixture(scope="module")
def figures(demo) -> dict[str, int]:
    return all_figures(demo)


@pytest.mark.parametrize("metric", sorted(BANDS))
def test_each_published_figure_lands_in_its_band(figures, metric):
    low, high = BANDS[metric]
    assert low <= figures[metric] <= high, (metric, figures[metric])


def test_the_other_metrics_are_realistic(figures):
    assert 2.5 <= figures["clues_identified"] / figures["clue_referrals"] <= 3.0
    assert 0.85 <= figures["referrals_accepted"] / figures["clue_referrals"] <= 0.90
    assert 0.60 <= figures["cases_filed"] / figures["referrals_accepted"] <= 0.70
    assert 200 <= figures["special_inspections"] <= 900
    assert 10_000 <= figures["ads_removed"] < 100_000
    assert 1_000_000 <= figures["education_participants"] < 10_000_000


def test_every_stand_in_has_its_contract_columns(demo):
    def columns(db, table):
        with sqlite3.connect(demo / db) as conn:
            return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]

    assert columns("regulator.sqlite", "clue") == [
        "clue_id", "identified_on", "bureau", "sub_bureau", "category", "found_by", "amount_yuan", "referral_no",
        "referred_on", "police_unit", "updated_at"]
    assert columns("police.sqlite", "case_intake") == [
        "intake_id", "region_code", "cited_referral_no", "received_on", "accepted_on", "filed_on", "updated_at"]
    assert columns("institutions.sqlite", "crime_report") == [
        "report_id", "institution_name", "institution_type", "bureau", "category", "amount_wan", "reported_on",
        "updated_at"]
    export = json.loads((demo / "publications.json").read_text(encoding="utf-8"))
    assert set(export) == {"exported_at", "items"}
    for item in export["items"]:
        assert set(item) - {"ads"} == {"id", "type", "published_on", "issuer", "title", "updated_at"}
        assert ("ads" in item) == (item["type"] == "ad_takedown")
    assert (demo / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbfdoc_no,title,issuer,action,issued_on\r\n")
    assert list(csv_rows(demo / "inspections.csv")[0]) == ["inspection_no", "bureau", "sub_bureau", "category",
                                                           "started_on"]
    sheet = sheet_rows(demo / "activity" / "440000_2024-03.xlsx")
    assert sheet[0][0] == "广东金融监管局消费者教育活动月报表"
    assert sheet[1][0] == "填报单位：广东金融监管局    报送月份：2024年3月"
    assert all(v is None for v in sheet[2])
    assert sheet[3] == ("序号", "单位", "活动日期", "活动名称", "参与人数", "媒体报道（篇）")
    assert sheet[-1][0] == "合计" and len(sheet) > 5


def test_ids_and_numbers_follow_the_contract(demo):
    clues = rows(demo / "regulator.sqlite", "clue")
    assert all(len(r["clue_id"]) == 15 and r["clue_id"].startswith("XS") for r in clues)
    referred = [r for r in clues if r["referral_no"]]
    assert all(r["referral_no"].split("-")[1] in {b.code for b in bureaus()} for r in referred)
    assert all(r["police_unit"] and r["referred_on"] for r in referred)
    intakes = rows(demo / "police.sqlite", "case_intake")
    assert all(r["intake_id"].startswith("JA") and len(r["intake_id"]) == 12 for r in intakes)
    assert {r["found_by"] for r in clues} == {"big_data_model", "inspection", "complaint", "institution_report"}
    assert all(len(r["updated_at"]) == 19 for r in clues + intakes)


def test_dirt_is_present_and_small_in_every_kind(demo):
    clues = rows(demo / "regulator.sqlite", "clue")
    assert any(r["identified_on"] is None for r in clues)
    assert any(r["identified_on"] and iso(r["identified_on"]) is None for r in clues)
    assert any(r["amount_yuan"] and r["amount_yuan"].startswith("-") for r in clues)
    assert any(r["amount_yuan"] and whole_yuan(r["amount_yuan"]) is None and not r["amount_yuan"].startswith("-")
               for r in clues)
    assert any(unit(r["bureau"]) is None for r in clues)
    # nothing rescues a row with an unknown bureau: the sub-bureau an ETL may fall back on is empty
    assert all(r["sub_bureau"] is None for r in clues if unit(r["bureau"]) is None)
    assert max(Counter(r["referral_no"] for r in clues if r["referral_no"]).values()) == 2
    assert any(iso(r["updated_at"][:10]) - iso(r["identified_on"]) > dt.timedelta(days=60)
               for r in clues if valid_clue(r))  # late corrections
    assert 0.005 < sum(not valid_clue(r) for r in clues) / len(clues) < 0.03

    intakes = rows(demo / "police.sqlite", "case_intake")
    cited = {r["referral_no"] for r in clues if r["referral_no"]}
    assert any(unit(r["region_code"]) is None for r in intakes)
    assert any(r["cited_referral_no"] is None for r in intakes)
    assert any(r["cited_referral_no"] and r["cited_referral_no"] not in cited for r in intakes)
    assert len(cited - {r["cited_referral_no"] for r in intakes}) > 0.05 * len(cited)  # never arrived

    reports = rows(demo / "institutions.sqlite", "crime_report")
    keys = Counter((r["institution_name"], r["reported_on"], r["amount_wan"], r["category"]) for r in reports)
    assert 0 < sum(n - 1 for n in keys.values()) < 0.03 * len(reports)
    assert any(wan_to_yuan(r["amount_wan"]) is None for r in reports)
    assert any(iso(r["reported_on"], "%Y%m%d") is None for r in reports)
    assert any(unit(r["bureau"]) is None for r in reports)

    items = json.loads((demo / "publications.json").read_text(encoding="utf-8"))["items"]
    assert any(unit(i["issuer"]) is None for i in items)
    assert any(iso(i["published_on"]) is None for i in items)
    assert any(n > 1 for n in Counter((i["type"], i["issuer"], i["published_on"], i["title"]) for i in items).values())

    docs, inspections = csv_rows(demo / "documents.csv"), csv_rows(demo / "inspections.csv")
    assert any(n > 1 for n in Counter(r["doc_no"] for r in docs).values())
    assert any(iso(r["issued_on"]) is None or unit(r["issuer"]) is None for r in docs)
    assert any(iso(r["started_on"], "%Y/%m/%d") is None for r in inspections)
    assert any(unit(r["bureau"]) is None for r in inspections)
    assert all(r["sub_bureau"] == "" for r in inspections if unit(r["bureau"]) is None)


def test_spreadsheets_carry_the_awkward_cells_of_real_returns(demo):
    cells = [row for path in sorted((demo / "activity").glob("*.xlsx"))[::3] for row in sheet_rows(path)[4:-1]]
    dates, people = [r[2] for r in cells], [r[4] for r in cells]
    assert any(isinstance(d, dt.datetime) for d in dates) and any(isinstance(d, int) for d in dates)
    assert any(isinstance(d, str) and d.endswith("日") for d in dates)
    assert any(isinstance(p, str) and "," in p for p in people)
    assert any(isinstance(p, str) and p.endswith("万") for p in people)


def test_some_bureau_months_are_missing_and_a_month_was_re_sent(demo):
    folder = demo / "activity"
    present = {p.name for p in folder.glob("*.xlsx")}
    months = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13) if (y, m) >= (2023, 6)]
    expected = {f"{b.code}_{m}.xlsx" for b in bureaus() for m in months}
    missing = expected - present
    assert 0 < len(missing) < 0.06 * len(expected)
    # a re-sent month: its file is newer than the following month's file of the same bureau
    late = []
    for name in present:
        code, month = name[:6], dt.date.fromisoformat(name[7:14] + "-01")
        following = folder / f"{code}_{(month + dt.timedelta(days=32)):%Y-%m}.xlsx"
        if following.exists() and (folder / name).stat().st_mtime > following.stat().st_mtime + 86_400 * 20:
            late.append(name)
    assert late


def test_volumes_follow_economic_size_and_the_calendar(demo):
    clues = [r for r in rows(demo / "regulator.sqlite", "clue") if valid_clue(r)]
    per_bureau = Counter(bureau_of(unit(r["bureau"])) for r in clues)
    large = min(per_bureau[c] for c in ("440000", "320000", "330000", "370000"))
    small = max(per_bureau[c] for c in ("540000", "630000", "640000"))
    assert large > 5 * small
    per_day = Counter(iso(r["identified_on"]) for r in clues)

    def daily(start, days):
        return sum(per_day[start + dt.timedelta(days=i)] for i in range(days)) / days

    assert daily(dt.date(2024, 2, 9), 7) < 0.4 * daily(dt.date(2024, 1, 8), 21)  # Spring Festival
    assert daily(dt.date(2024, 9, 19), 12) > 1.3 * daily(dt.date(2024, 8, 19), 12)  # quarter-end push
    assert daily(dt.date(2023, 6, 1), 30) < 0.6 * daily(dt.date(2024, 4, 1), 30)  # ramp-up
    amounts = sorted(whole_yuan(r["amount_yuan"]) for r in clues if r["referral_no"])
    assert amounts[-1] > 100 * amounts[len(amounts) // 2]  # heavy tail


def test_separately_planned_cities_are_their_own_units(demo):
    intakes = rows(demo / "police.sqlite", "case_intake")
    dalian = [r for r in intakes if r["region_code"].startswith("2102")]
    assert dalian and all(bureau_of(unit(r["region_code"])) == "210200" for r in dalian if len(r["region_code"]) == 6)
    clues = rows(demo / "regulator.sqlite", "clue")
    assert any(unit(r["bureau"]) == "440300" for r in clues)
    assert all(r["sub_bureau"] is None for r in clues if unit(r["bureau"]) in ("210200", "440300", "110000"))


def test_hq_issues_documents_and_public_statements(demo):
    docs = csv_rows(demo / "documents.csv")
    assert sum(unit(r["issuer"]) == "000000" for r in docs) > 0.3 * len(docs)
    items = json.loads((demo / "publications.json").read_text(encoding="utf-8"))["items"]
    statements = [i for i in items if i["type"] == "public_statement"]
    assert sum(unit(i["issuer"]) == "000000" for i in statements) > 0.5 * len(statements)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_seed_gives_the_same_bytes(tmp_path):
    first = generate(tmp_path / "a", until=dt.date(2023, 9, 30), seed=7, scale=0.3)
    generate(tmp_path / "b", until=dt.date(2023, 9, 30), seed=7, scale=0.3)
    generate(tmp_path / "c", until=dt.date(2023, 9, 30), seed=8, scale=0.3)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
    assert first.rows["clue"] > 0 and first.until == dt.date(2023, 9, 30)


def test_data_continue_after_the_window_and_stop_at_until(demo):
    clues = rows(demo / "regulator.sqlite", "clue")
    december = [r for r in clues if (r["identified_on"] or "").startswith("2025-12")]
    assert len(december) > 500
    assert max(r["updated_at"] for r in clues) <= "2025-12-31 23:59:59"
    assert max(r["referred_on"] or "" for r in clues) <= "2025-12-31"
