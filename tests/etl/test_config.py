"""The sources YAML is checked before anything runs; a mistake names the source and the field."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from etl.config import SourceConfigError, expand_variables, load_sources, parse_sources
from etl.config_schedule import ScheduleSpec
from metrics.windows import TZ

BASE = """
sources:
  s1:
    kind: sql
    connection: "sqlite:///${DIR}/x.sqlite"
    table: t
    unit: {column: bureau}
    fields:
      day: {type: date}
    metrics:
      clues_identified: {count: true, date: day}
"""


def _with(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


def test_variables_expand_and_a_missing_one_is_an_error():
    assert expand_variables("${A}/${B:-b}", {"A": "a"}) == "a/b"
    spec = parse_sources(BASE, {"DIR": "/data"})["s1"]
    assert spec.connection == "sqlite:////data/x.sqlite"
    with pytest.raises(SourceConfigError, match=r"\$\{DIR\} but it is not set"):
        parse_sources(BASE, {})


@pytest.mark.parametrize("old,new,message", [
    ("clues_identified:", "clue_count:", r"source 's1' .*metrics: .*unknown metric id\(s\) \['clue_count'\]"),
    ("kind: sql", "kind: ftp", r"source 's1' .*kind: Input should be 'sql', 'files', 'http' or 'returns'"),
    ("    table: t\n", "", r"source 's1' .*kind 'sql' needs exactly one of 'table' or 'query'"),
    ("day: {type: date}", "day: {type: date, formats: 7}", r"source 's1' .*fields\.day\.formats"),
    ("{count: true, date: day}", "{count: true, sum: day, date: day}", r"exactly one of 'count: true'"),
    ("{count: true, date: day}", "{count: true, date: bureau}", r"metrics\.clues_identified\.date: 'bureau'"),
    ("unit: {column: bureau}", "unit: {column: bureau}\n    category: {column: c, map: {x: loans}}",
     r"unknown category key\(s\) \['loans'\]"),
    ("unit: {column: bureau}", "unit: {column: bureau}\n    schedule: {cron: '30 1 * * *'}",
     r"schedule: fires at 01:30; nothing may run between 01:00 and 03:00"),
    ("unit: {column: bureau}", "unit: {column: bureau}\n    colour: blue", r"colour: Extra inputs are not permitted"),
])
def test_a_bad_block_names_the_source_and_the_field(old, new, message):
    with pytest.raises(SourceConfigError, match=message):
        parse_sources(_with(old, new), {"DIR": "/d"})


def test_unreadable_files_and_yaml_are_one_line_errors(tmp_path):
    with pytest.raises(SourceConfigError, match="cannot read sources file"):
        load_sources(tmp_path / "none.yaml", {})
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [unclosed", encoding="utf-8")
    with pytest.raises(SourceConfigError, match="is not valid YAML"):
        load_sources(bad, {})


def test_interval_schedules_skip_the_quiet_hours():
    spec = parse_sources(_with("unit: {column: bureau}", "unit: {column: bureau}\n    schedule: {every_minutes: 20}"),
                         {"DIR": "/d"})["s1"]
    trigger = spec.schedule.trigger()
    at, hours = dt.datetime(2025, 3, 1, tzinfo=TZ), set()
    for _ in range(200):
        at = trigger.get_next_fire_time(None, at + dt.timedelta(seconds=1))
        hours.add(at.hour)
    assert hours.isdisjoint({1, 2}) and {0, 3, 23} <= hours


def _year_trigger(cron: str):
    return ScheduleSpec.model_construct(cron=cron, every_minutes=None).trigger(
        end_date=dt.datetime(2026, 1, 6, tzinfo=TZ))


def _fires_in_quiet_hours(cron: str) -> bool:
    """Hour by hour over a year: does the schedule fire between 01:00 and 03:00 on any day?"""
    trigger = _year_trigger(cron)
    day = dt.date(2025, 1, 6)
    while day < dt.date(2026, 1, 6):
        for hour in (1, 2):
            start = dt.datetime.combine(day, dt.time(hour), TZ)
            at = trigger.get_next_fire_time(None, start)
            if at is not None and at < start + dt.timedelta(hours=1):
                return True
        day += dt.timedelta(days=1)
    return False


@settings(max_examples=40, deadline=None)
@given(minute=st.sampled_from(["0", "*/15", "30", "5,35", "59"]),
       hour=st.sampled_from(["*", "0", "1", "2", "3", "4-23", "0,3-23", "*/2", "*/5", "2-5", "23", "0-1"]),
       day=st.sampled_from(["*", "1", "15", "1-7", "*/10", "31"]),
       month=st.sampled_from(["*", "1", "2", "6-8", "*/3", "12"]),
       weekday=st.sampled_from(["*", "mon", "sun", "0-4", "sat,sun"]))
def test_a_cron_in_the_quiet_hours_is_refused_exactly_when_it_would_fire_there(minute, hour, day, month, weekday):
    cron = f"{minute} {hour} {day} {month} {weekday}"
    try:
        ScheduleSpec(cron=cron)
        refused = False
    except ValidationError as exc:
        if "never fires within a year" in str(exc):
            assert _year_trigger(cron).get_next_fire_time(None, dt.datetime(2025, 1, 6, tzinfo=TZ)) is None, cron
            return
        assert "nothing may run between 01:00 and 03:00" in str(exc)
        refused = True
    assert refused == _fires_in_quiet_hours(cron), cron


def test_the_demo_configuration_is_valid():
    demo = Path(__file__).resolve().parents[2] / "etl" / "sources.demo.yaml"
    specs = load_sources(demo, {"IMD_DEMO_DIR": "/demo"})
    assert set(specs) == {"regulator_clues", "police_intake", "institution_reports", "publications",
                          "activity_sheets", "documents", "inspections", "education_returns"}
    fed = {m for s in specs.values() for m in s.metrics}
    from metrics.catalog import METRICS

    assert fed == set(METRICS)  # every catalog metric has a source
