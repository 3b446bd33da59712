"""The brief's one formatting layer: every figure, change and list in its text is worded here, from the
brief's message catalog (messages.yaml) and the metric catalog frozen in the snapshot.

Chinese follows GB/T 15835 (no thousands separators in running text: "1428条", "超过4500条", "逾210亿元",
"20.16万人次"); changes are words ("环比下降13.1%", "同比增长11.9%", "与上季度同期持平"); English plurals come
from CLDR rules through metrics.i18n (never "(s)"). Pure functions; no I/O.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from metrics.api import MIN_BASE, Messages, pct_change

from briefing.narrative import amount_text, date_text, floor_figure, range_text

MESSAGES = Messages.from_yaml(Path(__file__).with_name("messages.yaml"))
ZH_QUARTERS = "一二三四"
WAN, YI = 10_000, 100_000_000


def t(key: str, lang: str, **fields: object) -> str:
    return MESSAGES.t(key, lang, **fields)


def number(value: int, lang: str) -> str:
    """An exact count in running text: 1428 / 20.16万 (zh, GB/T 15835); 1,428 / 201,583 (en)."""
    value = int(value)
    if lang == "zh":
        return f"{_decimal(value / WAN)}万" if value >= 10 * WAN else str(value)
    return f"{value:,}"


def _decimal(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def amount(value: int, lang: str) -> str:
    """An exact-enough amount: 2.79亿元 / 1654.64万元 (zh, no separators) / 278.54 million yuan (en)."""
    value = int(value)
    if lang != "zh":
        return amount_text(value, lang)
    if value >= YI:
        return t("yuan", lang, figure=f"{value / YI:.2f}亿")
    return t("yuan", lang, figure=f"{value / WAN:.2f}万" if value >= WAN else str(value))


def _official_number(value: int, lang: str, *, amount: bool = False) -> str:
    """The floored "over" number without its unit: 超过4500 / 逾210亿 / over 4,500 / over 21 billion."""
    floored = floor_figure(value)
    if lang == "zh":
        text = (f"{_decimal(floored / YI)}亿" if floored >= YI else
                f"{_decimal(floored / WAN)}万" if floored >= WAN else str(floored))
    else:
        text = next((f"{_decimal(floored / size)} {word}" for size, word in ((10**9, "billion"), (10**6, "million"))
                     if floored >= size), f"{floored:,}")
    return text if floored == value else t("over_amount" if amount else "over", lang, figure=text)


def metric_figure(meta: dict, value: int, lang: str, *, official: bool = False, paired: bool = False) -> str:
    """A metric with its figure, worded from the catalog: "制修订制度文件超过160件", "涉案金额逾210亿元",
    "over 160 regulatory documents issued or revised", "1 major case (100 million yuan or more)"."""
    value = int(value)
    if meta["unit"] == "yuan":
        figure = t("yuan", lang, figure=_official_number(value, lang, amount=True)) if official else amount(value, lang)
        return t("amount_paired", lang, figure=figure) if paired else t(f"metric.{meta['id']}", lang, figure=figure)
    figure = _official_number(value, lang) if official else number(value, lang)
    return t(f"metric.{meta['id']}", lang, figure=figure, count=value)


def unit_figure(meta: dict, value: int, lang: str) -> str:
    """A figure with its measure word and no metric name, for bracketed lists: 7条 / 20.16万人次 / 7."""
    if meta["unit"] == "yuan":
        return amount(value, lang)
    return t(f"measure.{meta['id']}", lang, figure=number(value, lang), count=int(value))


def pct(value: float) -> str:
    return f"{abs(value):.1f}"


def change(value: int, base: int, unit: str, against: str, lang: str) -> str | None:
    """"环比下降13.1%" / "同比持平" / "down 13.1% on the previous quarter"; None on a small base (the
    methodology note says once that such changes are left out)."""
    p = pct_change(value, base, unit)
    if p is None:
        return None
    kind = "flat" if abs(p) < 0.05 else "up" if p > 0 else "down"
    return t(f"change.{against}.{kind}", lang, pct=pct(p))


def changes(value: int, previous: int, year_ago: int, unit: str, lang: str) -> str:
    """Both comparisons joined ("环比下降13.1%、同比增长11.9%"), or "" when both bases are small."""
    parts = [c for c in (change(value, previous, unit, "qoq", lang), change(value, year_ago, unit, "yoy", lang)) if c]
    return t("list_sep", lang).join(parts)


def share(part: int, total: int) -> str:
    return f"{part / total * 100:.1f}"


def names(items: list[str], lang: str, *, limit: int = 8, what: str = "bureaus") -> str:
    """"辽宁、吉林" / "Liaoning, Jilin"; beyond `limit`: "北京、天津…等12个监管局" / "Beijing, … and 4 more"."""
    shown = t("list_sep", lang).join(items[:limit])
    if len(items) <= limit:
        return shown
    return t(f"more_{what}", lang, shown=shown, count=len(items), more=len(items) - limit)


def quarter_name(label: str, lang: str) -> str:
    year, q = label.split("Q")
    return t("quarter_name", lang, year=year, q=q, q_zh=ZH_QUARTERS[int(q) - 1])


def day(text: str | dt.date, lang: str) -> str:
    return date_text(text if isinstance(text, dt.date) else dt.date.fromisoformat(text), lang)


def span(start: str, end: str, lang: str) -> str:
    return range_text(dt.date.fromisoformat(start), dt.date.fromisoformat(end), lang)


def min_base(unit: str, lang: str) -> str:
    return number(MIN_BASE[unit], lang)
