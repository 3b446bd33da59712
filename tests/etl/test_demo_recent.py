"""append_recent: the live demo job continues each stand-in at its pace so far, dated today or yesterday,
keeping the contract."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from zoneinfo import ZoneInfo

import pytest

from demo import append_recent, generate
from demo.xlsx import event_count, read_events
from tests.etl.test_demo_reading import csv_rows, people, rows, sheet_date, sheet_rows

TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2024, 3, 20)
START = dt.datetime(2024, 3, 20, 9, 0, tzinfo=TZ)
HISTORY_DAYS = (TODAY - dt.date(2023, 6, 1)).days + 1


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


def _counts(folder) -> dict[str, int]:
    snap = _snapshot(folder)
    counts = {system: len(found) for system, found in snap.items()}
    # event_count rather than openpyxl, which takes seconds here; test_event_count_agrees_... checks it
    counts["activity"] = sum(event_count(p) for p in (folder / "activity").glob("*.xlsx"))
    counts["referral"] = sum(1 for r in snap["clue"] if r["referral_no"])
    counts["accepted"] = sum(1 for r in snap["case_intake"] if r["accepted_on"])
    counts["filed"] = sum(1 for r in snap["case_intake"] if r["filed_on"])
    return counts


def _run(folder, *, days: int, every: dt.timedelta, seed: int) -> dict[str, int]:
    totals: dict[str, int] = {}
    for step in range(int(dt.timedelta(days=days) / every)):
        for system, count in append_recent(folder, now=START + step * every, seed=seed, every=every).items():
            totals[system] = totals.get(system, 0) + count
    return totals


def test_appending_is_deterministic_for_seed_and_now(generated, tmp_path):
    a, b = _copy(generated, tmp_path, "a"), _copy(generated, tmp_path, "b")
    for folder in (a, b):
        _run(folder, days=2, every=dt.timedelta(hours=6), seed=3)
    assert _snapshot(a) == _snapshot(b)
    assert _snapshot(a)["clue"] != _snapshot(generated)["clue"]


def test_an_hour_of_five_minute_calls_adds_about_an_hours_worth(generated, tmp_path):
    folder = _copy(generated, tmp_path, "hour")
    added = sum(sum(append_recent(folder, now=START + dt.timedelta(minutes=m), seed=7).values())
                for m in range(0, 60, 5))
    per_hour = sum(_counts(generated)[s] for s in ("clue", "case_intake", "crime_report", "publications",
                                                   "activity", "documents", "inspections")) / HISTORY_DAYS / 24
    assert per_hour < 0.5 and added <= 3  # a fixed amount per call added at least 12 clues in this hour


def test_a_simulated_span_runs_at_each_systems_historical_daily_rate(generated, tmp_path):
    folder = _copy(generated, tmp_path, "span")
    before = _counts(folder)
    days = 45
    returned = _run(folder, days=days, every=dt.timedelta(hours=3), seed=5)
    after = _counts(folder)
    for system, old in before.items():
        expected, added = old / HISTORY_DAYS * days, after[system] - old
        if system in returned:
            assert returned[system] == added, system
        if expected >= 10:  # enough to measure: Poisson noise is well inside a factor of 2
            assert expected / 2 <= added <= expected * 2, f"{system}: {added} added, {expected:.1f} expected"
        else:  # rare: a handful at most
            assert added <= 2 * expected + 4, f"{system}: {added} added, {expected:.1f} expected"
    share = (after["referral"] - before["referral"]) / (after["clue"] - before["clue"])
    assert abs(share - before["referral"] / before["clue"]) < 0.15


def test_event_count_agrees_with_the_workbook_reader(generated):
    workbooks = sorted((generated / "activity").glob("*.xlsx"))
    assert [event_count(p) for p in workbooks] == [len(read_events(p)) for p in workbooks]


def test_new_events_are_dated_today_or_yesterday_and_keep_the_contract(generated, tmp_path):
    folder = _copy(generated, tmp_path, "live")
    before = _snapshot(folder)
    mtimes = {p.name: p.stat().st_mtime for p in (folder / "activity").glob("*.xlsx")}
    totals = _run(folder, days=20, every=dt.timedelta(hours=12), seed=11)
    assert all(totals[s] > 0 for s in ("clue", "case_intake", "crime_report", "publications", "activity"))
    after = _snapshot(folder)

    def dated_by_its_call(day: str, updated_at: str) -> bool:  # the call stamps updated_at with its own now
        stamped = dt.date.fromisoformat(updated_at[:10])
        return day in {stamped.isoformat(), (stamped - dt.timedelta(days=1)).isoformat()}

    old_ids = {r["clue_id"] for r in before["clue"]}
    new_clues = [r for r in after["clue"] if r["clue_id"] not in old_ids]
    assert len(new_clues) == totals["clue"]
    assert all(dated_by_its_call(r["identified_on"], r["updated_at"]) for r in new_clues)
    assert len({r["clue_id"] for r in after["clue"]}) == len(after["clue"])
    referral_nos = [r["referral_no"] for r in new_clues if r["referral_no"]]
    assert referral_nos and not set(referral_nos) & {r["referral_no"] for r in before["clue"]}
    # the incremental ETL follows updated_at: every appended or updated row is newer than anything before
    assert min(r["updated_at"] for r in new_clues) > max(r["updated_at"] for r in before["clue"])
    changed = [r for r in after["case_intake"] if r not in before["case_intake"]]
    assert changed and min(r["updated_at"] for r in changed) > max(r["updated_at"] for r in before["case_intake"])
    assert len({r["intake_id"] for r in after["case_intake"]}) == len(after["case_intake"])
    new_items = after["publications"][len(before["publications"]):]
    assert len(new_items) == totals["publications"]
    assert all(dated_by_its_call(i["published_on"], i["updated_at"]) for i in new_items)
    assert len({i["id"] for i in after["publications"]}) == len(after["publications"])
    for system, key in (("documents", "doc_no"), ("inspections", "inspection_no")):
        assert len(after[system]) == len(before[system]) + totals[system]
        assert len({r[key] for r in after[system]}) == len({r[key] for r in before[system]}) + totals[system]
    assert not list(folder.glob(".*.tmp")) and not list((folder / "activity").glob(".*.tmp"))
    rewritten = [p for p in (folder / "activity").glob("*.xlsx") if p.stat().st_mtime != mtimes.get(p.name)]
    assert rewritten and all(p.stat().st_mtime > max(mtimes.values()) for p in rewritten)
    span = {(TODAY + dt.timedelta(days=n)).isoformat() for n in range(-1, 21)}
    for path in rewritten:
        sheet = sheet_rows(path)
        assert sheet[3][0] == "序号" and sheet[-1][0] == "合计"
        events = sheet[4:-1]
        assert [e[0] for e in events] == list(range(1, len(events) + 1))
        assert sheet[-1][4] == sum(people(e[4]) or 0 for e in events)
        assert any(sheet_date(e[2]) and sheet_date(e[2]).isoformat() in span for e in events)


def test_append_needs_generated_systems(tmp_path):
    with pytest.raises(FileNotFoundError):
        append_recent(tmp_path, now=START, seed=1)
