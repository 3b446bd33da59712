"""Publishing briefing snapshots: insert-only rows, one version sequence per period, a hash over each payload.

A published row is never updated or deleted. Publishing again creates version N+1 only when the content
(figures, coverage, definitions, reference data) differs from version N; otherwise version N is returned
as it is, so the scheduler can run twice without piling up identical versions. `force=True` inserts a new
version anyway and its revision note says "no change".
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, literal, select

from metrics.access import SYSTEM
from metrics.models import BriefingSnapshot
from metrics.snapshots.content import BriefingPeriod, build_content
from metrics.snapshots.diff import figure_changes, late_loads, other_changes, series_points_changed
from metrics.snapshots.texts import BriefingTexts, text_changes
from metrics.status import source_status


class SnapshotNotFound(LookupError):
    def __str__(self) -> str:
        return f"no briefing snapshot {self.args[0]}"


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def sha256_of(value) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Briefing:
    """A snapshot as read back (or, with version None, a draft that was built but not published)."""

    period: str
    as_of: dt.date
    version: int | None
    created_at: dt.datetime
    published: bool
    content_hash: str
    definitions_fingerprint: str
    payload: dict
    revision_note: dict | None
    id: int | None = None

    @property
    def content(self) -> dict:
        return self.payload["content"]

    @property
    def is_draft(self) -> bool:
        return self.version is None


@dataclass(frozen=True, slots=True)
class PublishResult:
    briefing: Briefing
    created: bool  # False: the content equals the latest version, which is returned unchanged


def _freshness(engine: Engine, now: dt.datetime) -> list[dict]:
    frame = source_status(engine, now=now)
    out = []
    for row in frame.to_dict("records"):
        out.append({"source": row["source"], "status": row["status"],
                    "last_success_at": row["last_success_at"].isoformat() if row["last_success_at"] else None,
                    "age_hours": None if row["age_hours"] is None else round(float(row["age_hours"]), 1),
                    "stale": bool(row["stale"])})
    return out


def _row_to_briefing(row: BriefingSnapshot) -> Briefing:
    return Briefing(period=row.period, as_of=row.as_of, version=row.version, created_at=row.created_at,
                    published=row.published, content_hash=row.content_hash,
                    definitions_fingerprint=row.definitions_fingerprint, payload=json.loads(row.payload),
                    revision_note=json.loads(row.revision_note) if row.revision_note else None, id=row.id)


def revision_note(engine: Engine, previous: Briefing, content: dict, staff: dict | None = None) -> dict:
    old = previous.content
    changes = figure_changes(old, content)
    texts = text_changes(previous.payload.get("staff"), staff or {})
    return {
        "previous": {"id": previous.id, "version": previous.version, "content_hash": previous.content_hash,
                     "created_at": previous.created_at.isoformat()},
        "changes": changes,
        "series_points_changed": series_points_changed(old, content),
        "other_changes": other_changes(old, content),
        "late_loads": late_loads(engine, since=previous.created_at, changes=changes, windows=content["windows"]),
        "text_changes": texts,
        "no_change": not changes and not other_changes(old, content) and not texts,
    }


class BriefingStore:
    """Builds, publishes and reads briefing snapshots. Takes an engine so the dashboard needs no session."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def _payload(self, period: BriefingPeriod, now: dt.datetime) -> dict:
        content = build_content(self.engine, period)
        # The staff text is part of what is frozen; the brief reads it from the store as the system.
        return {"content": content, "staff": BriefingTexts(self.engine).frozen(period.quarter.label(), SYSTEM),
                "generation": {"created_at": now.astimezone(dt.timezone.utc).isoformat(),
                               "content_digest": sha256_of(content),
                               "freshness": _freshness(self.engine, now)}}

    def build(self, period: BriefingPeriod, *, now: dt.datetime) -> Briefing:
        """A draft: not stored; its revision note compares it with the latest published version."""
        payload = self._payload(period, now)
        latest = self.latest(period.label)
        note = revision_note(self.engine, latest, payload["content"], payload["staff"]) if latest else None
        return Briefing(period.label, period.as_of, None, now, False, sha256_of(payload),
                        payload["content"]["catalog"]["fingerprint"], payload, note)

    def publish(self, period: BriefingPeriod, *, now: dt.datetime, force: bool = False) -> PublishResult:
        payload = self._payload(period, now)
        latest = self.latest(period.label)
        if latest and not force and latest.payload["generation"]["content_digest"] == \
                payload["generation"]["content_digest"] and latest.payload.get("staff") == payload["staff"]:
            return PublishResult(latest, created=False)
        note = revision_note(self.engine, latest, payload["content"], payload["staff"]) if latest else None
        table = BriefingSnapshot.__table__
        next_version = (select(func.coalesce(func.max(table.c.version), 0) + 1)
                        .where(table.c.period == period.label).scalar_subquery())
        # One statement picks the version and inserts, so two publishers cannot both take N+1.
        values = select(literal(period.label), literal(period.as_of), next_version, literal(now, table.c.created_at.type),
                        literal(True), literal(sha256_of(payload)),
                        literal(payload["content"]["catalog"]["fingerprint"]), literal(canonical_json(payload)),
                        literal(canonical_json(note) if note else None, table.c.revision_note.type))
        stmt = (insert(table)
                .from_select(["period", "as_of", "version", "created_at", "published", "content_hash",
                              "definitions_fingerprint", "payload", "revision_note"], values)
                .returning(table.c.id))
        with self.engine.begin() as conn:
            new_id = conn.execute(stmt).scalar_one()
        return PublishResult(self.get(new_id), created=True)

    def get(self, snapshot_id: int) -> Briefing:
        with self.engine.connect() as conn:
            row = conn.execute(select(BriefingSnapshot.__table__).where(BriefingSnapshot.id == snapshot_id)).first()
        if row is None:
            raise SnapshotNotFound(snapshot_id)
        return _row_to_briefing(row)

    def latest(self, period: str) -> Briefing | None:
        table = BriefingSnapshot.__table__
        with self.engine.connect() as conn:
            row = conn.execute(select(table).where(table.c.period == period)
                               .order_by(table.c.version.desc()).limit(1)).first()
        return _row_to_briefing(row) if row else None

    def versions(self, period: str | None = None) -> list[dict]:
        """Every stored version, newest first, without payloads: id, period, as_of, version, created_at,
        content_hash, published, revision_note."""
        t = BriefingSnapshot.__table__
        q = select(t.c.id, t.c.period, t.c.as_of, t.c.version, t.c.created_at, t.c.content_hash, t.c.published,
                   t.c.revision_note).order_by(t.c.created_at.desc(), t.c.id.desc())
        if period is not None:
            q = q.where(t.c.period == period)
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return [{**row, "revision_note": json.loads(row["revision_note"]) if row["revision_note"] else None}
                for row in rows]

    @staticmethod
    def verify(briefing: Briefing) -> bool:
        """True when the payload still hashes to the stored content hash."""
        return sha256_of(briefing.payload) == briefing.content_hash
