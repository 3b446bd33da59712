"""The audit trail, paged: filtered by event type, user and Beijing calendar days, sorted and paged in SQL.

Administrators only (metrics.accounts checks the principal); the filters run in the same statement as the
paging, so the grid in the browser never holds more than the page it shows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from metrics.models import AuditEvent
from metrics.paging import Page, PageRequest, fetch_page
from metrics.windows import TZ

PAGE_COLUMNS = ("id", "at", "actor", "action", "detail", "remote_addr")
_TEXT_COLUMNS = frozenset({"actor", "action", "detail", "remote_addr"})


@dataclass(frozen=True, slots=True)
class AuditRequest:
    actions: tuple[str, ...] = ()  # any of these event types; empty: all
    actor: str | None = None  # exactly this user
    since: dt.date | None = None  # Beijing calendar days, both ends included
    until: dt.date | None = None

    def __post_init__(self):
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"audit range starts {self.since} after it ends {self.until}")


def _day_start(day: dt.date) -> dt.datetime:
    """The instant a Beijing calendar day begins."""
    return dt.datetime.combine(day, dt.time(), tzinfo=TZ)


def _filtered(base, req: AuditRequest):
    if req.actions:
        base = base.where(AuditEvent.action.in_(req.actions))
    if req.actor:
        base = base.where(AuditEvent.actor == req.actor)
    if req.since:
        base = base.where(AuditEvent.at >= _day_start(req.since))
    if req.until:
        base = base.where(AuditEvent.at < _day_start(req.until + dt.timedelta(days=1)))
    return base


def audit_page(engine: Engine, req: AuditRequest, page: PageRequest) -> Page:
    """One page of the events matching `req` and the page's own column filters, newest first by default."""
    columns = {c: getattr(AuditEvent, c) for c in PAGE_COLUMNS}
    base = _filtered(select(*columns.values()), req)
    return fetch_page(engine, base, columns, page, tie_break=AuditEvent.id.desc(), text=_TEXT_COLUMNS)


def audit_facets(engine: Engine) -> tuple[list[str], list[str]]:
    """The event types and the users the trail holds, for the filter menus."""
    with engine.connect() as conn:
        actions = conn.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars().all()
        actors = conn.execute(select(AuditEvent.actor).where(AuditEvent.actor.is_not(None)).distinct()
                              .order_by(AuditEvent.actor)).scalars().all()
    return list(actions), list(actors)
