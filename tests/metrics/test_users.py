"""Users, tokens and audit rows in the store, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from metrics.models import AuditEvent, User
from metrics.users import (UserError, add_user, audit_log, authenticate, issue_token, principal_for_token,
                           record_audit, set_active)


def test_password_is_hashed_and_checked(store_engine):
    add_user(store_engine, "gd", "bureau", "correct horse battery", unit_code="440000")
    with Session(store_engine) as s:
        stored = s.scalar(select(User.password_hash).where(User.name == "gd"))
    assert "correct horse" not in stored and stored.startswith("$argon2id$")
    p = authenticate(store_engine, "gd", "correct horse battery")
    assert p is not None and p.role == "bureau" and p.unit_code == "440000"
    assert authenticate(store_engine, "gd", "wrong password!") is None
    assert authenticate(store_engine, "nobody", "correct horse battery") is None
    set_active(store_engine, "gd", False)
    assert authenticate(store_engine, "gd", "correct horse battery") is None


def test_user_rules(store_engine):
    with pytest.raises(UserError, match="unknown role"):
        add_user(store_engine, "x", "root", "long enough pw")
    with pytest.raises(UserError, match="needs --unit"):
        add_user(store_engine, "x", "bureau", "long enough pw")
    with pytest.raises(UserError, match="not a bureau"):
        add_user(store_engine, "x", "bureau", "long enough pw", unit_code="440100")
    add_user(store_engine, "lead", "leadership", "long enough pw")
    with pytest.raises(UserError, match="already exists"):
        add_user(store_engine, "lead", "leadership", "long enough pw")


def test_tokens_and_audit(store_engine):
    add_user(store_engine, "svc", "leadership", "long enough pw")
    token = issue_token(store_engine, "svc", "mps-liaison")
    assert principal_for_token(store_engine, token).name == "svc"
    assert principal_for_token(store_engine, token + "x") is None
    record_audit(store_engine, "api", actor="svc", detail={"path": "/api/v1/summary"}, remote_addr="127.0.0.1")
    log = audit_log(store_engine)
    assert list(log["action"]) == ["api"] and "summary" in log["detail"].iloc[0]
    with Session(store_engine) as s:
        assert s.scalar(select(AuditEvent.actor)) == "svc"
