"""The audit trail paged in SQL: event type, user and Beijing-day filters, sorting, paging, administrators only."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from metrics.access import AccessDenied, Principal
from metrics.accounts import Accounts
from metrics.api import AuditRequest, InvalidPageError, PageRequest
from metrics.models import AuditEvent

ADMIN = Principal("root", "admin", None)
UTC = dt.timezone.utc


@pytest.fixture
def trail(store_engine):
    """30 sign-ins by ann and 12 downloads by bob, one an hour from 2025-12-01 00:00 UTC (08:00 Beijing)."""
    start = dt.datetime(2025, 12, 1, tzinfo=UTC)
    with Session(store_engine) as s, s.begin():
        s.add_all([AuditEvent(at=start + dt.timedelta(hours=i), actor="ann" if i < 30 else "bob",
                              action="login_ok" if i < 30 else "download", detail=f'{{"n": {i}}}',
                              remote_addr=f"10.0.0.{i}") for i in range(42)])
    return Accounts(store_engine)


def test_filters_and_paging_run_in_the_query(trail):
    first = trail.audit_page(ADMIN, AuditRequest(), PageRequest(0, 10))
    assert first.total == 42 and len(first.rows) == 10
    assert list(first.rows["detail"])[:2] == ['{"n": 41}', '{"n": 40}']  # newest first
    last = trail.audit_page(ADMIN, AuditRequest(), PageRequest(40, 10))
    assert len(last.rows) == 2
    downloads = trail.audit_page(ADMIN, AuditRequest(actions=("download",)), PageRequest(0, 100))
    assert downloads.total == 12 and set(downloads.rows["actor"]) == {"bob"}
    ann = trail.audit_page(ADMIN, AuditRequest(actor="ann"), PageRequest(0, 5, sort=(("remote_addr", "asc"),)))
    assert ann.total == 30 and list(ann.rows["remote_addr"]) == ["10.0.0.0", "10.0.0.1", "10.0.0.10",
                                                                  "10.0.0.11", "10.0.0.12"]
    column = trail.audit_page(ADMIN, AuditRequest(), PageRequest(0, 50, filters=(("detail", "contains", "n\": 3"),)))
    assert column.total == 11  # 3 and 30..39


def test_days_are_beijing_calendar_days(trail):
    # 2025-12-01 Beijing ends at 16:00 UTC: the first 16 events; 2025-12-02 Beijing holds the next 24.
    first_day = trail.audit_page(ADMIN, AuditRequest(since=dt.date(2025, 12, 1), until=dt.date(2025, 12, 1)),
                                 PageRequest(0, 100))
    assert first_day.total == 16
    second = trail.audit_page(ADMIN, AuditRequest(since=dt.date(2025, 12, 2)), PageRequest(0, 100))
    assert second.total == 26
    with pytest.raises(ValueError):
        AuditRequest(since=dt.date(2025, 12, 2), until=dt.date(2025, 12, 1))


def test_only_administrators_read_the_trail(trail):
    for role, unit in (("leadership", None), ("bureau", "440000")):
        with pytest.raises(AccessDenied):
            trail.audit_page(Principal("x", role, unit), AuditRequest(), PageRequest(0, 10))
        with pytest.raises(AccessDenied):
            trail.audit_facets(Principal("x", role, unit))
    assert trail.audit_facets(ADMIN) == (["download", "login_ok"], ["ann", "bob"])


def test_unknown_columns_are_refused(trail):
    with pytest.raises(InvalidPageError):
        trail.audit_page(ADMIN, AuditRequest(), PageRequest(0, 10, sort=(("password_hash", "asc"),)))
    with pytest.raises(InvalidPageError):
        trail.audit_page(ADMIN, AuditRequest(), PageRequest(0, 10, filters=(("at", "contains", "2025"),)))
