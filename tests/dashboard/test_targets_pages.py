"""Scorecard, targets, target badges and notices, called as the signed-in users would call them."""
from __future__ import annotations

import base64
import datetime as dt

import numpy as np
import plotly.graph_objects as go
import pytest

from dashboard.callbacks import notices as notices_cb
from dashboard.callbacks import scorecard as scorecard_cb
from dashboard.callbacks import target_badges as badges_cb
from dashboard.callbacks import targets as targets_cb
from figures.scorecard import build_scorecard_figure, build_why_figure
from metrics.api import SYSTEM, AccessDenied, EventDraft, MetricsQuery, Principal, TargetKey, bureaus
from tests.auth_helpers import acting_as

Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture(scope="module")
def with_targets(seeded):
    engine, _ = seeded
    rows = [(TargetKey("clue_referrals", "CN", *Y2025), 1900, None),
            (TargetKey("education_events", "CN", *Y2025), 800, None)]
    rows += [(TargetKey("clue_referrals", b.code, *Y2025), 10 if b.code == "440000" else 400, None) for b in bureaus()]
    MetricsQuery(engine, Principal("hq", "admin")).targets.set(rows)
    alerts = MetricsQuery(engine, SYSTEM).alerts
    alerts.subscribe("gd", ["behind_target"], email=None, lang="zh", known_rules=("behind_target",))
    alerts.record_events([EventDraft("behind_target", "t:1", "440000",
                                      {"metric": "clue_referrals", "unit": "440000", "period": "2025", "target": 40,
                                       "actual": 3, "expected": 30, "as_of": "2025-11-29"}),
                           EventDraft("behind_target", "t:2", "510000",
                                      {"metric": "clue_referrals", "unit": "510000", "period": "2025", "target": 40,
                                       "actual": 3, "expected": 30, "as_of": "2025-11-29"})],
                         now=dt.datetime(2025, 11, 30, tzinfo=dt.timezone.utc))
    return engine


def _props(component) -> dict:
    return component.to_plotly_json()["props"]


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if hasattr(child, "to_plotly_json"):
            yield from _walk(child)


def test_scorecard_page_shows_every_bureau_and_why(app, with_targets):
    with acting_as(app, with_targets, "lead"):
        title, chart, why_title, why_text, why, table = scorecard_cb.update_scorecard(True, "?lang=en&unit=510000")
    fig = go.Figure(chart)
    assert len(fig.data) == 6 and all(len(trace.y) == 36 for trace in fig.data)
    totals = np.sum([trace.x for trace in fig.data], axis=0)
    card = MetricsQuery(with_targets, Principal("lead", "leadership")).targets.scorecard(as_of=dt.date(2025, 11, 30))
    assert sorted(totals) == pytest.approx(sorted(card.bureaus["score"]), abs=0.04)  # segments rounded to 0.01
    assert why_title == "Why this score: Sichuan" and title.startswith("Scorecard of the 36 bureaus (2025-01-01")
    sichuan = card.bureaus.set_index("unit_code").loc["510000"]
    assert f"score {sichuan['score']:.1f}" in _props(why_text[0])["children"]
    assert len(go.Figure(why).data[1].x) == 6


def test_a_bureau_sees_why_its_own_score(app, with_targets):
    with acting_as(app, with_targets, "gd"):
        *_, why_title, why_text, _why, _table = scorecard_cb.update_scorecard(True, "?unit=510000")
    assert why_title == "为什么是这个分数：广东"


def test_overview_badges_for_the_chosen_unit(app, with_targets):
    with acting_as(app, with_targets, "lead"):
        title, grid = badges_cb.update_target_badges(True, "?unit=440000&lang=en")
    cards = [c for c in _walk(grid) if getattr(c, "className", "") == "target-card"]
    assert [_props(c)["data-metric"] for c in cards] == ["clue_referrals"]
    assert _props(cards[0])["data-status"] == "on_track"  # a target of 10 is long reached
    with acting_as(app, with_targets, "gd"):
        _, grid = badges_cb.update_target_badges(True, "")
    statuses = {_props(c)["data-metric"]: _props(c)["data-status"] for c in _walk(grid)
                if getattr(c, "className", "") == "target-card"}
    assert set(statuses) == {"clue_referrals", "education_events"}  # the national targets
    with acting_as(app, with_targets, "gd"):
        _, grid = badges_cb.update_target_badges(True, "?unit=510000")  # Sichuan's are not Guangdong's to see
    assert not [c for c in _walk(grid) if getattr(c, "className", "") == "target-card"]


