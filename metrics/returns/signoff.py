"""Quarter sign-off: a bureau's head (a `bureau` user marked signatory) confirms its quarter's figures.

The confirmation keeps a SHA-256 fingerprint of the bureau's quarter totals (every catalog metric, as the
query API gives them). Reading the status recomputes it: a figure changed since (a restated source, a newly
approved return version) shows the confirmation as re-opened, so it has to be given again.
"""
from __future__ import annotations

import hashlib
import json

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from metrics.access import SYSTEM, AccessDenied, Principal
from metrics.models import AuditEvent, User
from metrics.query import MetricsQuery
from metrics.requests import TotalsRequest
from metrics.returns.models import QuarterSignoff, ReturnSignatory
from metrics.units import bureaus
from metrics.windows import Window

STATUS_COLUMNS = ["bureau_code", "quarter", "state", "signed_by", "signed_at"]  # state: confirmed | reopened | open


def quarter_figures(engine: Engine, bureau_code: str, quarter: str) -> dict[str, int]:
    # The store's own figures for the bureau, read as the system: what is confirmed is what the brief shows.
    frame = MetricsQuery(engine, SYSTEM).totals(TotalsRequest(Window.quarter(quarter), unit=bureau_code)).frame
    return {str(r.metric): int(r.value) for r in frame.itertuples()}


def fingerprint(figures: dict[str, int]) -> str:
    return hashlib.sha256(json.dumps(figures, sort_keys=True).encode()).hexdigest()


def grant_signatory(engine: Engine, principal: Principal, user_name: str) -> None:
    principal.require_admin()
    with Session(engine) as s, s.begin():
        user = s.scalar(select(User).where(User.name == user_name))
        if user is None or user.role != "bureau":
            raise ValueError(f"'{user_name}' is not a bureau user; only a bureau's head signs its quarter")
        if s.get(ReturnSignatory, user_name) is None:
            s.add(ReturnSignatory(user_name=user_name))
            s.add(AuditEvent(actor=principal.name, action="signatory_grant", detail=user_name))


def is_signatory(engine: Engine, principal: Principal) -> bool:
    if principal.role != "bureau":
        return False
    with Session(engine) as s:
        return s.get(ReturnSignatory, principal.name) is not None


def sign_off(engine: Engine, principal: Principal, quarter: str) -> str:
    """Confirm the principal's bureau's quarter; returns the fingerprint confirmed."""
    Window.quarter(quarter)
    if not is_signatory(engine, principal):
        raise AccessDenied(f"{principal.name} ({principal.role}) is not a signatory of a bureau")
    figures = quarter_figures(engine, principal.unit_code, quarter)
    print_ = fingerprint(figures)
    with Session(engine) as s, s.begin():
        s.add(QuarterSignoff(bureau_code=principal.unit_code, quarter=quarter.upper(), signed_by=principal.name,
                             fingerprint=print_, figures=json.dumps(figures, sort_keys=True)))
        s.add(AuditEvent(actor=principal.name, action="quarter_signoff",
                         detail=json.dumps({"bureau": principal.unit_code, "quarter": quarter, "fingerprint": print_})))
    return print_


def signoff_status(engine: Engine, principal: Principal, quarter: str) -> pd.DataFrame:
    """Per bureau: confirmed (figures unchanged since), reopened (changed since) or open (never confirmed).

    Every signed-in role may read it: it says who confirmed, not the figures.
    """
    Window.quarter(quarter)
    del principal  # readable by every role; taken so that callers say who asks
    with Session(engine) as s:
        latest: dict[str, QuarterSignoff] = {}
        for row in s.scalars(select(QuarterSignoff).where(QuarterSignoff.quarter == quarter.upper())
                             .order_by(QuarterSignoff.id)):
            latest[row.bureau_code] = row
    rows = []
    for bureau in bureaus():
        got = latest.get(bureau.code)
        if got is None:
            rows.append((bureau.code, quarter.upper(), "open", None, None))
            continue
        same = fingerprint(quarter_figures(engine, bureau.code, quarter)) == got.fingerprint
        rows.append((bureau.code, quarter.upper(), "confirmed" if same else "reopened", got.signed_by,
                     got.signed_at.isoformat(timespec="seconds")))
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)
