"""Users, API tokens and the audit trail behind one repository object (metrics.users holds the work).

Sign-in and audit writes need no principal (they are how one is found); reading the user list or the audit
trail does, and only an administrator may.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from metrics import audit_log as audit_pages, users
from metrics.access import Principal
from metrics.paging import Page, PageRequest


class Accounts:
    def __init__(self, engine: Engine):
        self._engine = engine

    # -- finding the principal ---------------------------------------------------------------------------
    def authenticate(self, name: str, password: str) -> Principal | None:
        return users.authenticate(self._engine, name, password)

    def load_principal(self, name: str) -> Principal | None:
        return users.load_principal(self._engine, name)

    def principal_for_token(self, token: str) -> Principal | None:
        return users.principal_for_token(self._engine, token)

    def has_users(self) -> bool:
        return users.has_users(self._engine)

    # -- writes ------------------------------------------------------------------------------------------
    def record_audit(self, action: str, *, actor: str | None, detail: dict | str | None = None,
                     remote_addr: str | None = None) -> None:
        users.record_audit(self._engine, action, actor=actor, detail=detail, remote_addr=remote_addr)

    # -- administrator reads -----------------------------------------------------------------------------
    def users(self, principal: Principal) -> list[users.UserInfo]:
        principal.require_admin()
        return users.list_users(self._engine)

    def audit_log(self, principal: Principal, limit: int = 500) -> pd.DataFrame:
        principal.require_admin()
        return users.audit_log(self._engine, limit=limit)

    def audit_page(self, principal: Principal, req: audit_pages.AuditRequest, page: PageRequest) -> Page:
        """One filtered, sorted page of the trail (metrics.audit_log)."""
        principal.require_admin()
        return audit_pages.audit_page(self._engine, req, page)

    def audit_facets(self, principal: Principal) -> tuple[list[str], list[str]]:
        """The event types and users in the trail, for filter menus."""
        principal.require_admin()
        return audit_pages.audit_facets(self._engine)
