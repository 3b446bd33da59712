"""append_recent: the live demo job adds a few events, dated today or yesterday, keeping the contract."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from zoneinfo import ZoneInfo

import pytest

from etl.demo import append_recent, generate
from tests.etl.test_demo_reading import csv_rows, people, rows, sheet_date, sheet_rows

TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2024, 3, 20)
START = dt.datetime(2024, 3, 20, 9, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo_recent") / "base"
    generate(folder, until=TODAY, scale=0.3)
    return folder


def _copy(generated, tmp_path, name):
    return shutil.copytree(generated, tmp_path / name)


def _snapshot(folder):
    return {"clue": rows(folder / "regulator.sqlite", "clue"),
            "case_intake": rows(folder / "police.sqlite", "case_intake"),
            "crime_report": rows(folder / "institutions.sqlite", "crime_report"),
            "publications": json.loads((folder / "publications.json").read_text(encoding="utf-8"))["items"],
            "documents": csv_rows(folder / "documents.csv"), "inspections": csv_rows(folder / "inspections.csv")}


def test_appending_is_deterministic_for_seed_and_now(generated, tmp_path):
    a, b = _copy(generated, tmp_path, "a"), _copy(generated, tmp_path, "b")
    for folder in (a, b):
        for minute in range(0, 60, 5):
            append_recent(folder, now=START + dt.timedelta(minutes=minute), seed=3)
    assert _snapshot(a) == _snapshot(b)
    assert _snapshot(a)["clue"] != _snapshot(generated)["clue"]


def test_new_events_are_dated_today_or_yesterday_and_keep_the_contract(generated, tmp_path):
    folder = _copy(generated, tmp_path, "live")
    before = _snapshot(folder)
    mtimes = {p.name: p.stat().st_mtime for p in (folder / "activity").glob("*.xlsx")}
    totals = {}
    for minute in range(0, 24 * 60, 20):  # a day of the job, every 20 minutes
        for system, count in append_recent(folder, now=START + dt.timedelta(minutes=minute), seed=11).items():
            totals[system] = totals.get(system, 0) + count
    assert all(totals[s] > 0 for s in ("clue", "case_intake", "crime_report", "publications", "activity"))
    after = _snapshot(folder)
    days = {TODAY.isoformat(), (TODAY - dt.timedelta(days=1)).isoformat(), (TODAY + dt.timedelta(days=1)).isoformat()}
    old_ids = {r["clue_id"] for r in before["clue"]}
    new_clues = [r for r in after["clue"] if r["clue_id"] not in old_ids]
    assert len(new_clues) == totals["clue"] and all(r["identified_on"] in days for r in new_clues)
    assert len({r["clue_id"] for r in after["clue"]}) == len(after["clue"])
    referral_nos = [r["referral_no"] for r in new_clues if r["referral_no"]]
    assert referral_nos and not set(referral_nos) & {r["referral_no"] for r in before["clue"]}
    # the incremental ETL follows updated_at: every appended or updated row is newer than anything before
    assert min(r["updated_at"] for r in new_clues) > max(r["updated_at"] for r in before["clue"])
    changed = [r for r in after["case_intake"] if r not in before["case_intake"]]
    assert changed and min(r["updated_at"] for r in changed) > max(r["updated_at"] for r in before["case_intake"])
    new_items = after["publications"][len(before["publications"]):]
    assert new_items and all(i["published_on"] in days for i in new_items)
    assert len({i["id"] for i in after["publications"]}) == len(after["publications"])
    assert not list(folder.glob(".*.tmp")) and not list((folder / "activity").glob(".*.tmp"))
    rewritten = [p for p in (folder / "activity").glob("*.xlsx") if p.stat().st_mtime != mtimes.get(p.name)]
    assert rewritten and all(p.stat().st_mtime > max(mtimes.values()) for p in rewritten)
    for path in rewritten:
        sheet = sheet_rows(path)
        assert sheet[3][0] == "序号" and sheet[-1][0] == "合计"
        events = sheet[4:-1]
        assert [e[0] for e in events] == list(range(1, len(events) + 1))
        assert sheet[-1][4] == sum(people(e[4]) or 0 for e in events)
        assert any(sheet_date(e[2]) and sheet_date(e[2]).isoformat() in days for e in events)


def test_append_needs_generated_systems(tmp_path):
    with pytest.raises(FileNotFoundError):
        append_recent(tmp_path, now=START, seed=1)

