"""A one-line text alternative for any chart, read from the figure itself (its traces), so every chart gets
one without per-page code and it can never disagree with what is drawn.

Three shapes cover the app's charts: a series over dates (total, peak, latest), bars or points over
categories (highest and lowest), and a heatmap such as the tile map (highest and lowest tile).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from numbers import Number

from dashboard.i18n import t

_TAG = re.compile(r"<[^>]+>")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def summarise_figure(figure: dict | None, lang: str, title: str = "") -> str:
    """`figure`: a figure dict as dcc.Graph holds it. `title`: the chart's heading, used when traces have no name
    (then the figure's own title, its colour-bar title, or the word "chart")."""
    figure = figure or {}
    layout = figure.get("layout") or {}
    traces = [tr for tr in figure.get("data") or [] if tr.get("visible", True) is not False]
    name = _name(traces[0] if traces else {}, layout, title) or t("chart_alt_chart", lang)
    if not traces:
        notes = [_plain(a.get("text", "")) for a in layout.get("annotations") or [] if a.get("text")]
        return t("chart_alt_empty", lang, name=name, message=" ".join(notes) or t("no_data", lang))
    first = traces[0]
    text = _heatmap(first, name, lang) if first.get("type") == "heatmap" else _xy(first, layout, name, lang)
    series = {tr.get("name") for tr in traces if tr.get("type") != "heatmap"}
    more = len(series) - 1 if len(series) > 1 else 0
    return text + (t("chart_alt_more", lang, count=more) if more else "")


def _name(trace: dict, layout: dict, title: str) -> str:
    heading = layout.get("title")
    heading = heading.get("text") if isinstance(heading, dict) else heading
    bar = ((trace.get("colorbar") or {}).get("title") or {})
    bar = bar.get("text") if isinstance(bar, dict) else bar
    return _plain(trace.get("name") or title or heading or bar or "")


def _plain(text) -> str:
    return " ".join(_TAG.sub(" ", str(text)).split())


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, Number):
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _fmt(value: float, suffix: str = "") -> str:
    return (f"{int(value):,}" if value == int(value) else f"{value:,.1f}") + suffix


def _day(value) -> str | None:
    """An x value as a date (ISO text or a date); None when it is not one."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, str) and _ISO_DAY.match(value):
        return value[:10]
    return None


def _xy(trace: dict, layout: dict, name: str, lang: str) -> str:
    horizontal = trace.get("orientation") == "h"
    labels, values = (trace.get("y"), trace.get("x")) if horizontal else (trace.get("x"), trace.get("y"))
    axis_ref = (trace.get("xaxis") if horizontal else trace.get("yaxis")) or ("x" if horizontal else "y")
    suffix = (layout.get(axis_ref[0] + "axis" + axis_ref[1:]) or {}).get("ticksuffix", "")
    points = [(label, v) for label, value in zip(labels or [], values or []) if (v := _number(value)) is not None]
    if not points:
        return t("chart_alt_empty", lang, name=name, message=t("no_data", lang))
    days = [_day(label) for label, _ in points]
    top = max(points, key=lambda p: p[1])
    if all(days):
        short = all(d.endswith("-01") for d in days)  # monthly (or quarterly) points: the month is enough
        when = {label: (d[:7] if short else d) for (label, _), d in zip(points, days)}
        return t("chart_alt_series", lang, name=name, start=when[points[0][0]], end=when[points[-1][0]],
                 total=_fmt(sum(v for _, v in points), suffix), peak_at=when[top[0]], peak=_fmt(top[1], suffix),
                 last=_fmt(points[-1][1], suffix))
    bottom = min(points, key=lambda p: p[1])
    return t("chart_alt_bars", lang, name=name, count=len(points), top=_plain(top[0]), top_value=_fmt(top[1], suffix),
             bottom=_plain(bottom[0]), bottom_value=_fmt(bottom[1], suffix))


def _heatmap(trace: dict, name: str, lang: str) -> str:
    z, text = trace.get("z") or [], trace.get("text") or []
    cells = []
    for r, row in enumerate(z):
        for c, value in enumerate(row or []):
            if (v := _number(value)) is None:
                continue
            label = text[r][c] if r < len(text) and c < len(text[r] or []) else ""
            cells.append((_plain(label) or f"{r + 1},{c + 1}", v))
    if not cells:
        return t("chart_alt_empty", lang, name=name, message=t("no_data", lang))
    top, bottom = max(cells, key=lambda p: p[1]), min(cells, key=lambda p: p[1])
    return t("chart_alt_cells", lang, name=name, count=len(cells), top=top[0], bottom=bottom[0])


def with_text_alternative(figure, langs=("zh", "en")):
    """The figure with its summary in each language under layout.meta, for the browser to show without another
    request (callbacks/chart_text.py). Anything but a whole figure (no_update, a Patch) passes unchanged."""
    if isinstance(figure, dict) and isinstance(figure.get("layout", {}), dict):
        layout = dict(figure.get("layout") or {})
        meta = layout.get("meta") if isinstance(layout.get("meta"), dict) else {}
        layout["meta"] = {**meta, "text_alternative": {lang: summarise_figure(figure, lang) for lang in langs}}
        return {**figure, "layout": layout}
    return figure
