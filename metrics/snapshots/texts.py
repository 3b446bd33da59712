"""Staff-written text of a quarter's brief: per direction the key work and next steps, and case notes, in both
languages. Counts cannot write these lines; administrators do, on the Briefings page. The current text is the
draft's; publishing freezes a copy into the version's payload (and the revision note names what changed).
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Engine, Integer, String, Text, UniqueConstraint, delete, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from metrics.access import Principal
from metrics.i18n import LANGS
from metrics.models import Base, UTCDateTime, utcnow

SECTIONS = ("1", "2", "3", "4", "case_notes")
DIRECTION_FIELDS = ("key_work", "next_steps")
MAX_CHARS = 20_000
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


class BriefTextError(ValueError):
    pass


class BriefingText(Base):
    """One text of one quarter's brief; rows are replaced when an administrator saves."""

    __tablename__ = "briefing_text"
    __table_args__ = (UniqueConstraint("quarter", "section", "field", "lang", name="uq_briefing_text"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    quarter: Mapped[str] = mapped_column(String(8), index=True)  # 2025Q4
    section: Mapped[str] = mapped_column(String(16))  # a direction number, or case_notes
    field: Mapped[str] = mapped_column(String(16))  # key_work | next_steps | case_notes
    lang: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


def text_keys() -> list[tuple[str, str]]:
    """(section, field) pairs in page order."""
    return [(s, f) for s in SECTIONS[:4] for f in DIRECTION_FIELDS] + [("case_notes", "case_notes")]


def _check_quarter(quarter: str) -> str:
    if not _QUARTER.match(quarter or ""):
        raise BriefTextError(f"'{quarter}' is not a quarter like 2025Q4")
    return quarter


def staff_payload(rows: dict[tuple[str, str, str], str]) -> dict:
    """{lang: {"directions": {"1": {"key_work": .., "next_steps": ..}}, "case_notes": ..}}, empty texts left out."""
    out: dict = {lang: {"directions": {}, "case_notes": ""} for lang in LANGS}
    for (section, field, lang), text in sorted(rows.items()):
        if not text.strip():
            continue
        if section == "case_notes":
            out[lang]["case_notes"] = text
        else:
            out[lang]["directions"].setdefault(section, {})[field] = text
    return out


def text_changes(old: dict | None, new: dict) -> list[dict]:
    """The staff texts that differ between two frozen payloads: [{section, field, lang}]."""
    def flat(staff: dict | None) -> dict[tuple[str, str, str], str]:
        rows = {}
        for lang, part in (staff or {}).items():
            for section, fields in part.get("directions", {}).items():
                rows.update({(section, f, lang): v for f, v in fields.items()})
            if part.get("case_notes"):
                rows[("case_notes", "case_notes", lang)] = part["case_notes"]
        return rows
    a, b = flat(old), flat(new)
    return [{"section": s, "field": f, "lang": lang} for (s, f, lang) in sorted(set(a) | set(b))
            if a.get((s, f, lang), "") != b.get((s, f, lang), "")]


class BriefingTexts:
    def __init__(self, engine: Engine):
        self.engine = engine

    def rows(self, quarter: str, principal: Principal) -> dict[tuple[str, str, str], str]:
        """(section, field, lang) -> text of the quarter; every signed-in role may read what a brief will say."""
        del principal  # briefs are national documents: every role reads them in full
        t = BriefingText.__table__
        with self.engine.connect() as conn:
            found = conn.execute(select(t.c.section, t.c.field, t.c.lang, t.c.text)
                                 .where(t.c.quarter == _check_quarter(quarter))).all()
        return {(s, f, lang): text for s, f, lang, text in found}

    def frozen(self, quarter: str, principal: Principal) -> dict:
        return staff_payload(self.rows(quarter, principal))

    def save(self, quarter: str, texts: dict[tuple[str, str, str], str], *, principal: Principal,
             now: dt.datetime) -> int:
        """Replace the quarter's texts with `texts` (administrators and editors). Returns the number kept."""
        principal.require_brief_writer()
        _check_quarter(quarter)
        valid = {(s, f) for s, f in text_keys()}
        rows = []
        for (section, field, lang), text in texts.items():
            if (section, field) not in valid or lang not in LANGS:
                raise BriefTextError(f"no text {section}/{field}/{lang} in a brief")
            text = (text or "").replace("\r\n", "\n").strip()
            if len(text) > MAX_CHARS:
                raise BriefTextError(f"{section}/{field}/{lang} is longer than {MAX_CHARS} characters")
            if text:
                rows.append({"quarter": quarter, "section": section, "field": field, "lang": lang, "text": text,
                             "updated_by": principal.name, "updated_at": now})
        t = BriefingText.__table__
        with self.engine.begin() as conn:  # one transaction: readers see the old set or the new one
            conn.execute(delete(t).where(t.c.quarter == quarter))
            if rows:
                conn.execute(insert(t), rows)
        return len(rows)
