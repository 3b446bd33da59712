"""The one place callbacks get data from.

`get_query()` returns the MetricsQuery for the current request, keyed by the signed-in user's Principal
(dashboard/web/auth.py puts it on the request); the query layer checks every request against it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import flask
import flask_login
import pandas as pd

from metrics.api import (AccessDenied, AuditRequest, MetricsQuery, MetricsStore, Page, PageRequest, Principal,
                         StatusRequest, today_shanghai)

_EXTENSION = "imd_dashboard"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class DashboardContext:
    store: MetricsStore  # the one door into the store: queries per principal, and the accounts
    clock: Callable[[], dt.datetime] = utc_now
    expected_every: dict[str, dt.timedelta] = field(default_factory=dict)
    settings: object | None = None

    def today(self) -> dt.date:
        return today_shanghai(self.clock())


def install(server: flask.Flask, context: DashboardContext) -> None:
    server.extensions[_EXTENSION] = context


def get_context() -> DashboardContext:
    return flask.current_app.extensions[_EXTENSION]


def current_principal() -> Principal:
    """Who the request acts for: the session's user or the API token's. No one signed in: AccessDenied."""
    user = flask_login.current_user
    principal = getattr(user, "principal", None) if user and user.is_authenticated else None
    if principal is None:
        raise AccessDenied("sign-in required")
    return principal


def get_query() -> MetricsQuery:
    """The request's query object: the single entry point to metrics data for every callback."""
    return get_context().store.query(current_principal())


def as_of() -> dt.date:
    """'Today' for the date presets (injected clock, Asia/Shanghai)."""
    return get_context().today()


def freshness() -> pd.DataFrame:
    ctx = get_context()
    return get_query().quality.source_status(StatusRequest.of(ctx.clock(), ctx.expected_every))


def admin_users() -> list:
    """Sign-in users, for administrators only (checked here, below the page)."""
    return get_context().store.accounts.users(current_principal())


def admin_audit_page(req: AuditRequest, page: PageRequest) -> Page:
    """One filtered page of the audit trail, for administrators only (AccessDenied for anyone else)."""
    return get_context().store.accounts.audit_page(current_principal(), req, page)


def admin_audit_facets() -> tuple[list[str], list[str]]:
    """The event types and users in the audit trail, for administrators only."""
    return get_context().store.accounts.audit_facets(current_principal())
