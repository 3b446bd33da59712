"""Over the demo store: seasonal expected-by-now, status per bureau, and the scorecard."""
from __future__ import annotations

import datetime as dt

import chinese_calendar
import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from metrics.access import SYSTEM, Principal
from metrics.models import NATION
from metrics.scorecard import scorecard
from metrics.seasonal import KINDS, unit_profile
from metrics.store import replace_facts
from metrics.target_status import target_status
from metrics.targets import TargetKey, set_targets
from tests.metrics.target_fixtures import SHORT_UNIT, load_demo, make_target_demo

pytest.importorskip("demo")
HQ = Principal("hq", "admin")
Y2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    return make_target_demo(tmp_path_factory.mktemp("target-demo"))


@pytest.fixture(scope="module")
def demo(module_store_engine, demo_folder):
    load_demo(module_store_engine, demo_folder)
    return module_store_engine


def test_expected_share_is_seasonal_not_a_straight_line(demo):
    # 2026: Spring Festival on 17 February; the profile comes from 2024 (SF in Feb) and 2025 (SF in Jan)
    profile = unit_profile(demo, "clues_identified", NATION, 2026, nation_key=NATION, min_events=150, max_years=3)
    assert profile.source == "own" and profile.years == (2024, 2025)
    march = profile.share(*Y2026, dt.date(2026, 3, 31))
    assert 0.15 < march < 0.25
    factor = dict(zip(KINDS, profile.kind))
    assert factor["sf_holiday"] < 0.5 * factor["work"] and factor["rest"] < factor["work"]
    # the quarter-end surge is learned from the data: the last third of a quarter's last month is the busiest
    assert int(np.argmax(profile.slot)) == 8
    # share rises through the year and ends at 1
    shares = [profile.share(*Y2026, dt.date(2026, m, 1)) for m in range(1, 13)]
    assert shares == sorted(shares) and profile.share(*Y2026, Y2026[1]) == 1.0


def test_status_per_bureau_from_declared_rules(demo):
    # Targets fitted to what the bureaus did in 2025: Jiangsu's at 90 % of its year, Shandong's at 3 times
    full = {}
    for code in ("320000", "370000"):
        from metrics.query import MetricsQuery
        from metrics.requests import TotalsRequest
        from metrics.windows import Window
        frame = MetricsQuery(demo, SYSTEM).totals(TotalsRequest(Window(*Y2025), ("clues_identified",), unit=code)).frame
        full[code] = int(frame["value"].iloc[0])
    rows = [(TargetKey("clues_identified", "320000", *Y2025), int(full["320000"] * 0.9), None),
            (TargetKey("clues_identified", "370000", *Y2025), full["370000"] * 3, None)]
    set_targets(demo, HQ, rows)
    status = target_status(demo, SYSTEM, as_of=dt.date(2025, 9, 30)).set_index("unit_code")
    assert status.loc["320000", "status"] == "on_track"
    assert status.loc["370000", "status"] == "behind"
    assert 0.6 < status.loc["320000", "expected_share"] < 0.85
    # a bureau user sees only its own status
    own = target_status(demo, Principal("js", "bureau", "320000"), as_of=dt.date(2025, 9, 30))
    assert list(own["unit_code"]) == ["320000"]
    early = target_status(demo, SYSTEM, as_of=dt.date(2025, 1, 5))
    assert set(early["status"]) == {"too_early"}


def test_scorecard_contributions_add_up_and_missing_reporting_withholds_rank(demo):
    card = scorecard(demo, SYSTEM, as_of=dt.date(2025, 9, 30))
    table = card.bureaus.set_index("unit_code")
    assert len(table) == 36
    sums = card.contributions.groupby("unit_code")["contribution"].sum()
    assert np.allclose(sums.reindex(table.index).to_numpy(), table["score"].to_numpy())
    assert ((table["score"] >= 0) & (table["score"] <= 100)).all()
    # Guangdong's May sheet is missing: 8 of 9 months is below 0.9, so no rank, but a score
    assert pd.isna(table.loc[SHORT_UNIT, "rank"]) and "education_events" in table.loc[SHORT_UNIT, "withheld_metrics"]
    ranked = table[table["rank"].notna()]
    assert sorted(ranked["rank"].astype(int)) == list(range(1, len(ranked) + 1)) or \
        ranked["score"].duplicated().any()
    assert (ranked.sort_values("rank")["score"].diff().dropna() <= 1e-9).all()
    assert int(table["ranked_of"].iloc[0]) == len(ranked)
    # "what would change the rank most": rebuild the bureau's score with that one value raised and re-rank
    mover = ranked[ranked["move_indicator"].map(lambda x: isinstance(x, str))].iloc[-1]
    parts = card.contributions[card.contributions["unit_code"] == mover.name].set_index("indicator")
    part = parts.loc[mover["move_indicator"]]
    indicator = card.contributions[card.contributions["indicator"] == mover["move_indicator"]]
    lo, hi = np.percentile(indicator["value"].dropna(), [5, 95])
    new_scaled = min(max((mover["move_to_value"] - lo) / (hi - lo), 0), 1) * 100
    new_score = mover["score"] + part["weight"] * (new_scaled - part["scaled"])
    others = ranked.drop(index=mover.name)["score"]
    assert mover["move_rank"] == 1 + int((others > new_score + 1e-9).sum()) < mover["rank"]
    records = {r["unit_code"]: r for r in card.to_records()}
    assert records[SHORT_UNIT]["rank"] is None and records[SHORT_UNIT]["best_move"] is None
    assert abs(sum(c["contribution"] for c in records[mover.name]["contributions"]) - records[mover.name]["score"]) < 1e-3


