"""Users, API tokens and the audit log. Passwords are argon2id hashes (argon2-cffi)."""
from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from metrics.access import ROLES, Principal
from metrics.models import ApiToken, AuditEvent, User
from metrics.units import get_unit

_hasher = PasswordHasher()
# Verifying against a dummy hash keeps the timing of "no such user" equal to "wrong password".
_DUMMY_HASH = _hasher.hash(secrets.token_hex(8))


class UserError(ValueError):
    """A user-management request that cannot be carried out (unknown role, duplicate name, ...)."""


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    role: str
    unit_code: str | None
    active: bool


def _principal(user: User) -> Principal:
    return Principal(user.name, user.role, user.unit_code)


def add_user(engine: Engine, name: str, role: str, password: str, unit_code: str | None = None) -> UserInfo:
    if role not in ROLES:
        raise UserError(f"unknown role '{role}'; use one of {', '.join(ROLES)}")
    if role == "bureau":
        if not unit_code:
            raise UserError("a bureau user needs --unit CODE")
        if get_unit(unit_code).kind not in ("bureau", "hq"):
            raise UserError(f"{unit_code} is not a bureau; bureau users are bound to one of the 36 bureaus")
    elif role == "sub_bureau":
        if not unit_code or get_unit(unit_code).kind != "sub_bureau":
            raise UserError("a sub_bureau user needs --unit CODE of one prefecture-level sub-bureau")
    elif unit_code:
        raise UserError(f"a {role} user is not bound to a unit")
    if len(password) < 10:
        raise UserError("passwords need at least 10 characters")
    with Session(engine) as s, s.begin():
        if s.scalar(select(User.id).where(User.name == name)) is not None:
            raise UserError(f"user '{name}' already exists")
        s.add(User(name=name, role=role, unit_code=unit_code, password_hash=_hasher.hash(password)))
    return UserInfo(name, role, unit_code, True)


def set_active(engine: Engine, name: str, active: bool) -> None:
    with Session(engine) as s, s.begin():
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise UserError(f"no user '{name}'")
        user.active = active


def list_users(engine: Engine) -> list[UserInfo]:
    with Session(engine) as s:
        return [UserInfo(u.name, u.role, u.unit_code, u.active) for u in s.scalars(select(User).order_by(User.name))]


def has_users(engine: Engine) -> bool:
    with Session(engine) as s:
        return s.scalar(select(User.id).limit(1)) is not None


def authenticate(engine: Engine, name: str, password: str) -> Principal | None:
    with Session(engine) as s:
        user = s.scalar(select(User).where(User.name == name))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return _principal(user) if user and user.active else None


def load_principal(engine: Engine, name: str) -> Principal | None:
    """The principal behind a session cookie, or None when the user was disabled since."""
    with Session(engine) as s:
        user = s.scalar(select(User).where(User.name == name, User.active.is_(True)))
        return _principal(user) if user else None


def issue_token(engine: Engine, name: str, client: str) -> str:
    token = "imd_" + secrets.token_urlsafe(32)
    with Session(engine) as s, s.begin():
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise UserError(f"no user '{name}'")
        s.add(ApiToken(user_id=user.id, client=client, token_sha256=hashlib.sha256(token.encode()).hexdigest()))
    return token


def principal_for_token(engine: Engine, token: str) -> Principal | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    with Session(engine) as s:
        user = s.scalar(select(User).join(ApiToken, ApiToken.user_id == User.id)
                        .where(ApiToken.token_sha256 == digest, ApiToken.active.is_(True), User.active.is_(True)))
        return _principal(user) if user else None


def record_audit(engine: Engine, action: str, *, actor: str | None, detail: dict | str | None = None,
                 remote_addr: str | None = None) -> None:
    text = json.dumps(detail, ensure_ascii=False, default=str) if isinstance(detail, dict) else detail
    with Session(engine) as s, s.begin():
        s.add(AuditEvent(action=action, actor=actor, detail=text, remote_addr=remote_addr))


def audit_log(engine: Engine, limit: int = 500) -> pd.DataFrame:
    with Session(engine) as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)).all()
    return pd.DataFrame([{"at": r.at, "actor": r.actor, "action": r.action, "detail": r.detail,
                          "remote_addr": r.remote_addr} for r in rows],
                        columns=["at", "actor", "action", "detail", "remote_addr"])
