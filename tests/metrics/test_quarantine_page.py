"""Paging, sorting and filtering the quarantine in SQL, inside the principal's scope (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from metrics.api import SYSTEM, AccessDenied, InvalidPageError, MetricsQuery, PageRequest, Principal, QuarantineRequest
from metrics.models import EtlRun, QuarantinedRow

GUANGDONG = Principal("gd", "bureau", "440000")


@pytest.fixture
def quarantine(store_engine):
    """130 Guangdong rows (some in Guangzhou), 70 Beijing rows and 5 whose unit could not be resolved."""
    with Session(store_engine) as session, session.begin():
        run = EtlRun(source="regulator_clues", status="success")
        session.add(run)
        session.flush()
        rows = [("440100" if i % 3 == 0 else "440000", f"gd-{i:03d}", f"amount_yuan '-{i}' is below 0")
                for i in range(130)]
        rows += [("110000", f"bj-{i:03d}", "unknown category 'x'") for i in range(70)]
        rows += [(None, f"un-{i}", "unknown unit 'Atlantis'") for i in range(5)]
        session.add_all([QuarantinedRow(run_id=run.id, source="regulator_clues", unit_code=u, row_ref=r,
                                        raw='{"ref": "%s"}' % r, reason=why) for u, r, why in rows])
    return store_engine


def test_a_bureau_pages_only_its_own_rows(quarantine):
    quality = MetricsQuery(quarantine, GUANGDONG).quality
    first = quality.quarantine_page(QuarantineRequest(), PageRequest(0, 50))
    assert first.total == 130 and len(first.rows) == 50
    seen = set()
    for offset in range(0, 400, 50):  # far past the end: never another bureau's rows
        page = quality.quarantine_page(QuarantineRequest(), PageRequest(offset, 50))
        seen |= set(page.rows["row_ref"])
        assert set(page.rows["unit_code"]) <= {"440000", "440100"}
    assert len(seen) == 130
    with pytest.raises(AccessDenied):
        quality.quarantine_page(QuarantineRequest(unit="110000"), PageRequest(0, 50))
    # A filter that names another bureau's rows matches nothing, it does not widen the scope.
    assert quality.quarantine_page(QuarantineRequest(), PageRequest(filters=(("row_ref", "startsWith", "bj"),))).total == 0


def test_sort_and_filter_run_in_sql(quarantine):
    quality = MetricsQuery(quarantine, SYSTEM).quality
    assert quality.quarantine_page(QuarantineRequest(), PageRequest(0, 10)).total == 205
    page = quality.quarantine_page(QuarantineRequest(), PageRequest(0, 5, sort=(("row_ref", "asc"),),
                                                                     filters=(("reason", "contains", "ATLANTIS"),)))
    assert page.total == 5 and list(page.rows["row_ref"]) == [f"un-{i}" for i in range(5)]
    page = quality.quarantine_page(QuarantineRequest(), PageRequest(0, 3, sort=(("row_ref", "desc"),),
                                                                     filters=(("unit_code", "equals", "440100"),)))
    assert page.total == 44 and list(page.rows["row_ref"]) == ["gd-129", "gd-126", "gd-123"]
    assert quality.quarantine_page(QuarantineRequest(), PageRequest(filters=(("reason", "contains", "%"),))).total == 0
    raw_id = int(page.rows["id"].iloc[0])
    assert MetricsQuery(quarantine, GUANGDONG).quality.quarantine_raw(raw_id) == '{"ref": "gd-129"}'
    beijing = int(quality.quarantine_page(QuarantineRequest(unit="110000"), PageRequest(0, 1)).rows["id"].iloc[0])
    assert MetricsQuery(quarantine, GUANGDONG).quality.quarantine_raw(beijing) is None


@pytest.mark.parametrize("bad", [dict(offset=-1), dict(limit=0), dict(limit=10_000), dict(sort=(("id", "up"),)),
                                 dict(filters=(("reason", "regex", "x"),))])
def test_bad_page_requests_are_refused(bad):
    with pytest.raises(InvalidPageError):
        PageRequest(**bad)


def test_unknown_columns_are_refused(quarantine):
    quality = MetricsQuery(quarantine, SYSTEM).quality
    for req in (PageRequest(sort=(("raw; drop table x", "asc"),)), PageRequest(filters=(("created_at", "contains", "1"),))):
        with pytest.raises(InvalidPageError):
            quality.quarantine_page(QuarantineRequest(), req)
