"""Figures the way official reports write them: 超过4500条 / 逾210亿元 / "over 4,500" / "over 21 billion yuan".

Official figures are floored to two significant digits and said as "over" that floor, so the claim is
always true (4,563 -> over 4,500; 21.3 billion -> over 21 billion). When the floor equals the value the
figure is said exactly, and values under 100 are always exact: "over 40" for 47 reads as evasive.
Pure functions; no I/O.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

YI = 100_000_000  # 亿
WAN = 10_000  # 万


def floor_figure(value: int, digits: int = 2) -> int:
    """Floor a non-negative integer to `digits` significant digits (values under 100 stay as they are)."""
    value = int(value)
    if value < 100:
        return value
    step = 10 ** (len(str(value)) - digits)
    return value // step * step


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _zh_magnitude(value: int) -> str:
    if value >= YI:
        return f"{_plain(Decimal(value) / YI)}亿"
    if value >= WAN:
        return f"{_plain(Decimal(value) / WAN)}万"
    return str(value)


def _en_magnitude(value: int) -> str:
    for size, word in ((10**9, "billion"), (10**6, "million")):
        if value >= size:
            return f"{_plain(Decimal(value) / size)} {word}"
    return f"{value:,}"


def official_figure(value: int, unit: str, lang: str, measure_zh: str = "") -> str:
    """`unit` is count | people | yuan. zh: 超过4500条, 逾210亿元; en: over 4,500, over 21 billion yuan."""
    value = int(value)
    floored = floor_figure(value)
    over = floored < value
    if lang == "zh":
        suffix = "元" if unit == "yuan" else measure_zh
        prefix = ("逾" if unit == "yuan" else "超过") if over else ""
        return f"{prefix}{_zh_magnitude(floored)}{suffix}"
    text = _en_magnitude(floored) + (" yuan" if unit == "yuan" else "")
    return f"over {text}" if over else text


def amount_text(value: int, lang: str) -> str:
    """An exact-enough amount for running text: 12.35亿元 / 1.24 billion yuan (two decimals, not floored)."""
    value = int(value)
    if lang == "zh":
        if value >= YI:
            return f"{value / YI:,.2f}亿元"
        if value >= WAN:
            return f"{value / WAN:,.2f}万元"
        return f"{value:,}元"
    for size, word in ((10**9, "billion"), (10**6, "million")):
        if value >= size:
            return f"{value / size:,.2f} {word} yuan"
    return f"{value:,} yuan"


def figure_text(value: int, unit: str, lang: str, measure_zh: str = "") -> str:
    """The exact figure in running text: 312条 / 312; amounts via amount_text."""
    if unit == "yuan":
        return amount_text(value, lang)
    return f"{int(value):,}{measure_zh}" if lang == "zh" else f"{int(value):,}"


def pct_text(pct: float | None, lang: str) -> str:
    if pct is None:
        return "基数较小" if lang == "zh" else "small base"
    sign = "+" if pct > 0 else ("−" if pct < 0 else "±")
    return f"{sign}{abs(pct):.1f}%"


def change_phrase(pct: float | None, lang: str) -> str:
    """增长8.3% / 下降4.0% / 持平 ; up 8.3% / down 4.0% / flat."""
    if pct is None:
        return "基数较小、不计增幅" if lang == "zh" else "too small a base for a percentage"
    if abs(pct) < 0.05:
        return "持平" if lang == "zh" else "flat"
    if lang == "zh":
        return f"{'增长' if pct > 0 else '下降'}{abs(pct):.1f}%"
    return f"{'up' if pct > 0 else 'down'} {abs(pct):.1f}%"


def date_text(day: dt.date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%B} {day.year}"


def range_text(start: dt.date, end: dt.date, lang: str) -> str:
    """2025年10月1日至11月30日 / 1 October to 30 November 2025."""
    if lang == "zh":
        tail = f"{end.month}月{end.day}日" if start.year == end.year else date_text(end, lang)
        return f"{date_text(start, lang)}至{tail}"
    head = f"{start.day} {start:%B}" + ("" if start.year == end.year else f" {start.year}")
    return f"{head} to {date_text(end, lang)}"
