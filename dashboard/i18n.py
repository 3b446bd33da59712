"""Interface strings in Chinese (default) and English, from dashboard/messages.yaml through metrics.i18n.

Metric, direction, unit and category names come from metrics.api.
"""
from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

from metrics.api import CATEGORIES, DEFAULT_LANG, DIRECTIONS, LANGS, METRICS, Messages, localized

MESSAGES = Messages.from_yaml(Path(__file__).with_name("messages.yaml"))

__all__ = ["DEFAULT_LANG", "LANGS", "MESSAGES", "t", "metric_name", "direction_name", "category_name", "known",
           "partial_label", "join_names", "published_figure"]


def t(key: str, lang: str, **fields: object) -> str:
    return MESSAGES.t(key, lang, **fields)


def metric_name(metric_id: str, lang: str) -> str:
    return localized(METRICS[metric_id], lang)


def direction_name(number: int, lang: str) -> str:
    return localized(next(d for d in DIRECTIONS if int(d.number) == int(number)), lang)


def category_name(category: str, lang: str) -> str:
    if category not in CATEGORIES:
        return t("uncategorised", lang)
    en, zh = CATEGORIES[category]
    return {"en": en, "zh": zh}[lang]


def known(key: str) -> bool:
    return key in MESSAGES


def partial_label(day: dt.date, lang: str) -> str:
    """What a period cut short by the data says of itself: "截至12月4日" / "to 4 Dec"."""
    return t("partial_to", lang, month=day.month, day=day.day, month_name=calendar.month_abbr[day.month])


def join_names(names, lang: str) -> str:
    """A list of names in running text: 甲、乙 / A, B."""
    return ("、" if lang == "zh" else ", ").join(names)


def long_date(day: dt.date, lang: str) -> str:
    return t("long_date", lang, year=day.year, month=day.month, day=day.day, month_name=calendar.month_abbr[day.month])


def published_figure(metric_id: str, as_of: dt.date, lang: str) -> str:
    """A published figure in the report's own words: "通报口径：超过4500条（截至2025年11月30日）" (GB/T 15835: no
    thousands separator in Chinese text; amounts in 亿元 / billion yuan)."""
    metric = METRICS[metric_id]
    value = int(metric.published_over)
    if metric.unit == "yuan":
        n = value / (1e8 if lang == "zh" else 1e9)
        figure = t("published_amount", lang, n=f"{n:.2f}".rstrip("0").rstrip("."))
    else:
        figure = t("published_count", lang, n=str(value) if lang == "zh" else f"{value:,}", measure=metric.measure_zh)
    return t("published_figure", lang, figure=figure, date=long_date(as_of, lang))
