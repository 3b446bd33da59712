"""Which pages each role may open: the one table the menu and the server both read.

The menu shows exactly these pages; a page outside a role's set is refused on the server, as a 403 page for a
browser's GET and a 403 JSON for the page callback (a crafted request), whatever the menu showed. The reads
below each page still check the principal's data scope (MetricsQuery): this table only decides the pages.
"""
from __future__ import annotations

from metrics.api import AccessDenied, Principal

READ_PAGES = ("/", "/trends", "/regions", "/compare", "/scorecard", "/briefings", "/data", "/notices", "/targets")
ADMIN_PAGES = ("/admin", "/audit")
PAGES_BY_ROLE: dict[str, frozenset[str]] = {
    "admin": frozenset((*READ_PAGES, "/returns", *ADMIN_PAGES)),
    "system": frozenset((*READ_PAGES, "/returns", *ADMIN_PAGES)),
    "leadership": frozenset((*READ_PAGES, "/returns")),  # HQ reviewers of returns
    "bureau": frozenset((*READ_PAGES, "/returns")),  # fills in and reviews its own bureau's returns
    "editor": frozenset(READ_PAGES),  # a national reader who writes the briefs' text; no returns
    # One sub-bureau: its returns and the read pages whose reads narrow to it (its own series, the
    # quarantine and funnel of its unit, its notices). Rankings, targets and briefs are bureau business.
    "sub_bureau": frozenset(("/returns", "/", "/trends", "/data", "/notices")),
}


def pages_for(principal: Principal) -> frozenset[str]:
    return PAGES_BY_ROLE.get(principal.role, frozenset())


def may_open(principal: Principal, path: str) -> bool:
    return (path.rstrip("/") or "/") in pages_for(principal)


def require_page(principal: Principal, path: str) -> None:
    if not may_open(principal, path):
        raise AccessDenied(f"{principal.name} ({principal.role}) may not open the page {path}")
