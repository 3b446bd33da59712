"""The review workflow as pure rules: who may fill, read and review a unit's return, and what each step does.

draft → submitted → (sub-bureau returns) bureau_approved → approved (HQ); a reviewer may instead send it back
with a reason (sent_back), after which the filer corrects and re-submits. A correction after HQ approval is
a new version that goes round again. Nobody reviews a version they submitted.
"""
from __future__ import annotations

from metrics.access import AccessDenied, Principal
from metrics.units import bureau_of, get_unit

STATUSES = ("draft", "submitted", "sent_back", "bureau_approved", "approved")
EDITABLE = ("draft", "sent_back")
HQ_ROLES = ("system", "admin", "leadership")


class WorkflowError(ValueError):
    """A step that does not apply to the return as it stands (e.g. approving a draft)."""


class SelfReviewError(AccessDenied):
    """A reviewer acting on a version they submitted."""


def can_fill(principal: Principal, unit_code: str) -> bool:
    if principal.role == "system":
        return True
    if principal.role == "sub_bureau":
        return principal.unit_code == unit_code
    return principal.role == "bureau" and principal.unit_code == bureau_of(unit_code)


def can_read(principal: Principal, unit_code: str) -> bool:
    return principal.role in HQ_ROLES or can_fill(principal, unit_code)


def require_fill(principal: Principal, unit_code: str) -> None:
    if not can_fill(principal, unit_code):
        raise AccessDenied(f"{principal.name} ({principal.role}) may not fill in returns of {unit_code}")


def require_read(principal: Principal, unit_code: str) -> None:
    if not can_read(principal, unit_code):
        raise AccessDenied(f"{principal.name} ({principal.role}) may not see returns of {unit_code}")


def review_stage(status: str, unit_code: str) -> str:
    """'bureau' or 'hq': who reviews a version in this status; WorkflowError when it awaits no review."""
    if status == "submitted":
        return "bureau" if get_unit(unit_code).kind == "sub_bureau" else "hq"
    if status == "bureau_approved":
        return "hq"
    raise WorkflowError(f"a return that is {status} awaits no review")


def require_review(principal: Principal, unit_code: str, status: str, submitted_by: str | None) -> str:
    """The status a successful approval leads to; AccessDenied when the principal may not review it."""
    stage = review_stage(status, unit_code)
    if stage == "bureau":
        allowed = principal.role == "system" or (principal.role == "bureau"
                                                 and principal.unit_code == bureau_of(unit_code))
    else:
        allowed = principal.role in HQ_ROLES
    if not allowed:
        who = "its bureau" if stage == "bureau" else "HQ (leadership or admin)"
        raise AccessDenied(f"{principal.name} ({principal.role}) may not review this return of {unit_code}: "
                           f"it awaits {who}")
    if submitted_by is not None and submitted_by == principal.name:
        raise SelfReviewError(f"{principal.name} submitted this return and may not review it")
    return "bureau_approved" if stage == "bureau" else "approved"


def scope_units(principal: Principal) -> list[str] | None:
    """The unit codes whose returns a principal sees; None = all of them."""
    if principal.role in HQ_ROLES:
        return None
    if principal.role == "sub_bureau" and principal.unit_code:
        return [principal.unit_code]
    if principal.role == "bureau" and principal.unit_code:
        from metrics.units import children

        return [principal.unit_code, *(c.code for c in children(principal.unit_code))]
    return []
