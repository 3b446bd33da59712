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
           "partial_label", "join_names"]


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
