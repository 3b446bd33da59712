"""The load guard: a run that would quarantine most of what it read, or wipe out most of the facts it
replaces, is refused before commit (a wrong date format in a block must not replace good data with nothing).

Judged inside the load transaction, so a refusal rolls everything back and the old facts stay.
`etl run --source NAME --accept` loads such a run on purpose.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from etl.config import SourceSpec
from etl.packed import PackedFacts
from metrics.models import DailyFact


class RefusedLoad(Exception):
    """The run tripped the source's guard; the message says why and how to accept it."""


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}"


def _common_reason(quarantine: Iterable[dict]) -> str:
    reasons = Counter(str(q.get("reason", "")).split("; ")[0] for q in quarantine)
    if not reasons:
        return ""
    reason, _ = reasons.most_common(1)[0]
    return f"; most often: {reason}"


def _old_totals(session: Session, source: str, ranges) -> dict[str, tuple[int, int]]:
    """metric -> (sum of values, number of facts) the source has over the days a run is about to restate."""
    totals: dict[str, tuple[int, int]] = {}
    for lo, hi in ranges:
        rows = session.execute(select(DailyFact.metric_id, func.sum(DailyFact.value), func.count())
                               .where(DailyFact.source == source, DailyFact.day.between(lo, hi))
                               .group_by(DailyFact.metric_id))
        for metric_id, value, count in rows:
            old_value, old_count = totals.get(metric_id, (0, 0))
            totals[metric_id] = (old_value + int(value or 0), old_count + int(count))
    return totals


def check(session: Session, spec: SourceSpec, ranges, *, rows_read: int, rows_quarantined: int,
          new_facts: PackedFacts, quarantine: Iterable[dict]) -> None:
    """Raise RefusedLoad when the run passes the source's guard thresholds (judged per metric for drops)."""
    guard = spec.guard
    accept = f"if this is right, load it with: etl run --source {spec.name} --accept"
    if rows_read >= guard.min_rows and rows_quarantined / rows_read > guard.max_quarantine_share:
        raise RefusedLoad(
            f"refused: {rows_quarantined} of {rows_read} rows quarantined ({_share(rows_quarantined, rows_read)} >"
            f" guard.max_quarantine_share {guard.max_quarantine_share:.0%}){_common_reason(quarantine)}; {accept}")
    for metric_id, (old_value, old_count) in sorted(_old_totals(session, spec.name, ranges).items()):
        new_value = sum(int(new_facts.within(lo, hi).per_metric.get(metric_id, ((), np.zeros(0)))[1].sum())
                        for lo, hi in ranges)
        drop = old_value - new_value
        if old_count >= guard.min_rows and drop > 0 and drop / old_value > guard.max_drop_share:
            raise RefusedLoad(
                f"refused: {metric_id} over the restated days would fall from {old_value} to {new_value}"
                f" ({_share(drop, old_value)} drop > guard.max_drop_share {guard.max_drop_share:.0%}); {accept}")