def test_working_day_history_gives_the_working_day_share(store_engine):
    """A unit active only on official working days, 10 events each: its expected share by a day of 2026 is
    the share of 2026's working days elapsed, from the official calendar."""
    days = [d for d in pd.date_range("2024-01-01", "2025-12-31").date if chinese_calendar.is_workday(d)]
    facts = pd.DataFrame({"metric_id": "education_events", "unit_code": "110000", "day": days, "category": "",
                          "value": 10})
    thin = pd.DataFrame({"metric_id": "education_events", "unit_code": "540000", "day": days[::100],
                         "category": "", "value": 1})
    with Session(store_engine) as s, s.begin():
        replace_facts(s, source="test", day_from=dt.date(2024, 1, 1), day_to=dt.date(2025, 12, 31),
                      facts=pd.concat([facts, thin], ignore_index=True), run_id=None)
    profile = unit_profile(store_engine, "education_events", "110000", 2026, nation_key=NATION, min_events=150,
                           max_years=3)
    workdays = chinese_calendar.get_workdays(*Y2026)
    for on in (dt.date(2026, 2, 28), dt.date(2026, 3, 31), dt.date(2026, 10, 8)):
        assert profile.share(*Y2026, on) == pytest.approx(sum(d <= on for d in workdays) / len(workdays), abs=1e-9)
    assert profile.share(*Y2026, dt.date(2026, 3, 31)) < 0.25
    # 6 events in two years is too thin: Xizang gets the national profile
    xizang = unit_profile(store_engine, "education_events", "540000", 2026, nation_key=NATION, min_events=150,
                          max_years=3)
    assert xizang.source == "national"


def test_demo_targets_ask_for_growth_on_last_year(demo):
    from demo.targets import NATIONAL_GROWTH, bureau_growth, demo_target_rows
    from metrics.query import MetricsQuery
    from metrics.requests import TotalsRequest
    from metrics.windows import Window

    rows = {k: v for k, v, _ in demo_target_rows(demo, dt.date(2026, 12, 4))}
    last_year = MetricsQuery(demo, SYSTEM).totals(TotalsRequest(Window(*Y2025), ("clue_referrals",))).frame
    assert rows[TargetKey("clue_referrals", "CN", *Y2026)] == round(int(last_year["value"].iloc[0]) * NATIONAL_GROWTH)
    gd = MetricsQuery(demo, SYSTEM).totals(TotalsRequest(Window(*Y2025), ("clue_referrals",), unit="440000")).frame
    assert rows[TargetKey("clue_referrals", "440000", *Y2026)] == round(int(gd["value"].iloc[0]) * bureau_growth("440000"))
    assert {k.start.year for k in rows} == {2025, 2026}
    assert {k.start.year for k, _, _ in demo_target_rows(demo, dt.date(2025, 6, 1))} == {2025}


def test_scorecard_cli_json(demo, monkeypatch, capsys):
    import json

    import app
    from sqlalchemy import text

    from tests.conftest import PG_URL

    if demo.dialect.name == "postgresql":
        with demo.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar()
        monkeypatch.setenv("IMD_DATABASE_URL", PG_URL)
        monkeypatch.setenv("IMD_DATABASE_SCHEMA", schema)
    else:
        monkeypatch.setenv("IMD_DATABASE_URL", demo.url.render_as_string(hide_password=False))
        monkeypatch.delenv("IMD_DATABASE_SCHEMA", raising=False)
    app.get_settings.cache_clear()
    try:
        assert app.main(["scorecard", "--as-of", "2025-09-30", "--format", "json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert app.main(["scorecard", "--as-of", "2025-13-01"]) == 2
        assert capsys.readouterr().err.startswith("error: '2025-13-01' is not a date")
        assert app.main(["scorecard", "--as-of", "2025-09-30", "--format", "table"]) == 0
        table = capsys.readouterr().out
    finally:
        app.get_settings.cache_clear()
    rows = {r["unit_code"]: r for r in out["bureaus"]}
    assert len(rows) == 36 and abs(sum(i["weight"] for i in out["indicators"]) - 1) < 1e-9
    for r in rows.values():
        assert abs(sum(c["contribution"] for c in r["contributions"]) - r["score"]) < 1e-3
    assert rows[SHORT_UNIT]["rank"] is None and "education_events" in rows[SHORT_UNIT]["rank_withheld_for"]
    assert "rank withheld: reporting short on education_events" in next(
        line for line in table.splitlines() if SHORT_UNIT in line)
