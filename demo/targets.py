"""Demo targets for 2025 and 2026, so a newcomer's first start shows statuses: each year's target is the
year before's actual with some growth asked for (10 % nationally, 5-21 % for a bureau, fixed per bureau)."""
from __future__ import annotations

import datetime as dt
import zlib

from sqlalchemy import Engine

from metrics.api import (SYSTEM, BreakdownRequest, MetricsQuery, Principal, TargetKey, TotalsRequest, Window)

DEMO_METRICS = ("clue_referrals", "clue_referral_amount", "institution_reports", "risk_warnings",
                "education_events")
YEARS = (2025, 2026)
NATIONAL_GROWTH = 1.10


def bureau_growth(code: str) -> float:
    return 1.05 + 0.04 * (zlib.crc32(code.encode()) % 5)


def demo_target_rows(engine: Engine, today: dt.date) -> list:
    query = MetricsQuery(engine, SYSTEM)
    rows = []
    for year in YEARS:
        if year > today.year:
            continue
        base = Window(dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        nation = query.totals(TotalsRequest(base, DEMO_METRICS)).frame
        for metric, value in zip(nation["metric"], nation["value"]):
            if value > 0:
                rows.append((TargetKey(metric, "CN", start, end), round(int(value) * NATIONAL_GROWTH), None))
        frame = query.breakdown(BreakdownRequest(base, DEMO_METRICS)).frame
        for code, metric, value in zip(frame["unit_code"], frame["metric"], frame["value"]):
            if value > 0:
                rows.append((TargetKey(metric, code, start, end), max(1, round(int(value) * bureau_growth(code))),
                             None))
    return rows


def ensure_demo_targets(engine: Engine, today: dt.date) -> int:
    """Seed the demo targets once (when the store has none); returns how many were set."""
    query = MetricsQuery(engine, Principal("demo", "system"))
    if not query.targets.current().empty:
        return 0
    rows = demo_target_rows(engine, today)
    return query.targets.set(rows, origin="demo") if rows else 0
