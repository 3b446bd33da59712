"""What changed between two versions of a brief, and which late loads changed it.

A figure is (window kind, scope, metric) where scope is "CN" (the nation) or a unit code. A load is "late"
for a version when it finished after that version was created; it is blamed for a change when its facts
touch the changed metric (and bureau, for a bureau figure) inside the changed window. A restatement that
only deleted rows leaves no fact behind, so runs of the metric's sources whose restated window overlaps
are listed too.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, or_, select

from metrics.models import NATION, DailyFact, EtlRun
from metrics.snapshots.content import WINDOW_KINDS


def _flatten(content: dict) -> dict[tuple[str, str, str], int]:
    flat = {}
    for kind in WINDOW_KINDS:
        figures = content["figures"][kind]
        for metric, value in figures["national"].items():
            flat[(kind, NATION, metric)] = value
        for unit, values in figures["units"].items():
            for metric, value in values.items():
                flat[(kind, unit, metric)] = value
    return flat


def figure_changes(old: dict, new: dict) -> list[dict]:
    """Every figure whose value differs, nation first, then units by code."""
    a, b = _flatten(old), _flatten(new)
    order = {k: i for i, k in enumerate(WINDOW_KINDS)}
    keys = sorted(set(a) | set(b), key=lambda k: (k[2], order[k[0]], k[1] != NATION, k[1]))
    return [{"window": k[0], "scope": k[1], "metric": k[2], "old": a.get(k, 0), "new": b.get(k, 0),
             "delta": b.get(k, 0) - a.get(k, 0)} for k in keys if a.get(k, 0) != b.get(k, 0)]


def series_points_changed(old: dict, new: dict) -> int:
    changed = 0
    for grain in ("quarter", "month"):
        before, after = old["series"][grain]["values"], new["series"][grain]["values"]
        for metric in set(before) | set(after):
            x, y = before.get(metric, []), after.get(metric, [])
            changed += sum(1 for i in range(max(len(x), len(y)))
                           if (x[i] if i < len(x) else 0) != (y[i] if i < len(y) else 0))
    return changed


def other_changes(old: dict, new: dict) -> list[str]:
    """Parts other than figures that differ (coverage, definitions, reference data)."""
    return [key for key in ("coverage", "catalog", "units", "windows") if old.get(key) != new.get(key)]


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def late_loads(engine: Engine, *, since: dt.datetime, changes: list[dict], windows: dict) -> list[dict]:
    """The ETL runs that finished after `since` and touched a changed figure, with what they touched."""
    if not changes:
        return []
    metrics = sorted({c["metric"] for c in changes})
    lo = min(_day(windows[c["window"]][0]) for c in changes)
    hi = max(_day(windows[c["window"]][1]) for c in changes)
    with engine.connect() as conn:
        touched = conn.execute(
            select(DailyFact.run_id, DailyFact.source, DailyFact.metric_id, DailyFact.bureau_code,
                   func.min(DailyFact.day), func.max(DailyFact.day), func.count())
            .where(DailyFact.metric_id.in_(metrics), DailyFact.loaded_at > since,
                   DailyFact.day.between(lo, hi))
            .group_by(DailyFact.run_id, DailyFact.source, DailyFact.metric_id, DailyFact.bureau_code)).all()
        sources = set(conn.scalars(select(DailyFact.source).where(DailyFact.metric_id.in_(metrics)).distinct()))
        run_ids = {r[0] for r in touched if r[0] is not None}
        runs = conn.execute(select(EtlRun).where(or_(
            EtlRun.id.in_(run_ids),
            (EtlRun.finished_at > since) & EtlRun.source.in_(sources)
            & (EtlRun.window_from <= hi) & (EtlRun.window_to >= lo)))).mappings().all()
    blamed: dict[int | None, dict] = {}
    for run_id, source, metric, bureau, first, last, rows in touched:
        if not any(_touches(c, metric, bureau, first, last, windows) for c in changes):
            continue
        entry = blamed.setdefault(run_id, {"run_id": run_id, "source": source, "rows": 0, "metrics": set(),
                                           "bureaus": set(), "first_day": first, "last_day": last,
                                           "evidence": "facts"})
        entry["rows"] += rows
        entry["metrics"].add(metric)
        entry["bureaus"].add(bureau)
        entry["first_day"], entry["last_day"] = min(entry["first_day"], first), max(entry["last_day"], last)
    by_id = {r["id"]: r for r in runs}
    for run in runs:  # restatements that may have only deleted rows
        if run["id"] not in blamed and run["finished_at"] and run["finished_at"] > since:
            blamed[run["id"]] = {"run_id": run["id"], "source": run["source"], "rows": 0, "metrics": set(),
                                 "bureaus": set(), "first_day": run["window_from"], "last_day": run["window_to"],
                                 "evidence": "window"}
    out = []
    for run_id, entry in sorted(blamed.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        run = by_id.get(run_id)
        out.append({
            "run_id": run_id, "source": entry["source"], "rows": entry["rows"],
            "metrics": sorted(entry["metrics"]), "bureaus": sorted(entry["bureaus"]),
            "first_day": _iso(entry["first_day"]), "last_day": _iso(entry["last_day"]),
            "evidence": entry["evidence"],  # facts: its rows are in the figure; window: it restated the days
            "status": run["status"] if run else None, "trigger": run["trigger"] if run else None,
            "finished_at": run["finished_at"].isoformat() if run and run["finished_at"] else None,
        })
    return out


def _touches(change: dict, metric: str, bureau: str, first: dt.date, last: dt.date, windows: dict) -> bool:
    start, end = (_day(d) for d in windows[change["window"]])
    return (change["metric"] == metric and first <= end and last >= start
            and change["scope"] in (NATION, bureau))


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None
