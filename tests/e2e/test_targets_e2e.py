"""Targets and the scorecard in a real browser: status badges on the overview, the Scorecard page with a
bureau's "why this score", checked against the metrics API."""
from __future__ import annotations

import datetime as dt

import pytest

from metrics.api import MetricsQuery, Principal, TargetKey, bureaus

pytestmark = pytest.mark.e2e
Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
AS_OF = dt.date(2025, 11, 30)  # the seeded clock's day


@pytest.fixture(scope="module")
def targets(e2e_store):
    """National and bureau targets for 2025: Guangdong's set out of reach, the others within it."""
    rows = [(TargetKey("clue_referrals", "CN", *Y2025), 1900, None),
            (TargetKey("education_events", "CN", *Y2025), 900, None),  # a little short: at risk
            (TargetKey("risk_warnings", "CN", *Y2025), 700, None)]  # well short with a month to go: behind
    rows += [(TargetKey("clue_referrals", b.code, *Y2025), 900 if b.code == "440000" else 40, None)
             for b in bureaus()]
    MetricsQuery(e2e_store, Principal("hq", "admin")).targets.set(rows)
    return e2e_store


def test_overview_shows_target_badges(page_as, live_server, targets, screenshot):
    page = page_as("lead")
    page.goto(live_server + "/?lang=en")
    page.wait_for_selector("#overview-targets .target-card")
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('#overview-targets .target-card'))
        .map(c => [c.dataset.metric, c.dataset.status, c.querySelector('.badge').innerText])""")
    expected = MetricsQuery(targets, Principal("lead", "leadership")).targets.status(as_of=AS_OF)
    national = expected[expected["unit_code"] == "CN"].set_index("metric")["status"].to_dict()
    assert {m: s for m, s, _ in shown} == national
    labels = {"on_track": "On track", "at_risk": "At risk", "behind": "Behind"}
    assert all(text == labels[status] for _, status, text in shown)
    assert set(national.values()) == {"on_track", "at_risk", "behind"}
    screenshot(page, "overview-targets.png")
    # a bureau user on its own bureau: Guangdong's out-of-reach target is behind
    gd = page_as("gd")
    gd.goto(live_server + "/?unit=440000&lang=en")
    gd.wait_for_selector("#overview-targets .target-card")
    assert gd.locator("#overview-targets .target-card[data-metric=clue_referrals]").get_attribute(
        "data-status") == "behind"


def test_scorecard_page_and_why_this_score(page_as, live_server, targets, screenshot):
    page = page_as("gd")
    page.goto(live_server + "/scorecard?lang=en")
    page.wait_for_selector("#scorecard-why-text .why-summary")
    card = MetricsQuery(targets, Principal("gd", "bureau", "440000")).targets.scorecard(as_of=AS_OF)
    gd = card.bureaus.set_index("unit_code").loc["440000"]
    assert page.inner_text("#scorecard-why-title") == "Why this score: Guangdong"
    summary = page.inner_text("#scorecard-why-text .why-summary")
    assert f"score {gd['score']:.1f}" in summary
    bars = page.locator("#scorecard-chart g.trace.bars").count()
    assert bars == len(card.config.indicators)
    rows = page.locator("#scorecard-why-table tbody tr").count()
    assert rows == len(card.config.indicators)
    screenshot(page, "scorecard.png")
