"""Demo returns for the embedded first start: a few Guangdong returns in every state, so a newcomer sees the
whole loop (fill in, send back, bureau approval, HQ approval, the next ETL run, sign-off).

Users: gz_clerk (sub-bureau 广州, 440100), gd_reviewer and gd_head (bureau 广东; gd_head is its signatory)
and hq_lead (leadership), each with a random password printed once. The three periods before the newest
complete month are approved for every Guangdong sub-bureau (gd_head fills in for those without their own user);
the newest month has one return in each state. Each step is dated a few days before that period's deadline.
Periods inside the published calibration window (to 2025-11) are left alone, so the published figures hold, and
from the cut-over the spreadsheets no longer list these sub-bureaus' events (demo/returns_era.py).
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

import numpy as np

from etl.returns_cli import build_desk
from metrics.api import SYSTEM, Principal, children
from metrics.users import add_user, list_users
from metrics.windows import TZ

from .returns_era import RETURNS_BUREAU, RETURNS_FROM as FIRST_DEMO_PERIOD

DEMO_USERS = {"gz_clerk": ("sub_bureau", "440100"), "gd_reviewer": ("bureau", "440000"),
              "gd_head": ("bureau", "440000"), "hq_lead": ("leadership", None)}
TYPE = "education_monthly"


def _users(engine, say: Callable[[str], None]) -> dict[str, Principal]:
    known = {u.name for u in list_users(engine)}
    for name, (role, unit) in DEMO_USERS.items():
        if name not in known:
            password = secrets.token_urlsafe(12)
            add_user(engine, name, role, password, unit_code=unit)
            say(f"created demo user '{name}' ({role}{' ' + unit if unit else ''}) with password {password} "
                "(shown once)")
    return {name: Principal(name, role, unit) for name, (role, unit) in DEMO_USERS.items()}


def _figures(rng: np.random.Generator, rows) -> dict:
    out = {}
    for row in rows:
        events = int(rng.poisson(2.0))
        out[row] = {"events": events, "participants": int(events * rng.integers(40, 160)),
                    "media": int(rng.binomial(events, 0.2))}
    return out


def seed_demo_returns(settings, engine, *, today: dt.date, seed: int = 16,
                      say: Callable[[str], None] = print) -> int:
    """Seed the demo returns; returns how many filings were made (0 when there is no period to fill yet)."""
    users = _users(engine, say)
    rng = np.random.default_rng(seed)
    plain = build_desk(settings, engine)
    plain.grant_signatory(SYSTEM, "gd_head")
    rtype = plain.rtype(TYPE)
    periods = [p for p in rtype.periods_until(today) if p >= FIRST_DEMO_PERIOD][-4:]
    if not periods:
        return 0
    subs = [u.code for u in children(RETURNS_BUREAU)]
    made = 0
    for start in periods:
        due = rtype.due_on(start)
        moment = dt.datetime.combine(due - dt.timedelta(days=3), dt.time(10), TZ)
        desk = build_desk(settings, engine, clock=lambda m=moment: m)
        label = rtype.period_label(start)
        newest = start == periods[-1]
        for i, code in enumerate(subs):
            state = (["draft", "submitted", "sent_back", "bureau_approved", "approved"] + [None] * len(subs))[i] \
                if newest else "approved"
            if state is None:
                continue  # due, or late once the deadline passes
            filer = users["gz_clerk"] if code == "440100" else users["gd_head"]
            reviewer = users["gd_reviewer"]
            rid = desk.save(filer, TYPE, code, label, _figures(rng, rtype.rows), submit=state != "draft")
            made += 1
            if state == "sent_back":
                desk.send_back(reviewer, rid, "媒体报道篇数与台账不符，请核对后重报")
            elif state in ("bureau_approved", "approved"):
                desk.approve(reviewer, rid)
                if state == "approved":
                    desk.approve(users["hq_lead"], rid)
    say(f"seeded {made} demo returns ({', '.join(rtype.period_label(p) for p in periods)})")
    return made
