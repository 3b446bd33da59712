"""A small, deterministic demo store for dashboard tests: every metric, HQ, 36 bureaus, a few sub-bureaus.

Monthly national levels are set near the published figures so the overview looks like the real thing;
the facts frame is returned so tests can compute expectations without the query API.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from metrics.api import CATALOG, CATEGORIES, HQ_CODE, bureaus, children
from metrics.models import Annotation, EtlRun
from metrics.store import replace_facts

DATA_START = dt.date(2023, 6, 1)
DATA_END = dt.date(2025, 11, 30)
# Asia/Shanghai noon on the last data day: 'campaign to date' is exactly the published window.
CLOCK_NOW = dt.datetime(2025, 11, 30, 4, 0, tzinfo=dt.timezone.utc)
DRILL_BUREAUS = ("440000", "510000")
MONTHLY_NATIONAL = {
    "clues_identified": 400, "clue_referrals": 160, "clue_referral_amount": 760_000_000,
    "referrals_accepted": 140, "cases_filed": 100, "institution_reports": 62,
    "institution_report_amount": 620_000_000, "major_cases": 0.3, "special_inspections": 30,
    "risk_warnings": 40, "ads_removed": 500, "education_events": 62, "education_participants": 200_000,
    "media_reports": 11, "regulatory_documents": 6,
}
CATEGORISED = {"clues_identified", "clue_referrals", "clue_referral_amount", "referrals_accepted", "cases_filed",
               "institution_reports", "institution_report_amount", "major_cases"}
HQ_SHARE = {"regulatory_documents": 0.3, "risk_warnings": 0.1}
SOURCES = ("regulator_clues", "activity_sheets")


def _months() -> list[dt.date]:
    return list(pd.date_range(DATA_START, DATA_END, freq="MS").date)


def build_facts(seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = sorted(bureaus(), key=lambda u: u.code)
    population = np.array([u.population_10k for u in units], dtype=float)
    weight = population / population.sum() * rng.uniform(0.6, 1.4, len(units))
    weight /= weight.sum()
    categories = [c for c in CATEGORIES]
    rows = []
    for i, month in enumerate(_months()):
        growth = 1 + 0.015 * i
        for metric in CATALOG:
            level = MONTHLY_NATIONAL[metric.id] * growth / 1.2
            hq = HQ_SHARE.get(metric.id, 0.0)
            targets = [(HQ_CODE, level * hq)] + [(u.code, level * (1 - hq) * w) for u, w in zip(units, weight)]
            for code, mean in targets:
                value = int(rng.poisson(mean)) if metric.unit != "yuan" else int(mean * rng.lognormal(0, 0.5))
                if value <= 0:
                    continue
                unit_code = code
                if code in DRILL_BUREAUS:  # let the drill-down have something to show
                    kids = [c.code for c in children(code)][:5]
                    unit_code = kids[i % len(kids)] if i % 3 else code
                day = month.replace(day=5 + i % 20)
                category = categories[(i + len(code) + len(metric.id)) % len(categories)] if metric.id in CATEGORISED else ""
                rows.append((metric.id, unit_code, day, category, value, metric.source_system))
    frame = pd.DataFrame(rows, columns=["metric_id", "unit_code", "day", "category", "value", "source"])
    return frame.groupby(["metric_id", "unit_code", "day", "category", "source"], as_index=False)["value"].sum()


def seed_store(engine, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    facts = build_facts() if facts is None else facts
    with Session(engine) as session, session.begin():
        for source, part in facts.groupby("source"):
            replace_facts(session, source=source, day_from=DATA_START, day_to=DATA_END,
                          facts=part.drop(columns="source"), run_id=None)
        session.add_all([
            Annotation(day=DATA_START, kind="milestone", label_zh="专项行动启动", label_en="Campaign starts"),
            Annotation(day=dt.date(2024, 3, 15), kind="special_action", label_zh="3·15集中宣传",
                       label_en="15 March consumer campaign"),
            Annotation(day=dt.date(2025, 6, 1), kind="milestone", label_zh="行动两周年", label_en="Second anniversary"),
        ])
        fresh, old = CLOCK_NOW - dt.timedelta(hours=3), CLOCK_NOW - dt.timedelta(days=9)
        session.add_all([
            EtlRun(source=SOURCES[0], status="success", started_at=fresh, finished_at=fresh, rows_loaded=10),
            EtlRun(source=SOURCES[1], status="success", started_at=old, finished_at=old, rows_loaded=10),
            EtlRun(source=SOURCES[1], status="failed", started_at=fresh, finished_at=fresh, error="sheet missing"),
        ])
    return facts


EXPECTED_EVERY = {SOURCES[0]: dt.timedelta(hours=6), SOURCES[1]: dt.timedelta(days=1)}
