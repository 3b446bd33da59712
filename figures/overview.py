"""Overview charts: KPI sparklines and progress against the published national figures."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from figures.base import FONT_SIZE, base_layout, empty_figure, figure, label_margin, vline
from figures.formatting import format_amount
from figures.partial import cut_to_data


def build_sparkline_figure(df: pd.DataFrame, *, colour: str = "#1f5fa8", height: int = 48, grain: str = "month",
                           data_end: dt.date | None = None) -> dict:
    """A bare line of `value` over `label` (one metric's series), for a KPI card, as a plain figure dict.
    A last period that `data_end` cuts short is a dotted segment to a hollow point, not a drop.

    A page draws fifteen of these: a go.Figure each (validation, then a deep copy to serialise) cost more than
    the page's queries. No theme template: with hidden axes and explicit colours it changes nothing on screen.
    """
    layout = base_layout(height=height, margin={"l": 0, "r": 0, "t": 2, "b": 2}, showlegend=False, hovermode="x")
    df, partial = cut_to_data(df, data_end, grain) if "period" in df else (df, None)
    if df.empty:
        return {"data": [], "layout": layout}
    layout.update(xaxis={"visible": False, "fixedrange": True},
                  yaxis={"visible": False, "fixedrange": True, "rangemode": "tozero"})
    line = {"type": "scatter", "x": df["label"].tolist(), "y": df["value"].tolist(),
            "mode": "lines", "line": {"color": colour, "width": 1.6}, "fill": "tozeroy",
            "fillcolor": "rgba(31,95,168,0.08)", "hovertemplate": "%{x}: %{y:,}<extra></extra>"}
    if partial is None or len(df) < 2:
        return {"data": [line], "layout": layout}
    whole = {**line, "x": line["x"][:-1], "y": line["y"][:-1]}
    last = {**line, "x": line["x"][-2:], "y": line["y"][-2:], "mode": "lines+markers", "fill": "none",
            "line": {"color": colour, "width": 1.6, "dash": "dot"},
            "marker": {"size": [0, 6], "symbol": "circle-open", "color": colour}}
    return {"data": [whole, last], "layout": layout}


def build_progress_figure(df: pd.DataFrame, *, lang: str, title: str | None, height: int | None = None) -> dict:
    """Bars of each metric's value as a share of its published figure, with the 100% line.

    `df`: name, unit, value, published_over (one row per metric that has a published figure), and optionally
    `text`, each bar's words (the caller words the published figure as the report does).
    """
    if df.empty:
        return empty_figure(title or "")
    rows = df.iloc[::-1]  # first metric on top
    share = (rows["value"] / rows["published_over"] * 100).round(1)
    text = list(rows["text"]) if "text" in rows else [
        f"{format_amount(v, lang, u)} / {format_amount(p, lang, u)}"
        for v, p, u in zip(rows["value"], rows["published_over"], rows["unit"])]
    colours = ["#2e9e6b" if s > 100 else "#1f5fa8" for s in share]
    bars = {"type": "bar", "x": list(share), "y": list(rows["name"]), "orientation": "h", "text": text,
            "textposition": "auto", "insidetextanchor": "start",  # clear of the 100% line near the bars' ends
            "marker": {"color": colours}, "hovertemplate": "%{y}: %{x:.1f}%<extra></extra>"}
    layout = base_layout(title=title, height=height or 60 + 42 * len(rows), showlegend=False,
                         margin={"l": label_margin(bars["y"], FONT_SIZE), "r": 20, "t": 40 if title else 10,
                                 "b": 30},
                         shapes=[vline(100, dash="dash", colour="#b8404a")],
                         xaxis={"ticksuffix": "%", "rangemode": "tozero"})
    return figure([bars], layout)
