"""Spelling -> reporting unit for one run: the block's `unit.aliases`, then the store's aliases
(`units alias add`), then the reference tables and address reading of metrics.units. Cached per distinct value.
"""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from metrics.onboarding_models import LocalUnitAlias
from metrics.units import AmbiguousUnitError, UnknownUnitError, normalise_spelling, resolve_unit


class UnitLookup:
    def __init__(self, *tables: Mapping[str, str]):
        self.aliases: dict[str, str] = {}
        for table in reversed(tables):  # the first table wins
            self.aliases.update({normalise_spelling(k): v for k, v in table.items()})
        self._cache: dict[str, str | None] = {}

    def code(self, spelling: str) -> str | None:
        if spelling not in self._cache:
            found = self.aliases.get(normalise_spelling(spelling))
            if found is None:
                try:
                    found = resolve_unit(spelling)
                except UnknownUnitError:
                    found = None
            self._cache[spelling] = found
        return self._cache[spelling]

    def problem(self, spelling: str) -> str:
        """Why a spelling names no unit: ambiguous (with the candidates) or unknown."""
        try:
            resolve_unit(spelling)
        except AmbiguousUnitError as exc:
            return str(exc)
        except UnknownUnitError:
            pass
        return f"unknown region '{spelling}'"


NO_ALIASES = UnitLookup()


def store_aliases(session: Session) -> dict[str, str]:
    """The store-wide aliases (`units alias add`); the ETL reads them as the system, inside its own session."""
    return dict(session.execute(select(LocalUnitAlias.spelling, LocalUnitAlias.unit_code)).all())
