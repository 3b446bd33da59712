"""Alerts as stored: events (each recorded once, by its key), subscriptions and per-user notices.

A notice is created for every subscriber in scope when its event is first recorded, in the same
transaction: a bureau user only ever gets events about its own bureau; administrators and leadership get
every event of the rules they subscribe to. A notice is emailed at most once (emailed_at).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from metrics.access import Principal
from metrics.i18n import LANGS
from metrics.models import User, utcnow
from metrics.result_frame import result_frame
from metrics.target_models import AlertEvent, AlertNotice, AlertSubscription
from metrics.units import bureau_of

NOTICE_COLUMNS = ["event_id", "rule", "unit_code", "detail", "created_at", "emailed_at", "read_at"]


class AlertError(ValueError):
    """A subscription request that cannot be carried out."""


@dataclass(frozen=True, slots=True)
class EventDraft:
    """What a rule found. `key` names the event: the same key is never recorded (or sent) twice."""

    rule: str
    key: str
    unit_code: str | None
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Digest:
    user_id: int
    user: str
    email: str
    lang: str
    events: tuple[dict, ...]


def in_scope(principal: Principal, unit_code: str | None) -> bool:
    if principal.role in ("system", "admin", "leadership"):
        return True
    return principal.role == "bureau" and unit_code is not None and principal.unit_code is not None \
        and bureau_of(unit_code) == principal.unit_code


def subscribe(engine: Engine, user: str, rules: list[str], *, email: str | None, lang: str = "zh",
              known_rules: tuple[str, ...]) -> int:
    """Subscribe `user` to `rules` (replacing the email and language of an existing subscription)."""
    unknown = [r for r in rules if r not in known_rules]
    if unknown:
        raise AlertError(f"unknown rule(s) {', '.join(unknown)}; use {', '.join(known_rules)}")
    if lang not in LANGS:
        raise AlertError(f"unknown language '{lang}'; use {' or '.join(LANGS)}")
    if email is not None and ("@" not in email or any(c.isspace() for c in email)):
        raise AlertError(f"'{email}' is not an email address")
    with Session(engine) as s, s.begin():
        account = s.scalar(select(User).where(User.name == user, User.active.is_(True)))
        if account is None:
            raise AlertError(f"no active user '{user}'")
        for rule in rules:
            sub = s.scalar(select(AlertSubscription).where(AlertSubscription.user_id == account.id,
                                                           AlertSubscription.rule == rule))
            if sub is None:
                s.add(AlertSubscription(user_id=account.id, rule=rule, email=email, lang=lang))
            else:
                sub.email, sub.lang = email, lang
    return len(rules)


def subscriptions(engine: Engine, principal: Principal) -> pd.DataFrame:
    """Administrators see every subscription; anyone else their own."""
    q = (select(User.name, User.role, User.unit_code, AlertSubscription.rule, AlertSubscription.email,
                AlertSubscription.lang).join(User, User.id == AlertSubscription.user_id)
         .order_by(User.name, AlertSubscription.rule))
    if not principal.is_admin:
        q = q.where(User.name == principal.name)
    with engine.connect() as conn:
        return result_frame(conn.execute(q), ["user", "role", "unit_code", "rule", "email", "lang"])


def record_events(engine: Engine, drafts: list[EventDraft], *, now: dt.datetime | None = None) -> list[int]:
    """Record the drafts not seen before and notify their subscribers in scope; returns the new event ids."""
    now = now or utcnow()
    new_ids = []
    with Session(engine) as s, s.begin():
        keys = [d.key for d in drafts]
        seen = set(s.scalars(select(AlertEvent.event_key).where(AlertEvent.event_key.in_(keys)))) if keys else set()
        subs = s.execute(select(AlertSubscription.rule, User.id, User.name, User.role, User.unit_code)
                         .join(User, User.id == AlertSubscription.user_id).where(User.active.is_(True))).all()
        for draft in drafts:
            if draft.key in seen:
                continue
            seen.add(draft.key)
            event = AlertEvent(rule=draft.rule, event_key=draft.key, unit_code=draft.unit_code,
                               detail=json.dumps(draft.detail, ensure_ascii=False, default=str), created_at=now)
            s.add(event)
            s.flush()
            new_ids.append(event.id)
            for rule, user_id, name, role, unit in subs:
                if rule == draft.rule and in_scope(Principal(name, role, unit), draft.unit_code):
                    s.add(AlertNotice(event_id=event.id, user_id=user_id, created_at=now))
    return new_ids


def pending_digests(engine: Engine) -> list[Digest]:
    """Per subscriber with an email address: the notices not emailed yet, oldest first."""
    q = (select(AlertNotice.user_id, User.name, User.role, User.unit_code, AlertEvent.id, AlertEvent.rule,
                AlertEvent.unit_code, AlertEvent.detail, AlertEvent.created_at)
         .join(AlertEvent, AlertEvent.id == AlertNotice.event_id).join(User, User.id == AlertNotice.user_id)
         .where(AlertNotice.emailed_at.is_(None), User.active.is_(True))
         .order_by(AlertNotice.user_id, AlertEvent.rule, AlertEvent.id))
    with Session(engine) as s:
        rows = s.execute(q).all()
        contact = {(u, r): (e, lang) for u, r, e, lang in s.execute(
            select(AlertSubscription.user_id, AlertSubscription.rule, AlertSubscription.email, AlertSubscription.lang))}
    by_user: dict[int, list] = {}
    for row in rows:
        by_user.setdefault(row[0], []).append(row)
    digests = []
    for user_id, items in by_user.items():
        _, name, role, unit = items[0][:4]
        principal = Principal(name, role, unit)
        events = [{"id": ev, "rule": rule, "unit_code": code, "detail": json.loads(detail), "created_at": at}
                  for _, _, _, _, ev, rule, code, detail, at in items
                  if in_scope(principal, code) and contact.get((user_id, rule), (None,))[0]]
        emails = {contact[(user_id, e["rule"])] for e in events}
        if not events:
            continue
        email, lang = sorted(emails)[0]  # one digest per subscriber, to the address of its first rule
        digests.append(Digest(user_id, name, email, lang, tuple(events)))
    return digests


def mark_emailed(engine: Engine, user_id: int, event_ids: list[int], *, now: dt.datetime | None = None) -> None:
    with Session(engine) as s, s.begin():
        for notice in s.scalars(select(AlertNotice).where(AlertNotice.user_id == user_id,
                                                          AlertNotice.event_id.in_(event_ids))):
            notice.emailed_at = now or utcnow()


def notices(engine: Engine, principal: Principal, *, limit: int = 200) -> pd.DataFrame:
    """The principal's own in-app notices, newest first (NOTICE_COLUMNS; detail parsed)."""
    q = (select(AlertEvent.id, AlertEvent.rule, AlertEvent.unit_code, AlertEvent.detail, AlertNotice.created_at,
                AlertNotice.emailed_at, AlertNotice.read_at)
         .join(AlertNotice, AlertNotice.event_id == AlertEvent.id).join(User, User.id == AlertNotice.user_id)
         .where(User.name == principal.name).order_by(AlertEvent.id.desc()).limit(limit))
    with engine.connect() as conn:
        rows = [r for r in conn.execute(q).all() if in_scope(principal, r[2])]
    frame = result_frame(rows, NOTICE_COLUMNS)
    frame["detail"] = [json.loads(d) for d in frame["detail"]]
    return frame


def mark_read(engine: Engine, principal: Principal, *, now: dt.datetime | None = None) -> int:
    """Mark every unread notice of the principal read; returns how many."""
    with Session(engine) as s, s.begin():
        user_id = s.scalar(select(User.id).where(User.name == principal.name))
        rows = s.scalars(select(AlertNotice).where(AlertNotice.user_id == user_id,
                                                   AlertNotice.read_at.is_(None))).all()
        for notice in rows:
            notice.read_at = now or utcnow()
    return len(rows)
