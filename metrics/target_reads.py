"""Targets, their status, the scorecard (`query.targets`) and alerts (`query.alerts`) for one principal.

The implementation modules (targets, target_status, scorecard, alert_store) stay engine-level; these
objects are how the API hands them out. Writes go to the primary.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics import alert_store, scorecard, target_status, targets
from metrics.access import Principal


class TargetReads:
    def __init__(self, engine, principal: Principal, *, primary=None):
        self._engine = engine
        self._primary = primary if primary is not None else engine
        self.principal = principal

    def current(self, *, on: dt.date | None = None, metric: str | None = None,
                unit: str | None = None) -> pd.DataFrame:
        return targets.current_targets(self._primary, self.principal, on=on, metric=metric, unit=unit)

    def history(self, key: targets.TargetKey) -> pd.DataFrame:
        return targets.target_history(self._primary, self.principal, key)

    def status(self, *, as_of: dt.date, metric: str | None = None, unit: str | None = None) -> pd.DataFrame:
        return target_status.target_status(self._engine, self.principal, as_of=as_of, metric=metric, unit=unit)

    def scorecard(self, *, as_of: dt.date) -> scorecard.Scorecard:
        return scorecard.scorecard(self._engine, self.principal, as_of=as_of)

    def set(self, rows: list, *, origin: str = "admin", now: dt.datetime | None = None) -> int:
        """New versions of the given targets (administrators only); returns how many were added."""
        return targets.set_targets(self._primary, self.principal, rows, origin=origin, now=now)


class AlertReads:
    """A user's notices; and, for the system or an administrator, the alert store itself."""

    def __init__(self, engine, principal: Principal):
        self._engine = engine  # always the primary: notices are written where they are read
        self.principal = principal

    def notices(self, limit: int = 200) -> pd.DataFrame:
        return alert_store.notices(self._engine, self.principal, limit=limit)

    def mark_read(self) -> int:
        return alert_store.mark_read(self._engine, self.principal)

    def subscriptions(self) -> pd.DataFrame:
        return alert_store.subscriptions(self._engine, self.principal)

    def subscribe(self, user: str, rules: list[str], *, email: str | None, lang: str,
                  known_rules: tuple[str, ...]) -> int:
        if user != self.principal.name:
            self.principal.require_admin()
        return alert_store.subscribe(self._engine, user, rules, email=email, lang=lang, known_rules=known_rules)

    def record_events(self, drafts: list, *, now: dt.datetime) -> list[int]:
        self.principal.require_admin()
        return alert_store.record_events(self._engine, drafts, now=now)

    def pending_digests(self) -> list[alert_store.Digest]:
        self.principal.require_admin()
        return alert_store.pending_digests(self._engine)

    def mark_emailed(self, user_id: int, event_ids: list[int], *, now: dt.datetime) -> None:
        self.principal.require_admin()
        alert_store.mark_emailed(self._engine, user_id, event_ids, now=now)
