"""Targets: CSV import with line-numbered errors, versions with who and when, audit, scope by principal."""
from __future__ import annotations

import datetime as dt
import json

import pytest

import app
from metrics.access import AccessDenied, Principal
from metrics.targets import (TargetError, TargetKey, current_targets, read_targets_csv, set_targets,
                             target_history)
from metrics.users import audit_log

HQ = Principal("hq-planner", "admin")
GD = Principal("gd", "bureau", "440000")
LEAD = Principal("lead", "leadership")

GOOD = """metric,unit,period,value,note
clue_referrals,CN,2026,5000,national plan
clue_referrals,440000,2026,420
clue_referrals,510000,2026,180
clue_referral_amount,440000,2026-03-01..2026-08-31,"1,500,000,000",summer phase
education_events,000000,2025,12
"""


def _write(tmp_path, text, name="targets.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_versions_audit_and_scope(store_engine, tmp_path):
    rows = read_targets_csv(_write(tmp_path, GOOD))
    assert set_targets(store_engine, HQ, rows, now=dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)) == 5
    # the same file again changes nothing; one changed value is a second version
    assert set_targets(store_engine, HQ, rows) == 0
    changed = _write(tmp_path, GOOD.replace("440000,2026,420", "440000,2026,460"), "v2.csv")
    assert set_targets(store_engine, Principal("deputy", "admin"), read_targets_csv(changed)) == 1

    everything = current_targets(store_engine, LEAD)
    assert len(everything) == 5
    gd = everything[(everything["unit_code"] == "440000") & (everything["metric"] == "clue_referrals")].iloc[0]
    assert (gd["value"], gd["version"], gd["set_by"]) == (460, 2, "deputy")
    phase = everything[everything["metric"] == "clue_referral_amount"].iloc[0]
    assert phase["period"] == "2026-03-01..2026-08-31" and phase["value"] == 1_500_000_000

    history = target_history(store_engine, LEAD, TargetKey("clue_referrals", "440000", dt.date(2026, 1, 1),
                                                           dt.date(2026, 12, 31)))
    assert list(history["value"]) == [420, 460] and list(history["set_by"]) == ["hq-planner", "deputy"]
    audit = audit_log(store_engine)
    sets = [json.loads(d) for d in audit[audit["action"] == "target_set"]["detail"]]
    assert len(sets) == 6
    assert {"unit": "440000", "value": 460, "previous": 420, "version": 2} .items() <= \
        next(s for s in sets if s["version"] == 2).items()

    # a bureau sees its own targets and the national ones, nothing of Sichuan or HQ
    seen = current_targets(store_engine, GD)
    assert set(seen["unit_code"]) == {"440000", "CN"}
    assert target_history(store_engine, GD, TargetKey("clue_referrals", "510000", dt.date(2026, 1, 1),
                                                      dt.date(2026, 12, 31))).empty
    # only the phase target is running on 2026-02-01? no: the phase starts in March
    on = current_targets(store_engine, LEAD, on=dt.date(2026, 2, 1))
    assert "clue_referral_amount" not in set(on["metric"]) and len(on) == 3


def test_only_an_administrator_sets_targets(store_engine, tmp_path):
    rows = read_targets_csv(_write(tmp_path, GOOD))
    for who in (GD, LEAD):
        with pytest.raises(AccessDenied):
            set_targets(store_engine, who, rows)
    assert current_targets(store_engine, LEAD).empty


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(tmp_path):
    bad = _write(tmp_path, "metric,unit,period,value\n"
                           "clue_referrals,CN,2026,100\n"
                           "clue_referals,CN,2026,100\n"
                           "clue_referrals,440100,2026,5\n"
                           "clue_referrals,999999,2026,5\n"
                           "clue_referrals,CN,2026-02-30..2026-06-30,5\n"
                           "clue_referrals,440000,2026,about 40\n"
                           "clue_referrals,CN,2026,120\n")
    with pytest.raises(TargetError) as err:
        read_targets_csv(bad)
    lines = str(err.value).splitlines()
    assert "6 bad row(s), nothing imported" in lines[0]
    assert [line.split(":")[0] for line in lines[1:]] == [f"line {n}" for n in (3, 4, 5, 6, 7, 8)]
    assert "unknown metric 'clue_referals'" in lines[1] and "sub-bureau" in lines[2]
    assert "repeats line 2" in lines[6]


def test_cli_import_and_status(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("IMD_DATA_DIR", str(tmp_path))
    for name in ("IMD_DATABASE_URL", "IMD_DATABASE_SCHEMA"):
        monkeypatch.delenv(name, raising=False)
    app.get_settings.cache_clear()
    try:
        assert app.main(["db", "upgrade"]) == 0
        assert app.main(["targets", "import", str(_write(tmp_path, GOOD))]) == 0
        assert "5 target(s) read" in capsys.readouterr().out
        assert app.main(["targets", "import", str(_write(tmp_path, "metric,unit,value\nx,CN,1\n", "b.csv"))]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "missing column(s) period" in err
        bad = _write(tmp_path, "metric,unit,period,value\nclue_referrals,CN,2026,-3\n", "c.csv")
        assert app.main(["targets", "import", str(bad)]) == 2
        assert "line 2: value '-3' is not a positive whole number" in capsys.readouterr().err
        assert app.main(["targets", "list", "--format", "json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert {(r["metric"], r["unit_code"], r["value"]) for r in listed} >= {("clue_referrals", "CN", 5000)}
        assert app.main(["targets", "status", "--as-of", "2026-02-30"]) == 2
        assert capsys.readouterr().err.startswith("error: '2026-02-30' is not a date")
    finally:
        app.get_settings.cache_clear()
