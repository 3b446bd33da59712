"""The returns workflow on SQLite and PostgreSQL: checks, review level by level, send-back, versions, scope."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from metrics.api import AccessDenied, FiguresRejected, SelfReviewError, WorkflowError
from metrics.models import AuditEvent
from tests.metrics.returns_fixtures import (BEIJING, BUREAU, BUREAU2, EDU, GUANGZHOU, HQ, OTHER_BUREAU, SUB, TYPES,
                                            desk, figures)
from metrics.access import SYSTEM


def test_quirky_numbers_are_read_like_the_etl_reads_them(store_engine):
    d = desk(store_engine)
    given = figures(events="１２", participants="1.2万", media="3")
    rid = d.save(SUB, EDU, GUANGZHOU, "2025-10", given, submit=True)
    v = d.get(SUB, rid)["versions"][-1]
    assert v["figures"]["community"] == {"events": 12, "participants": 12000, "media": 3}
    assert v["totals"] == {"events": 12, "participants": 12000, "media": 3}


def test_a_bad_number_is_refused_naming_row_and_field(store_engine):
    d = desk(store_engine)
    given = figures(participants="若干")
    given["online"]["events"] = "-2"
    with pytest.raises(FiguresRejected) as err:
        d.save(SUB, EDU, GUANGZHOU, "2025-10", given, submit=True)
    problems = {(p.row, p.field, p.code) for p in err.value.problems}
    assert problems == {("community", "participants", "not_a_number"), ("online", "events", "below_min")}
    messages = [p.message(TYPES[EDU], "en") for p in err.value.problems]
    assert "row 1 (Communities), People reached: '若干' is not a number" in messages
    assert "第5行（线上宣传）活动场次：-2小于0" in [p.message(TYPES[EDU], "zh") for p in err.value.problems]
    assert d.list(SUB).empty  # nothing stored


def test_the_whole_loop_with_send_back_and_two_approvals(store_engine):
    d = desk(store_engine)
    rid = d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="3"), submit=True)
    with pytest.raises(AccessDenied):
        d.approve(OTHER_BUREAU, rid)  # another bureau
    with pytest.raises(AccessDenied):
        d.approve(HQ, rid)  # HQ reviews after the bureau, not before
    with pytest.raises(ValueError):
        d.send_back(BUREAU, rid, "  ")
    assert d.send_back(BUREAU, rid, "活动场次与台账不符") == "sent_back"
    row = d.list(SUB).iloc[0]
    assert (row["status"], row["reason"]) == ("sent_back", "活动场次与台账不符")
    assert d.notices(SUB)["kind"].tolist() == ["sent_back"]
    with pytest.raises(WorkflowError):
        d.approve(BUREAU, rid)  # nothing to review until re-submitted
    d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="4"), submit=True)
    assert d.approve(BUREAU, rid) == "bureau_approved"
    assert d.approved_rows(SYSTEM, EDU).empty  # not yet HQ-approved
    assert d.approve(HQ, rid) == "approved"
    rows = d.approved_rows(SYSTEM, EDU)
    assert rows.set_index("row").loc["community", "events"] == 4
    assert set(rows["period_end"]) == {"2025-10-31"}
    steps = d.get(BUREAU, rid)["steps"]
    assert [(s["actor"], s["action"], s["to"]) for s in steps] == [
        ("gz_clerk", "submit", "submitted"), ("gd_reviewer", "send_back", "sent_back"),
        ("gz_clerk", "submit", "submitted"), ("gd_reviewer", "approve", "bureau_approved"),
        ("hq_lead", "approve", "approved")]
    assert steps[2]["changes"] == [{"row": "community", "field": "events", "old": 3, "new": 4}]
    with Session(store_engine) as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("return_%"))).all()
    assert actions.count("return_approve") == 2 and actions.count("return_send_back") == 1


def test_a_correction_after_approval_is_a_new_version(store_engine):
    d = desk(store_engine)
    rid = d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="3"), submit=True)
    d.approve(BUREAU, rid)
    d.approve(HQ, rid)
    d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="9"), submit=True)
    got = d.get(SUB, rid)
    assert [(v["version"], v["status"]) for v in got["versions"]] == [(1, "approved"), (2, "submitted")]
    rows = d.approved_rows(SYSTEM, EDU).set_index("row")
    assert rows.loc["community", "events"] == 3  # the approved version until the correction is approved
    d.approve(BUREAU, rid)
    d.approve(HQ, rid)
    rows = d.approved_rows(SYSTEM, EDU).set_index("row")
    assert rows.loc["community", "events"] == 9 and rows.loc["community", "row_ref"].startswith(f"R{rid}v2")


def test_nobody_reviews_what_they_submitted(store_engine):
    d = desk(store_engine)
    rid = d.save(BUREAU, EDU, GUANGZHOU, "2025-09", figures(), submit=True)  # a bureau user fills for its sub
    with pytest.raises(SelfReviewError):
        d.approve(BUREAU, rid)
    assert d.approve(BUREAU2, rid) == "bureau_approved"


def test_scope_of_reads_and_fills(store_engine):
    d = desk(store_engine)
    d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(), submit=True)
    with pytest.raises(AccessDenied):
        d.save(SUB, EDU, "440300", "2025-10", figures())  # not its sub-bureau (Shenzhen is a bureau anyway)
    with pytest.raises(AccessDenied):
        d.save(SUB, EDU, "440200", "2025-10", figures())  # Shaoguan: another sub-bureau
    with pytest.raises(AccessDenied):
        d.save(HQ, EDU, GUANGZHOU, "2025-10", figures())  # HQ reviews, it does not fill in
    assert len(d.list(BUREAU)) == 1 and len(d.list(HQ)) == 1
    assert d.list(OTHER_BUREAU).empty
    with pytest.raises(AccessDenied):
        d.list(OTHER_BUREAU, unit=GUANGZHOU)
    with pytest.raises(ValueError):
        d.save(SUB, EDU, GUANGZHOU, "2025-13", figures())
    assert BEIJING not in set(d.list(HQ)["unit_code"])


def test_a_draft_keeps_what_parses_and_is_refused_on_submit(store_engine):
    d = desk(store_engine)
    rid = d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="abc"))
    v = d.get(SUB, rid)["versions"][0]
    assert v["status"] == "draft" and v["figures"]["community"]["events"] is None
    with pytest.raises(FiguresRejected):
        d.submit(SUB, rid)
    d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="5"))
    d.submit(SUB, rid)
    assert d.list(SUB).iloc[0]["status"] == "submitted"
    assert json.loads(json.dumps(d.get(HQ, rid)))["versions"][0]["totals"]["events"] == 5
