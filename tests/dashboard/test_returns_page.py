"""The Returns page's callbacks called directly: per-row messages while typing, 合计, review list, coverage."""
from __future__ import annotations

import flask_login
import pytest

from dashboard.web.auth import SignedInUser
from dashboard.callbacks.returns import check_cells, load_return
from dashboard.callbacks.returns_review import awaiting, refresh_lists
from metrics.users import load_principal
from tests.dashboard.returns_app import returns_app
from tests.metrics.returns_fixtures import EDU, GUANGZHOU, SUB, TYPES, figures

IDS = [{"type": "returns-cell", "row": r, "field": f} for r in TYPES[EDU].rows for f in TYPES[EDU].fields]
ROW_IDS = [{"type": "returns-row-message", "row": r} for r in TYPES[EDU].rows]
TOTAL_IDS = [{"type": "returns-total", "field": f} for f in TYPES[EDU].fields]


@pytest.fixture
def svc(store_engine, tmp_path):
    return returns_app(store_engine, tmp_path)


def acting(svc, name: str):
    ctx = svc.app.server.test_request_context("/returns")
    ctx.push()
    flask_login.login_user(SignedInUser(load_principal(svc.engine, name)))
    return ctx


def test_typing_shows_row_messages_and_the_total(svc):
    ctx = acting(svc, "gz_clerk")
    try:
        values = ["0"] * len(IDS)
        values[0], values[1], values[4] = "１２", "若干", "1.2万"  # community events/participants, schools people
        messages, totals, warnings = check_cells(values, IDS, ROW_IDS, TOTAL_IDS, GUANGZHOU, "2025-10", "en")
        assert messages[0] == "row 1 (Communities), People reached: '若干' is not a number" and messages[1] == ""
        assert totals == ["12", "12,000", "0"] and warnings == ""
        values[1] = ""  # a blank is not an error while typing
        assert check_cells(values, IDS, ROW_IDS, TOTAL_IDS, GUANGZHOU, "2025-10", "zh")[0][0] == ""
    finally:
        ctx.pop()


def test_a_sent_back_return_loads_with_its_reason_and_reviewers_see_what_awaits_them(svc):
    rid = svc.desk.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="3"), submit=True)
    ctx = acting(svc, "gd_reviewer")
    try:
        principal = load_principal(svc.engine, "gd_reviewer")
        assert list(awaiting(svc.desk, principal)["id"]) == [rid]
        svc.desk.send_back(principal, rid, "请核对")
        assert awaiting(svc.desk, principal).empty
        notices, due, review, quarters, quarter = refresh_lists(0, "en")
        assert quarter == "2025Q3" and "returns-coverage-table" in str(due)
    finally:
        ctx.pop()
    ctx = acting(svc, "gz_clerk")
    try:
        values, status, href = load_return(GUANGZHOU, "2025-10", 0, IDS, "en")
        assert values[0] == "3" and "请核对" in status and "sent back" in status
        assert href.endswith(f"unit={GUANGZHOU}&period=2025-10")
    finally:
        ctx.pop()


def test_hq_sees_the_overdue_list_and_reminds_one_bureau(svc):
    from sqlalchemy import select

    from dashboard.callbacks.returns_review import remind_bureau
    from metrics.api import AccessDenied
    from metrics.models import AuditEvent

    ctx = acting(svc, "hq_lead")
    try:
        hq = load_principal(svc.engine, "hq_lead")
        _notices, due, *_ = refresh_lists(0, "en")
        shown = str(due)
        assert "returns-overdue-table" in shown and "'bureau': '440000'" in shown and "'bureau': '110000'" not in shown
        overdue = svc.desk.overdue(hq)
        guangdong = set(overdue["unit_code"][overdue["bureau_code"] == "440000"])
        assert remind_bureau(svc.desk, hq, "440000") == int((overdue["bureau_code"] == "440000").sum()) > 0
    finally:
        ctx.pop()
    reviewer = load_principal(svc.engine, "gd_reviewer")
    seen = svc.desk.notices(reviewer, limit=1000)
    assert set(seen["unit_code"]) == guangdong and set(seen["kind"]) == {"reminder"}  # that bureau's users see them
    clerk = svc.desk.notices(load_principal(svc.engine, "gz_clerk"), limit=1000)
    assert set(clerk["unit_code"]) == {GUANGZHOU} and len(clerk) > 0
    assert svc.desk.notices(load_principal(svc.engine, "bj_reviewer")).empty  # no other bureau was reminded
    with svc.engine.connect() as conn:
        audited = conn.execute(select(AuditEvent.actor).where(AuditEvent.action == "return_remind")).scalars().all()
    assert audited == ["hq_lead"]
    with pytest.raises(AccessDenied):
        remind_bureau(svc.desk, reviewer, "440000")  # HQ reminds; a bureau does not
    ctx = acting(svc, "gd_reviewer")
    try:
        assert "returns-overdue-table" not in str(refresh_lists(0, "en")[1])
    finally:
        ctx.pop()