def test_targets_page_scope_and_import(app, with_targets):
    with acting_as(app, with_targets, "gd"):
        _, status, listing = targets_cb.update_targets(True, "?lang=en", 0)
        with pytest.raises(AccessDenied):
            targets_cb.upload_targets("data:text/csv;base64," + base64.b64encode(b"x").decode(), "t.csv", 0, "")
    units = {row.children[1].children for row in listing.children[1].children}
    assert units == {"Guangdong", "Nation"}
    good = b"metric,unit,period,value\nrisk_warnings,440000,2026,12\n"
    bad = b"metric,unit,period,value\nrisk_warnings,440000,2026,lots\n"
    with acting_as(app, with_targets, "admin"):
        message, version = targets_cb.upload_targets("data:text/csv;base64," + base64.b64encode(good).decode(),
                                                     "t.csv", 0, "?lang=en")
        assert _props(message)["children"] == "1 targets read; 1 new versions." and version == 1
        message, version = targets_cb.upload_targets("data:text/csv;base64," + base64.b64encode(bad).decode(),
                                                     "bad.csv", 1, "?lang=en")
    assert "line 2: value 'lots'" in _props(message)["children"] and version is targets_cb.no_update


def test_notices_list_only_the_users_own(app, with_targets):
    with acting_as(app, with_targets, "gd"):
        table = notices_cb.update_notices(True, "?lang=en", 0)
    rows = table.rowData
    assert len(rows) == 1 and "Guangdong" in rows[0]["alert"] and table.columnDefs[0]["pinned"] == "left"
    with acting_as(app, with_targets, "lead"):
        assert "No notices yet" in notices_cb.update_notices(True, "?lang=en", 0).children


def test_figure_builders_are_pure_and_valid():
    import pandas as pd

    bureaus_df = pd.DataFrame({"unit_code": ["A", "B"], "score": [60.0, 30.0], "rank": [1.0, np.nan]})
    parts = pd.DataFrame({"unit_code": ["A", "A", "B", "B"], "indicator": ["x", "y", "x", "y"],
                          "weight": [0.5, 0.5, 0.5, 0.5], "contribution": [40.0, 20.0, 10.0, 20.0]})
    before = parts.copy()
    fig = go.Figure(build_scorecard_figure(bureaus_df, parts, unit_names={"A": "a"}, indicator_names={"x": "X"},
                                           withheld_mark="-", highlight="B"))
    assert list(fig.data[0].y) == ["B · -", "a · 1"] and list(fig.data[0].x) == [10.0, 40.0]
    why = go.Figure(build_why_figure(parts[parts["unit_code"] == "A"], indicator_names={}, earned_name="e",
                                     possible_name="p"))
    assert list(why.data[0].x) == [50.0, 50.0] and list(why.data[1].x) == [20.0, 40.0]
    pd.testing.assert_frame_equal(parts, before)


def test_regions_and_compare_show_target_status(app, with_targets):
    from dashboard.callbacks import target_strips

    with acting_as(app, with_targets, "lead"):
        title, chips = target_strips.update_regions_targets(True, "?metric=clue_referrals&lang=en")
        shown = {_props(c)["data-unit"]: _props(c)["data-status"] for c in chips.children}
        expected = with_targets and target_strips.statuses(dt.date(2025, 11, 30), metric="clue_referrals")
        assert len(shown) == 36 and shown == {r.unit_code: r.status for r in expected.itertuples()
                                               if r.unit_code != "CN"}
        assert list(shown.values()) == sorted(shown.values(), key=["behind", "at_risk", "on_track"].index)
        none = target_strips.update_regions_targets(True, "?metric=media_reports&lang=en")
        assert "No target" in none.children
        _, grid = target_strips.update_compare_targets(True, "?unit=440000&lang=en")
    cards = [c for c in _walk(grid) if getattr(c, "className", "") == "target-card"]
    assert [(_props(c)["data-metric"], _props(c)["data-status"]) for c in cards] == [("clue_referrals", "on_track")]
