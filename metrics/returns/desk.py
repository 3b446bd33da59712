"""ReturnsDesk: one object over the returns store for the pages, the API and the CLI.

It carries the engine, the declared return types, the number parser (handed in by app.py: the ETL's) and the
clock; every method takes the principal explicitly and the modules below it check it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from metrics.access import Principal
from metrics.returns import deadlines, reads, rules, signoff
from metrics.returns.checks import totals
from metrics.returns.store import ReturnsStore
from metrics.windows import today_shanghai


class ReturnsDesk(ReturnsStore):
    def today(self) -> dt.date:
        return today_shanghai(self.clock())

    def list(self, principal: Principal, *, return_type: str | None = None, period: str | None = None,
             unit: str | None = None, status: str | None = None) -> pd.DataFrame:
        return reads.list_returns(self.engine, principal, self.types, return_type=return_type, period=period,
                                  unit=unit, status=status)

    def get(self, principal: Principal, filing_id: int) -> dict:
        return reads.get_return(self.engine, principal, self.types, filing_id)

    def warnings(self, principal: Principal, return_type: str, unit_code: str, period: str,
                 figures: Mapping[str, Mapping[str, int | None]]) -> list[dict]:
        rtype = self.rtype(return_type)
        return reads.history_warnings(self.engine, principal, rtype, unit_code, rtype.period_start(period),
                                      totals(rtype, figures))

    def notices(self, principal: Principal, *, limit: int = 50) -> pd.DataFrame:
        return reads.notices(self.engine, principal, limit=limit)

    def publish_types(self) -> None:
        """Keep the declared types in the store (return_rule), for the coverage matrix and the brief."""
        rules.publish_types(self.engine, self.types)

    def coverage(self, principal: Principal, *, as_of: dt.date | None = None,
                 return_type: str | None = None) -> pd.DataFrame:
        return deadlines.returns_coverage(self.engine, principal, self.types, as_of=as_of or self.today(),
                                          return_type=return_type)

    def overdue(self, principal: Principal, *, as_of: dt.date | None = None) -> pd.DataFrame:
        return deadlines.overdue(self.engine, principal, self.types, as_of=as_of or self.today())

    def remind(self, principal: Principal, *, units: list[str] | None = None, as_of: dt.date | None = None) -> int:
        return deadlines.send_reminders(self.engine, principal, self.types, as_of=as_of or self.today(), units=units)

    def sign_off(self, principal: Principal, quarter: str) -> str:
        return signoff.sign_off(self.engine, principal, quarter)

    def signoff_status(self, principal: Principal, quarter: str) -> pd.DataFrame:
        return signoff.signoff_status(self.engine, principal, quarter)

    def is_signatory(self, principal: Principal) -> bool:
        return signoff.is_signatory(self.engine, principal)

    def grant_signatory(self, principal: Principal, user_name: str) -> None:
        signoff.grant_signatory(self.engine, principal, user_name)

    def approved_rows(self, principal: Principal, return_type: str) -> pd.DataFrame:
        """The rows the `returns` source kind loads (system only): see reads.approved_rows."""
        return reads.approved_rows(self.engine, principal, self.rtype(return_type))
