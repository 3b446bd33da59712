"""Tables of targets and alerts (issue 17): kept apart from models.py so the two can move independently."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from metrics.models import Base, UTCDateTime, utcnow


class Target(Base):
    """One version of a target. Rows are only inserted: the highest version of a key is the current one."""

    __tablename__ = "target"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    metric_id: Mapped[str] = mapped_column(String(40))
    unit_code: Mapped[str] = mapped_column(String(6), index=True)  # a bureau, HQ, or CN for the nation
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(BigInteger)  # whole yuan or counts, as the metric
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("metric_id", "unit_code", "period_start", "period_end", "version",
                                       name="uq_target_version"),)


class AlertEvent(Base):
    """Something worth telling people, recorded once: event_key is unique, so it is never raised twice."""

    __tablename__ = "alert_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule: Mapped[str] = mapped_column(String(32), index=True)
    event_key: Mapped[str] = mapped_column(String(256), unique=True)
    unit_code: Mapped[str | None] = mapped_column(String(6))  # None: not about one bureau (sources, briefs)
    detail: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertSubscription(Base):
    __tablename__ = "alert_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(256))  # None: in-app notices only
    lang: Mapped[str] = mapped_column(String(2), default="zh")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("user_id", "rule", name="uq_alert_subscription"),)


class AlertNotice(Base):
    """One event for one subscriber: the in-app notice, and whether (and when) it went out by email."""

    __tablename__ = "alert_notice"

    event_id: Mapped[int] = mapped_column(ForeignKey("alert_event.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    emailed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_alert_notice_user", "user_id", "emailed_at"),)


__all__ = ["Target", "AlertEvent", "AlertSubscription", "AlertNotice"]
