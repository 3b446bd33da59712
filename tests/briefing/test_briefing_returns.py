"""The brief freezes which bureaus confirmed the quarter and their returns by status, and prints them."""
from __future__ import annotations

from briefing.returns_section import returns_lines
from etl.pipeline import run_source
from metrics.access import SYSTEM
from metrics.api import BriefingPeriod, Principal
from metrics.snapshots.content import build_content
from metrics.users import add_user
from tests.etl.test_returns_source import spec
from tests.metrics.returns_fixtures import BUREAU, EDU, GUANGDONG, GUANGZHOU, HQ, SUB, desk, figures


def test_sign_off_and_returns_by_status_in_the_brief(store_engine):
    d = desk(store_engine)
    add_user(store_engine, "gd_head", "bureau", "gd-head-password-1", unit_code=GUANGDONG)
    d.grant_signatory(SYSTEM, "gd_head")
    rid = d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(), submit=True)
    d.approve(BUREAU, rid)
    d.approve(HQ, rid)
    d.save(BUREAU, EDU, "440200", "2025-10", figures(), submit=True)
    run_source(store_engine, spec())
    d.sign_off(Principal("gd_head", "bureau", GUANGDONG), "2025Q4")
    content = build_content(store_engine, BriefingPeriod.for_quarter("2025Q4"))
    frozen = content["returns"]
    assert [(s["bureau"], s["state"], s["by"]) for s in frozen["signoff"]] == [(GUANGDONG, "confirmed", "gd_head")]
    assert frozen["returns"] == {GUANGDONG: {"approved": 1, "submitted": 1}}
    zh = returns_lines(content, "zh")
    assert zh[0].startswith("广东：已确认（gd_head，") and zh[1] == "广东报表：总局已审 1, 待审核 1"
    assert returns_lines({k: v for k, v in content.items() if k != "returns"}, "en") == []  # older briefs
