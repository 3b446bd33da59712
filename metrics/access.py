"""Who is asking. The query layer checks every request against the principal, below any UI."""
from __future__ import annotations

from dataclasses import dataclass

from metrics.units import bureau_of

ROLES = ("admin", "leadership", "bureau", "sub_bureau", "editor")
LOCAL_ROLES = ("bureau", "sub_bureau")  # bound to one unit: see only its own detail


class AccessDenied(PermissionError):
    pass


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    role: str  # system | admin | leadership | bureau | sub_bureau | editor (a national reader who writes the briefs' text)
    unit_code: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role in ("system", "admin")

    def can_see_detail(self, unit_code: str) -> bool:
        """Sub-bureau breakdowns, quarantine rows and record-level reconciliation."""
        if self.role in ("system", "admin", "leadership", "editor"):
            return True
        if self.role == "sub_bureau":  # one sub-bureau: its own detail only
            return self.unit_code is not None and unit_code == self.unit_code
        return self.role == "bureau" and self.unit_code is not None and bureau_of(unit_code) == self.unit_code

    @property
    def is_local(self) -> bool:
        """Bound to one bureau or sub-bureau, so unscoped detail reads narrow to that unit."""
        return self.role in LOCAL_ROLES

    def require_detail(self, unit_code: str) -> None:
        if not self.can_see_detail(unit_code):
            raise AccessDenied(f"{self.name} ({self.role}) may not see record-level or sub-bureau data of {unit_code}")

    @property
    def can_write_briefs(self) -> bool:
        """Staff-written brief text (key work, next steps, case notes): administrators and editors."""
        return self.is_admin or self.role == "editor"

    def require_brief_writer(self) -> None:
        if not self.can_write_briefs:
            raise AccessDenied(f"{self.name} ({self.role}) may not write brief text")

    def require_admin(self) -> None:
        if not self.is_admin:
            raise AccessDenied(f"{self.name} ({self.role}) is not an administrator")


SYSTEM = Principal("system", "system")
