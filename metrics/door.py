"""The one door into the store for a long-lived process (the web app): queries for a principal, and accounts.

app.py builds it from the engine(s); the dashboard holds only this object and never an engine.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from metrics.access import Principal
from metrics.accounts import Accounts
from metrics.query import MetricsQuery


class MetricsStore:
    """`reads` is the engine queries run on (a replica, say; default the primary); `queries` builds the query
    object (production passes a shared-cache one, metrics.cache). Accounts always stay on the primary."""

    def __init__(self, engine: Engine, *, reads: Engine | None = None,
                 queries: Callable[..., MetricsQuery] = MetricsQuery):
        self._primary = engine
        self._reads = reads if reads is not None else engine
        self._queries = queries
        self.accounts = Accounts(engine)

    def query(self, principal: Principal) -> MetricsQuery:
        return self._queries(self._reads, principal, primary=self._primary)
