"""The one place callbacks get data from.

`get_query()` returns the MetricsQuery for the current request. Today every request reads as the system
principal; access control will key it by the signed-in user here, and nowhere else.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import flask
import pandas as pd

from metrics.api import MetricsQuery, source_status, today_shanghai

_EXTENSION = "imd_dashboard"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class DashboardContext:
    engine: object  # a SQLAlchemy Engine, handed through to the query API untouched
    clock: Callable[[], dt.datetime] = utc_now
    expected_every: dict[str, dt.timedelta] = field(default_factory=dict)
    settings: object | None = None
    # Builds the query object from the engine; production passes a shared-cache one (metrics.cache).
    query_factory: Callable[[object], MetricsQuery] | None = None

    def today(self) -> dt.date:
        return today_shanghai(self.clock())


def install(server: flask.Flask, context: DashboardContext) -> None:
    server.extensions[_EXTENSION] = context


def get_context() -> DashboardContext:
    return flask.current_app.extensions[_EXTENSION]


def get_query() -> MetricsQuery:
    """The request's query object: the single entry point to metrics data for every callback."""
    ctx = get_context()
    return ctx.query_factory(ctx.engine) if ctx.query_factory else MetricsQuery(ctx.engine)


def as_of() -> dt.date:
    """'Today' for the date presets (injected clock, Asia/Shanghai)."""
    return get_context().today()


def freshness() -> pd.DataFrame:
    ctx = get_context()
    return source_status(ctx.engine, now=ctx.clock(), expected_every=ctx.expected_every)
