"""The revision note as lines: only the figures and units that changed, display names, Beijing time."""
from __future__ import annotations

import datetime as dt

from metrics.api import TZ

from briefing.story import metric_meta, metric_name, unit_name
from briefing.wording import MESSAGES, t

NATION = "CN"


def beijing(iso: str | None) -> str:
    """An ISO timestamp (UTC when naive) as 2025-12-01 09:30 in Asia/Shanghai."""
    if not iso:
        return "—"
    moment = dt.datetime.fromisoformat(iso)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def scope_name(content: dict, scope: str, lang: str) -> str:
    if scope == NATION:
        return t("national", lang)
    return unit_name(content, scope, lang) if scope in content["units"] else scope


def source_name(source: str, lang: str) -> str:
    return t(f"source.{source}", lang) if f"source.{source}" in MESSAGES else source


def _cause(load: dict, changed: dict[str, set[str]], content: dict, lang: str) -> str | None:
    """A late load, naming only the metrics and units whose figures changed (not every unit it touched)."""
    meta = metric_meta(content)
    metrics = [m for m in load["metrics"] if m in changed]
    units = sorted({u for m in metrics for u in changed[m] if u != NATION} & set(load["bureaus"] or []))
    if load["evidence"] == "facts" and not metrics:
        return None
    sep = t("list_sep", lang)
    return t("revision.cause", lang, source=source_name(load["source"], lang),
             run=load["run_id"] if load["run_id"] is not None else t("revision.no_run", lang),
             finished=beijing(load["finished_at"]),
             units=sep.join(scope_name(content, u, lang) for u in units) or t("national", lang),
             metrics=sep.join(metric_name(meta[m], lang) for m in metrics or load["metrics"] if m in meta) or "—",
             first=load["first_day"] or "—", last=load["last_day"] or "—")


def revision_lines(note: dict | None, content: dict, lang: str, *, limit: int = 60) -> list[str]:
    """One line per changed figure, text changes, then the late loads that caused the figures to change."""
    if note is None:
        return [t("revision.first", lang)]
    prev = note["previous"]
    lines = [t("revision.head", lang, version=prev["version"], created=beijing(prev["created_at"]),
               hash=prev["content_hash"][:12])]
    if note["no_change"] and not note.get("text_changes"):
        lines.append(t("revision.no_change", lang))
    meta = metric_meta(content)
    for change in note["changes"][:limit]:
        m = meta.get(change["metric"])
        lines.append(t("revision.figure", lang, metric=metric_name(m, lang) if m else change["metric"],
                       scope=scope_name(content, change["scope"], lang), window=t(f"window.{change['window']}", lang),
                       old=f"{change['old']:,}", new=f"{change['new']:,}", delta=f"{change['delta']:+,}"))
    if len(note["changes"]) > limit:
        lines.append(t("revision.more", lang, count=len(note["changes"]) - limit))
    if note["series_points_changed"]:
        lines.append(t("revision.series", lang, count=note["series_points_changed"]))
    directions = {str(d["number"]): d["name_zh" if lang == "zh" else "name_en"] for d in content["catalog"]["directions"]}
    for section, field in dict.fromkeys((c["section"], c["field"]) for c in note.get("text_changes", [])):
        lines.append(t("revision.text_changed", lang, direction=directions.get(section, t("heading.case_notes", lang)),
                       field=t(f"heading.{field}", lang)))
    parts = [t(f"revision.part.{p}", lang) if f"revision.part.{p}" in MESSAGES else p for p in note["other_changes"]]
    if parts:
        lines.append(t("revision.other", lang, parts=t("list_sep", lang).join(parts)))
    changed: dict[str, set[str]] = {}
    for change in note["changes"]:
        changed.setdefault(change["metric"], set()).add(change["scope"])
    causes = [c for load in note["late_loads"] if (c := _cause(load, changed, content, lang))]
    lines.extend(causes)
    if note["changes"] and not causes:
        lines.append(t("revision.unexplained", lang))
    return lines
