"""Numbers as readers expect them: 万/亿 in Chinese, million/billion in English, grouping by babel."""
from __future__ import annotations

import math

from babel.numbers import format_decimal

_LOCALE = {"zh": "zh_Hans_CN", "en": "en"}
_UNIT_SUFFIX = {"zh": {"yuan": "元", "people": "人次", "count": ""},
                "en": {"yuan": " yuan", "people": " people", "count": ""}}


def _group(value: float, lang: str, digits: int = 0) -> str:
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_LOCALE.get(lang, "en"))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_amount(value: float | int | None, lang: str, unit: str = "count") -> str:
    """A headline number: 210.3亿元 / 21.0 billion yuan; small counts stay whole (4,512)."""
    if _missing(value):
        return "—"
    suffix = _UNIT_SUFFIX.get(lang, _UNIT_SUFFIX["en"]).get(unit, "")
    v = float(value)
    a = abs(v)
    if lang == "zh":
        # Counts read naturally in full up to 100,000; amounts and people switch to 万 earlier.
        wan_from = 100_000 if unit == "count" else 10_000
        if a >= 1e8:
            return f"{_group(v / 1e8, lang, 2)}亿{suffix}"
        if a >= wan_from:
            return f"{_group(v / 1e4, lang, 1)}万{suffix}"
        return f"{_group(v, lang, 0 if float(v).is_integer() else 1)}{suffix}"
    if a >= 1e9:
        return f"{_group(v / 1e9, lang, 2)} billion{suffix}"
    if a >= 1e6:
        return f"{_group(v / 1e6, lang, 2)} million{suffix}"
    return f"{_group(v, lang, 0 if float(v).is_integer() else 1)}{suffix}"


def format_rate(value: float | None, lang: str) -> str:
    """A rate per 10 million residents or per 100 billion yuan of GDP: a few significant digits."""
    if _missing(value):
        return "—"
    digits = 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0
    return _group(round(float(value), digits), lang, digits)


def format_pct(value: float | None, lang: str) -> str:
    """A signed percentage change; None (base too small) shows as a dash, never as 0%."""
    if _missing(value):
        return "—"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{_group(abs(value), lang, 1)}%"


def format_gap(value: float | None, lang: str, *, unit: str, rate: str = "total") -> str:
    """A signed difference in the metric's own unit: +1.2亿元 / −3.4 million yuan / +12 / −0.35 (a count rate)."""
    if _missing(value):
        return "—"
    v = float(value)
    if v == 0:
        return "0"
    body = format_rate(abs(v), lang) if unit == "count" and rate != "total" else format_amount(abs(v), lang, unit)
    return ("+" if v > 0 else "−") + body


def format_percentile(value: float | None, lang: str) -> str:
    if _missing(value):
        return "—"
    return f"P{round(value):d}" if lang == "en" else f"{round(value):d}%分位"


def format_value(value, lang: str, *, unit: str, rate: str = "total") -> str:
    """Total amounts in 万/亿 or million/billion; per-capita and per-GDP rates as plain decimals."""
    return format_amount(value, lang, unit) if rate == "total" else format_rate(value, lang)
