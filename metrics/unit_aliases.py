"""Store-wide unit aliases: spellings an administrator maps to a reporting unit without touching code or a source.

Every source's ETL run reads them (after its own block's `unit.aliases`, before the reference tables); each
change is written to the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from metrics.access import Principal
from metrics.onboarding_models import LocalUnitAlias
from metrics.units import UnknownUnitError, all_units, normalise_spelling, unit_of_admin_code
from metrics.users import UserError, record_audit


@dataclass(frozen=True, slots=True)
class Alias:
    spelling: str
    unit_code: str
    added_by: str | None


def unit_for_code(code: str) -> str:
    """The reporting unit a code names: a unit code, or any administrative code (210281 -> 210200)."""
    code = code.strip()
    if code in all_units():
        return code
    unit = unit_of_admin_code(code) if code.isdigit() and len(code) == 6 else None
    if unit is None:
        raise UnknownUnitError(code)
    return unit


def add_alias(engine: Engine, principal: Principal, spelling: str, code: str) -> Alias:
    """Map `spelling` to the unit `code` names, replacing an earlier alias of the same spelling."""
    principal.require_admin()
    key = normalise_spelling(spelling)
    if not key:
        raise UserError("an alias needs a spelling")
    unit = unit_for_code(code)
    with Session(engine) as session, session.begin():
        row = session.get(LocalUnitAlias, key)
        previous = None if row is None else row.unit_code
        if row is None:
            session.add(LocalUnitAlias(spelling=key, unit_code=unit, added_by=principal.name))
        else:
            row.unit_code, row.added_by = unit, principal.name
    record_audit(engine, "unit_alias_add", actor=principal.name,
                 detail={"spelling": spelling, "unit_code": unit, "previous": previous})
    return Alias(key, unit, principal.name)


def remove_alias(engine: Engine, principal: Principal, spelling: str) -> bool:
    principal.require_admin()
    key = normalise_spelling(spelling)
    with Session(engine) as session, session.begin():
        row = session.get(LocalUnitAlias, key)
        if row is None:
            return False
        previous = row.unit_code
        session.delete(row)
    record_audit(engine, "unit_alias_remove", actor=principal.name,
                 detail={"spelling": spelling, "previous": previous})
    return True


def list_aliases(engine: Engine, principal: Principal) -> list[Alias]:
    principal.require_admin()
    with Session(engine) as session:
        rows = session.scalars(select(LocalUnitAlias).order_by(LocalUnitAlias.spelling)).all()
        return [Alias(r.spelling, r.unit_code, r.added_by) for r in rows]


def alias_table(engine: Engine, principal: Principal) -> dict[str, str]:
    """Normalised spelling -> unit code, as the ETL looks them up."""
    return {a.spelling: a.unit_code for a in list_aliases(engine, principal)}
