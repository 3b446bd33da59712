"""Deadlines, coverage of returns, the overdue list with reminders, and quarter sign-off (SQLite, PostgreSQL)."""
from __future__ import annotations

import datetime as dt

import pytest

from etl.pipeline import run_source
from metrics.api import AccessDenied, Principal
from metrics.access import SYSTEM
from metrics.users import add_user
from tests.etl.test_returns_source import spec
from tests.metrics.returns_fixtures import BUREAU, EDU, GUANGDONG, GUANGZHOU, HQ, SUB, desk, figures

SHAOGUAN, ZHUHAI = "440200", "440400"  # two more sub-bureaus of Guangdong


def test_states_per_unit_and_period(store_engine):
    late_clock = dt.datetime(2025, 11, 12, 2, 0, tzinfo=dt.timezone.utc)  # after the 10 November deadline
    d = desk(store_engine)
    on_time = d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(), submit=True)
    d.send_back(BUREAU, on_time, "请补充线上活动")
    late = desk(store_engine, now=late_clock)
    late.save(BUREAU, EDU, SHAOGUAN, "2025-10", figures(), submit=True)
    matrix = late.coverage(BUREAU, as_of=dt.date(2025, 11, 12), return_type=EDU)
    october = matrix[matrix["period"] == "2025-10"].set_index("unit_code")
    assert october.loc[GUANGZHOU, "state"] == "sent_back" and not october.loc[GUANGZHOU, "late_submission"]
    assert october.loc[SHAOGUAN, "state"] == "submitted" and october.loc[SHAOGUAN, "late_submission"]
    assert october.loc[ZHUHAI, "state"] == "late"  # nothing submitted, deadline passed
    assert set(october["bureau_code"]) == {GUANGDONG}  # a bureau sees its own sub-bureaus only
    early = d.coverage(HQ, as_of=dt.date(2025, 11, 5), return_type=EDU)
    assert set(early[early["period"] == "2025-10"]["state"]) >= {"due", "sent_back", "submitted"}
    assert "2025-11" not in set(early["period"])  # a period still open is not expected yet


def test_overdue_list_and_reminders(store_engine):
    d = desk(store_engine)
    as_of = dt.date(2025, 11, 12)
    d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(), submit=True)
    overdue = d.overdue(HQ, as_of=as_of)
    october = overdue[overdue["period"] == "2025-10"]
    assert GUANGZHOU not in set(october["unit_code"]) and SHAOGUAN in set(october["unit_code"])
    with pytest.raises(AccessDenied):
        d.remind(BUREAU, as_of=as_of)  # HQ reminds
    sent = d.remind(HQ, as_of=as_of, units=[SHAOGUAN])
    assert sent == int((overdue["unit_code"] == SHAOGUAN).sum()) > 0
    shaoguan = Principal("sg_clerk", "sub_bureau", SHAOGUAN)
    notices = d.notices(shaoguan)
    assert set(notices["kind"]) == {"reminder"} and "2025-10" in set(notices["period"])
    assert d.notices(SUB).empty  # reminders go to the overdue unit only


def test_sign_off_is_reopened_by_a_changed_figure(store_engine):
    d = desk(store_engine)
    add_user(store_engine, "gd_head", "bureau", "gd-head-password-1", unit_code=GUANGDONG)
    head = Principal("gd_head", "bureau", GUANGDONG)
    with pytest.raises(AccessDenied):
        d.sign_off(head, "2025Q4")  # not yet a signatory
    with pytest.raises(AccessDenied):
        d.grant_signatory(HQ, "gd_head")  # admins grant it
    d.grant_signatory(SYSTEM, "gd_head")
    assert d.is_signatory(head) and not d.is_signatory(BUREAU)
    rid = d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="3"), submit=True)
    d.approve(BUREAU, rid)
    d.approve(HQ, rid)
    run_source(store_engine, spec())
    d.sign_off(head, "2025Q4")
    status = d.signoff_status(HQ, "2025Q4").set_index("bureau_code")
    assert status.loc[GUANGDONG, "state"] == "confirmed" and status.loc[GUANGDONG, "signed_by"] == "gd_head"
    assert status.loc["110000", "state"] == "open"
    d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="5"), submit=True)  # a correction, approved and loaded
    d.approve(BUREAU, rid)
    d.approve(HQ, rid)
    assert d.signoff_status(HQ, "2025Q4").set_index("bureau_code").loc[GUANGDONG, "state"] == "confirmed"
    run_source(store_engine, spec())  # the figure changes only now
    assert d.signoff_status(HQ, "2025Q4").set_index("bureau_code").loc[GUANGDONG, "state"] == "reopened"
    d.sign_off(head, "2025Q4")
    assert d.signoff_status(HQ, "2025Q4").set_index("bureau_code").loc[GUANGDONG, "state"] == "confirmed"
