"""The alert rules. Each turns the store's state into event drafts whose key names the event, so a
condition that persists is not raised again (a target stays "behind" all month: one event per month).

`register_rule(name, fn)` is the hook for rules added elsewhere (returns overdue or sent back).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from metrics.api import (ALL_METRICS, NATION_CODE, SYSTEM, AnomalyRequest, EventDraft, MetricsQuery, StatusRequest,
                         add_months, today_shanghai)

BRIEF_NEWS_DAYS = 7  # a brief published longer ago than this is not news on a first run


@dataclass(frozen=True, slots=True)
class AlertContext:
    engine: Engine
    now: dt.datetime  # aware
    expected_every: dict[str, dt.timedelta] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return today_shanghai(self.now)

    @property
    def query(self) -> MetricsQuery:
        """Rules see everything; who is told what is decided per subscriber (metrics.alert_store.in_scope)."""
        return MetricsQuery(self.engine, SYSTEM)


Rule = Callable[[AlertContext], list[EventDraft]]
RULES: dict[str, Rule] = {}


def register_rule(name: str, rule: Rule) -> None:
    RULES[name] = rule


def behind_target(ctx: AlertContext) -> list[EventDraft]:
    as_of = ctx.today - dt.timedelta(days=1)  # today's data are still arriving
    status = ctx.query.targets.status(as_of=as_of)
    out = []
    for r in status[status["status"] == "behind"].itertuples(index=False):
        unit = None if r.unit_code == NATION_CODE else r.unit_code
        out.append(EventDraft("behind_target",
                              f"behind_target:{r.metric}:{r.unit_code}:{r.period}:v{r.version}:{as_of:%Y-%m}", unit,
                              {"metric": r.metric, "unit": r.unit_code, "period": r.period, "target": r.target,
                               "actual": r.actual, "expected": round(r.expected), "as_of": as_of.isoformat()}))
    return out


def anomalous_month(ctx: AlertContext) -> list[EventDraft]:
    month = add_months(ctx.today.replace(day=1), -1)  # the last complete month
    found = ctx.query.quality.anomalies(AnomalyRequest(ALL_METRICS, (month,), month))
    return [EventDraft("anomalous_month", f"anomalous_month:{r.metric}:{r.unit_code}:{month:%Y-%m}", r.unit_code,
                       {"metric": r.metric, "unit": r.unit_code, "month": f"{month:%Y-%m}", "value": int(r.value),
                        "median": float(r.median), "z": float(r.z)})
            for r in found.itertuples(index=False)]


def _source_rows(ctx: AlertContext):
    return ctx.query.quality.source_status(StatusRequest.of(ctx.now, ctx.expected_every)).itertuples(index=False)


def source_stale(ctx: AlertContext) -> list[EventDraft]:
    out = []
    for r in _source_rows(ctx):
        if r.stale:
            since = r.last_success_at.isoformat() if r.last_success_at is not None else "never"
            out.append(EventDraft("source_stale", f"source_stale:{r.source}:{since}", None,
                                  {"source": r.source, "since": since}))
    return out


def source_failed(ctx: AlertContext) -> list[EventDraft]:
    return [EventDraft("source_failed", f"source_failed:{r.source}:{r.started_at.isoformat()}", None,
                       {"source": r.source, "at": r.started_at.isoformat(), "error": (r.error or "")[:300]})
            for r in _source_rows(ctx) if r.status == "failed"]


def brief_published(ctx: AlertContext) -> list[EventDraft]:
    since = ctx.now - dt.timedelta(days=BRIEF_NEWS_DAYS)
    out = []
    for v in ctx.query.briefings.versions():
        created = v["created_at"] if v["created_at"].tzinfo else v["created_at"].replace(tzinfo=dt.timezone.utc)
        if v["published"] and created >= since:
            out.append(EventDraft("brief_published", f"brief_published:{v['period']}:v{v['version']}", None,
                                  {"period": v["period"], "version": v["version"]}))
    return out


for _name, _rule in (("behind_target", behind_target), ("anomalous_month", anomalous_month),
                     ("source_stale", source_stale), ("source_failed", source_failed),
                     ("brief_published", brief_published)):
    register_rule(_name, _rule)
