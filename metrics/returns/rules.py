"""The declared return types, kept in the store (return_rule) so that coverage reads need only the engine.

app.py's desk publishes them when it is built (etl/returns_cli.build_desk), as the ETL records a files source's
submission rule when it runs: the coverage matrix and the brief then know which units owe which periods.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from metrics.returns.models import ReturnRule
from metrics.returns.types import ReturnType
from metrics.windows import add_months, month_end


@dataclass(frozen=True, slots=True)
class Rule:
    """What coverage needs of a return type (the same period arithmetic as ReturnType)."""

    return_type: str
    level: str
    period: str
    deadline_day: int
    first_period: dt.date
    metrics: tuple[str, ...]

    def period_end(self, start: dt.date) -> dt.date:
        return month_end(add_months(start, 2 if self.period == "quarter" else 0))

    def due_on(self, start: dt.date) -> dt.date:
        return add_months(self.period_end(start).replace(day=1), 1).replace(day=self.deadline_day)

    def label(self, start: dt.date) -> str:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}" if self.period == "quarter" else start.strftime("%Y-%m")

    def periods(self, first: dt.date, last: dt.date, ended_by: dt.date) -> list[dt.date]:
        """Period starts from first_period that overlap first..last and have ended before `ended_by`."""
        step = 3 if self.period == "quarter" else 1
        out, start = [], self.first_period.replace(day=1)
        while start <= last and self.period_end(start) < ended_by:
            if self.period_end(start) >= first:
                out.append(start)
            start = add_months(start, step)
        return out


def _metrics(rtype: ReturnType) -> list[str]:
    return list(dict.fromkeys(f.metric for f in rtype.fields.values()))


def publish_types(engine: Engine, types: Mapping[str, ReturnType]) -> None:
    """Insert or update one return_rule row per declared type (types no longer declared are left: old filings
    keep their meaning)."""
    with Session(engine) as s, s.begin():
        for rtype in types.values():
            values = {"level": rtype.level, "period": rtype.period, "deadline_day": rtype.deadline_day,
                      "first_period": rtype.first_period, "metrics": json.dumps(_metrics(rtype))}
            row = s.get(ReturnRule, rtype.id)
            if row is None:
                s.add(ReturnRule(return_type=rtype.id, **values))
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_at = dt.datetime.now(dt.timezone.utc)


def load_rules(conn: Connection) -> list[Rule]:
    return [Rule(r.return_type, r.level, r.period, r.deadline_day, r.first_period, tuple(json.loads(r.metrics)))
            for r in conn.execute(select(ReturnRule).order_by(ReturnRule.return_type)).all()]
