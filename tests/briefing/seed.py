"""Small seeded stores for briefing tests: a few bureaus, a few metrics, two years of quarters."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.orm import Session

from metrics.models import EtlRun, utcnow
from metrics.store import replace_facts

D = dt.date
COLUMNS = ["metric_id", "unit_code", "day", "category", "value"]


def seed_rows() -> list[tuple]:
    rows = []
    bureaus = ["440000", "440300", "330000", "110000", "210200", "540000"]
    days = [D(2023, 6, 15)] + [D(y, m, 15) for y in (2023, 2024, 2025) for m in (1, 4, 7, 10) if (y, m) > (2023, 4)]
    for q, day in enumerate(days):  # one day per quarter, 2023-06-15 .. 2025-10-15 (q = 10)
        for i, code in enumerate(bureaus):
            rows.append(("clue_referrals", code, day, "other", 20 + 3 * i + q))
            rows.append(("clue_referral_amount", code, day, "other", (200 + 7 * i + q) * 10_000_000))
            rows.append(("education_events", code, day, "", 30 + i + 2 * q))
            rows.append(("risk_warnings", code, day, "", 25 + i))
            rows.append(("clues_identified", code, day, "other", 40 + 5 * i + q))
        rows.append(("regulatory_documents", "000000", day, "", 3))
    return rows


def load(engine, source: str, frame: pd.DataFrame, day_from: dt.date, day_to: dt.date, *,
         run: bool = False) -> int | None:
    """Restate a source's facts; with run=True inside a recorded, successful EtlRun (whose id is returned)."""
    with Session(engine) as s, s.begin():
        run_id = None
        if run:
            etl_run = EtlRun(source=source, trigger="manual", status="running", window_from=day_from,
                             window_to=day_to)
            s.add(etl_run)
            s.flush()
            run_id = etl_run.id
        replace_facts(s, source=source, day_from=day_from, day_to=day_to, facts=frame, run_id=run_id)
        if run:
            etl_run.status, etl_run.finished_at, etl_run.rows_loaded = "success", utcnow(), len(frame)
    return run_id


def seed(engine) -> None:
    frame = pd.DataFrame(seed_rows(), columns=COLUMNS)
    for source, metrics in (("regulator_clues", ["clue_referrals", "clue_referral_amount", "clues_identified"]),
                            ("activity_sheets", ["education_events"]), ("publications", ["risk_warnings"]),
                            ("documents", ["regulatory_documents"])):
        load(engine, source, frame[frame["metric_id"].isin(metrics)], D(2023, 6, 1), D(2025, 11, 30), run=True)
