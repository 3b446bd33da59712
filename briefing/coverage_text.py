"""The coverage section: who did not report, who reported zero, who had nothing to record, and stale sources.

"Not reported", "reported zero" and "no activity" are three statements; the snapshot's coverage lists are
disjoint, so a unit is never named in two of them (and the narrative's zero lists leave out the first).
"""
from __future__ import annotations

import datetime as dt

from briefing.story import bureau_codes, unit_name
from metrics.api import RETURN_CELLS as CELLS, get_unit
from briefing.wording import MESSAGES, day, names, t


def _months(content: dict, items: list[dict], lang: str) -> str:
    texts = []
    for item in items:
        month = dt.date.fromisoformat(item["month"] + "-01")
        texts.append(t("unit_month", lang, unit=unit_name(content, item["unit"], lang), year=month.year,
                       month=month.month, month_name=f"{month:%B}"))
    return names(texts, lang, what="months")


def _states(info: dict) -> dict[str, list[str]]:
    if "states" in info:
        return info["states"]
    # A snapshot frozen before the three states: its "missing" bureaus had no rows, which is no activity.
    periodic = [i["unit"] for i in (info.get("reporting") or {}).get("not_reported", [])]
    return {"not_reported": sorted(set(periodic)), "reported_zero": [],
            "no_activity": [c for c in info.get("bureaus_missing", []) if c not in periodic]}


def system_notes(content: dict, system: str, info: dict, lang: str) -> list[str]:
    source = t(f"source.{system}", lang)
    states, reporting = _states(info), info.get("reporting") or {}
    as_of = content["as_of"]
    notes = []
    missing = states["not_reported"]
    if missing and len(missing) == len(bureau_codes(content)):
        notes.append(t("coverage.source_missing", lang, source=source, date=day(as_of, lang)))
    elif missing:
        months = _months(content, reporting.get("not_reported", []), lang) or names(
            [unit_name(content, c, lang) for c in missing], lang)
        notes.append(t("coverage.not_reported", lang, source=source, count=len(missing), months=months,
                       units=names([unit_name(content, c, lang) for c in missing], lang)))
    for state in ("reported_zero", "no_activity"):
        if states[state]:
            notes.append(t(f"coverage.{state}", lang, source=source, count=len(states[state]),
                           units=names([unit_name(content, c, lang) for c in states[state]], lang)))
    if reporting.get("late"):
        notes.append(t("coverage.late", lang, source=source, count=len(reporting["late"]),
                       months=_months(content, reporting["late"], lang)))
    last = info.get("last_day_with_data")
    if not missing or len(missing) < len(bureau_codes(content)):
        if last is None or (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(last)).days > 7:
            when = day(last, lang) if last else t("coverage.no_data_day", lang)
            notes.append(t("coverage.stale_data", lang, source=source, date=when))
    return notes


def unit_period(item: dict, lang: str) -> str:
    """'广州2025年10月' / 'Guangzhou October 2025' (a quarter: '广州 2025Q4')."""
    name = get_unit(item["unit"]).name(lang)
    if len(item["period"]) == 7:
        month = dt.date.fromisoformat(item["period"] + "-01")
        return t("unit_month", lang, unit=name, year=month.year, month=month.month, month_name=f"{month:%B}")
    return f"{name} {item['period']}"


def return_notes(system: str, info: dict, lang: str) -> list[str]:
    """Per return type feeding the system: one line per coverage cell that holds any unit-period."""
    source = t(f"source.{system}", lang)
    notes = []
    for frozen in (info.get("returns") or {}).values():
        for cell in CELLS:
            items = frozen["cells"].get(cell, [])
            if items:
                notes.append(t(f"coverage.return_{cell}", lang, source=source, count=len(items),
                               units=names([unit_period(i, lang) for i in items], lang, limit=12, what="months")))
    return notes


def coverage_notes(content: dict, freshness: list[dict], lang: str) -> list[str]:
    notes = [n for system, info in content["coverage"].items() for n in system_notes(content, system, info, lang)]
    notes += [n for system, info in content["coverage"].items() for n in return_notes(system, info, lang)]
    for row in freshness:
        if row["stale"]:
            source = t(f"source.{row['source']}", lang) if f"source.{row['source']}" in MESSAGES else row["source"]
            notes.append(t("coverage.overdue", lang, source=source, status=row["status"]))
    return notes or [t("coverage.all_ok", lang)]

