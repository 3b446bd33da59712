"""Keeps the store's copy of the reporting units, aliases and milestones in step with the shipped data."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from metrics.models import Annotation, ReportingUnit, UnitAlias
from metrics.units import all_units, reference_aliases

MILESTONES: tuple[tuple[dt.date, str, str], ...] = (
    (dt.date(2023, 6, 1), "联合打击金融领域黑灰产专项行动启动", "Joint crackdown launched"),
    (dt.date(2024, 3, 15), "“3·15”金融消费者权益保护教育宣传", "March 15 consumer-protection campaign"),
    (dt.date(2024, 9, 1), "金融教育宣传月", "Financial education month"),
    (dt.date(2025, 3, 15), "“3·15”金融消费者权益保护教育宣传", "March 15 consumer-protection campaign"),
    (dt.date(2025, 12, 25), "联合工作进展通报", "Joint progress report published"),
)


def sync_reference_data(session: Session) -> None:
    existing = {u.code: u for u in session.scalars(select(ReportingUnit))}
    for unit in all_units().values():
        row = existing.get(unit.code) or ReportingUnit(code=unit.code)
        for key, value in asdict(unit).items():
            setattr(row, key, value)
        session.add(row)
    session.flush()
    wanted = reference_aliases()
    session.execute(delete(UnitAlias).where(UnitAlias.alias.notin_(list(wanted))))
    have = {a.alias: a for a in session.scalars(select(UnitAlias))}
    for alias, code in wanted.items():
        row = have.get(alias) or UnitAlias(alias=alias)
        row.code, row.alias_kind = code
        session.add(row)
    if session.scalar(select(Annotation.id).where(Annotation.kind == "milestone").limit(1)) is None:
        session.add_all(Annotation(day=d, kind="milestone", label_zh=zh, label_en=en) for d, zh, en in MILESTONES)
