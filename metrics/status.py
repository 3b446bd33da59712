"""ETL run history as the dashboard and CLI see it: last run, last success, freshness."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select

from metrics.models import EtlRun
from metrics.onboarding_models import FileFinding

if TYPE_CHECKING:
    import pandas as pd

STATUS_COLUMNS = ["source", "status", "started_at", "finished_at", "rows_read", "rows_loaded",
                  "rows_quarantined", "error", "last_success_at", "age_hours", "stale"]


def source_status(engine: Engine, *, now: dt.datetime, expected_every: dict[str, dt.timedelta] | None = None,
                  grace: float = 2.0) -> pd.DataFrame:
    """source_status_rows as a frame (STATUS_COLUMNS)."""
    import pandas as pd

    return pd.DataFrame(source_status_rows(engine, now=now, expected_every=expected_every, grace=grace),
                        columns=STATUS_COLUMNS)


def source_status_rows(engine: Engine, *, now: dt.datetime, expected_every: dict[str, dt.timedelta] | None = None,
                       grace: float = 2.0) -> list[dict]:
    """One row per source, a dict of STATUS_COLUMNS: its latest run and its last success. Without pandas, so
    that `etl status` answers at once.

    A source is stale when its last success is older than `grace` times its expected interval
    (or when it never succeeded). Sources named in `expected_every` appear even if they never ran.
    """
    expected_every = expected_every or {}
    latest_ids = select(func.max(EtlRun.id)).group_by(EtlRun.source)
    last_ok = (select(EtlRun.source, func.max(EtlRun.finished_at).label("last_success_at"))
               .where(EtlRun.status == "success").group_by(EtlRun.source))
    with engine.connect() as conn:
        latest = conn.execute(select(EtlRun).where(EtlRun.id.in_(latest_ids))).mappings().all()
        ok = {r.source: r.last_success_at for r in conn.execute(last_ok)}
    rows = {r["source"]: dict(r) for r in latest}
    for source in expected_every:
        rows.setdefault(source, {"source": source, "status": "never_run"})
    out = []
    for source, r in sorted(rows.items()):
        success = ok.get(source)
        if success is not None and success.tzinfo is None:
            success = success.replace(tzinfo=dt.timezone.utc)
        age = (now - success).total_seconds() / 3600 if success else None
        every = expected_every.get(source)
        stale = success is None or (every is not None and age is not None and age > grace * every.total_seconds() / 3600)
        out.append({**{c: r.get(c) for c in STATUS_COLUMNS}, "last_success_at": success, "age_hours": age,
                    "stale": bool(stale)})
    return out


def file_finding_counts(engine: Engine) -> dict[str, int]:
    """Current data-quality findings on files (metrics.findings), counted per source."""
    query = select(FileFinding.source, func.count()).group_by(FileFinding.source).order_by(FileFinding.source)
    with engine.connect() as conn:
        return dict(conn.execute(query).all())
