"""Briefing snapshots: frozen payloads, versions per period, revision notes naming the late loads."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

from metrics.api import SYSTEM, BriefingPeriod, MetricsQuery, TotalsRequest, Window
from metrics.models import BriefingSnapshot, utcnow
from metrics.snapshots import BriefingStore, sha256_of
from tests.briefing.seed import COLUMNS, D, load, seed, seed_rows

AS_OF = D(2025, 11, 30)


def _raw_rows(engine) -> list[tuple]:
    t = BriefingSnapshot.__table__
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(t).order_by(t.c.id))]


def test_periods_and_windows():
    p = BriefingPeriod.for_as_of(AS_OF)
    w = p.windows()
    assert p.label == "2025-11-30" and w["quarter"] == Window(D(2025, 10, 1), AS_OF)
    assert w["previous_quarter"] == Window(D(2025, 7, 1), D(2025, 8, 31))
    assert w["year_ago"] == Window(D(2024, 10, 1), D(2024, 11, 30))
    assert w["campaign"] == Window(D(2023, 6, 1), AS_OF)
    q = BriefingPeriod.parse("2025q4")
    assert q.label == "2025Q4" and q.as_of == D(2025, 12, 31)
    assert q.windows()["previous_quarter"] == Window.quarter("2025Q3")
    assert BriefingPeriod.last_completed_quarter(D(2026, 1, 10)).label == "2025Q4"
    assert BriefingPeriod.last_completed_quarter(D(2025, 3, 31)).label == "2024Q4"


def test_publish_freeze_and_revise(store_engine):
    seed(store_engine)
    store = BriefingStore(store_engine)
    period = BriefingPeriod.for_as_of(AS_OF)

    first = store.publish(period, now=utcnow())
    assert first.created and first.briefing.version == 1 and first.briefing.revision_note is None
    content = first.briefing.content
    # Campaign-to-date figures are exactly what the query API (and so `summary`) returns.
    totals = MetricsQuery(store_engine, SYSTEM).totals(TotalsRequest(Window(D(2023, 6, 1), AS_OF))).frame
    assert content["figures"]["campaign"]["national"] == dict(zip(totals["metric"], totals["value"].astype(int)))
    assert content["figures"]["quarter"]["units"]["440000"]["clue_referrals"] == 30
    assert content["catalog"]["fingerprint"] == first.briefing.definitions_fingerprint
    # Coverage: the activity sheets came from six bureaus; 30 others are named as missing.
    assert len(content["coverage"]["activity_sheets"]["bureaus_missing"]) == 30
    assert content["coverage"]["documents"]["hq_reported"]
    frozen_rows = _raw_rows(store_engine)
    assert store.verify(first.briefing) and first.briefing.content_hash == sha256_of(first.briefing.payload)

    again = store.publish(period, now=utcnow())
    assert not again.created and again.briefing.id == first.briefing.id

    # A late correction of an earlier day of the quarter, loaded by a new run.
    day = pd.DataFrame(seed_rows(), columns=COLUMNS)
    fix = day[(day["day"] == D(2025, 10, 15)) & day["metric_id"].isin(["clue_referrals", "clue_referral_amount",
                                                                      "clues_identified"])].copy()
    fix.loc[(fix["metric_id"] == "clue_referrals") & (fix["unit_code"] == "440000"), "value"] = 36
    run_id = load(store_engine, "regulator_clues", fix, D(2025, 10, 15), D(2025, 10, 15), run=True)

    second = store.publish(period, now=utcnow())
    assert second.created and second.briefing.version == 2
    assert _raw_rows(store_engine)[:1] == frozen_rows  # version 1's row, payload and hash untouched
    assert store.verify(store.get(first.briefing.id))
    assert store.get(first.briefing.id).content["figures"]["quarter"]["units"]["440000"]["clue_referrals"] == 30

    note = second.briefing.revision_note
    assert note["previous"]["version"] == 1 and note["previous"]["content_hash"] == first.briefing.content_hash
    changed = {(c["window"], c["scope"], c["metric"]): (c["old"], c["new"], c["delta"]) for c in note["changes"]}
    assert changed[("quarter", "440000", "clue_referrals")] == (30, 36, 6)
    assert changed[("campaign", "CN", "clue_referrals")][2] == 6
    assert {k[2] for k in changed} == {"clue_referrals"}
    assert [load["run_id"] for load in note["late_loads"]] == [run_id]
    blamed = note["late_loads"][0]
    assert "440000" in blamed["bureaus"] and blamed["metrics"] == ["clue_referrals"] and blamed["evidence"] == "facts"
    assert (blamed["first_day"], blamed["last_day"]) == ("2025-10-15", "2025-10-15")
    assert [v["version"] for v in store.versions(period.label)] == [2, 1]


def test_force_records_no_change(store_engine):
    seed(store_engine)
    store = BriefingStore(store_engine)
    period = BriefingPeriod.for_quarter("2025Q3")
    store.publish(period, now=utcnow())
    forced = store.publish(period, now=utcnow(), force=True)
    assert forced.created and forced.briefing.version == 2
    assert forced.briefing.revision_note["no_change"] and forced.briefing.revision_note["changes"] == []


@pytest.mark.parametrize("value, unit, zh, en", [
    (4563, "count", "超过4500条", "over 4,500"),
    (21_300_000_000, "yuan", "逾210亿元", "over 21 billion yuan"),
    (1712, "count", "超过1700条", "over 1,700"),
    (163, "count", "超过160条", "over 160"),
    (4500, "count", "4500条", "4,500"),
    (47, "count", "47条", "47"),
    (1_234_567, "people", "超过120万条", "over 1.2 million"),
    (930_500_000, "yuan", "逾9.3亿元", "over 930 million yuan"),
])
def test_official_figures(value, unit, zh, en):
    from briefing.narrative import official_figure

    assert official_figure(value, unit, "zh", "条") == zh
    assert official_figure(value, unit, "en") == en
