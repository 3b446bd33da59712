"""Peer comparison charts: percentile on every metric, and one metric against the peer band."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from figures.base import FONT_SIZE, base_layout, empty_figure, figure, label_margin, vline
from figures.partial import cut_to_data, split_partial_line

RATE_COLOURS = {"total": "#1f5fa8", "per_capita": "#d9822b", "per_gdp": "#2e9e6b"}
RATE_SYMBOLS = {"total": "circle", "per_capita": "diamond", "per_gdp": "square"}


def build_percentile_figure(df: pd.DataFrame, *, metric_names: dict[str, str], rate_names: dict[str, str],
                            title: str | None, empty_message: str = "") -> dict:
    """Dots at each metric's national percentile, one colour per rate. `df`: metric, rate, percentile, rank, of."""
    if df.empty:
        return empty_figure(empty_message or title or "")
    order = list(dict.fromkeys(df["metric"]))[::-1]
    # Plain dict lookups: reindexing the wide compare frame once per rate cost more than the figure.
    cell = {(r["rate"], r["metric"]): r for r in df[["metric", "rate", "percentile", "rank", "of"]].to_dict("records")}
    traces = []
    for rate in dict.fromkeys(df["rate"]):
        part = [cell[(rate, m)] for m in order if (rate, m) in cell and pd.notna(cell[(rate, m)]["percentile"])]
        traces.append({
            "type": "scatter", "x": [r["percentile"] for r in part],
            "y": [metric_names.get(r["metric"], r["metric"]) for r in part], "mode": "markers",
            "name": rate_names.get(rate, rate),
            "marker": {"size": 11, "color": RATE_COLOURS.get(rate), "symbol": RATE_SYMBOLS.get(rate, "circle")},
            "customdata": [[int(r["rank"]), int(r["of"])] for r in part],
            "hovertemplate": "%{y}: P%{x:.0f} (%{customdata[0]}/%{customdata[1]})<extra>%{fullData.name}</extra>"})
    layout = base_layout(title=title, height=80 + 28 * len(order), hovermode="closest",
                         margin={"l": label_margin([metric_names.get(m, m) for m in order], FONT_SIZE), "r": 20,
                                 "t": 50 if title else 10, "b": 60},
                         shapes=[vline(50, dash="dot", colour="#9ca3af")],
                         xaxis={"range": [0, 102], "ticksuffix": "", "dtick": 25})
    return figure(traces, layout)


def build_peer_band_figure(df: pd.DataFrame, *, own_name: str, band_name: str, median_name: str,
                           value_title: str, empty_message: str = "", grain: str = "month",
                           data_end: dt.date | None = None, partial_label: str = "") -> dict:
    """The unit's line against its peers' 25th-75th percentile band and median. `df`: [period,] label, p25,
    median, p75, own. With `data_end` (and a period column), periods after it are left out and the period it cuts
    is drawn partial: the unit's line dotted to a hollow point, its label naming the last day ("to 4 Dec")."""
    df, partial_start = cut_to_data(df, data_end, grain)
    if df.empty:
        return empty_figure(empty_message or value_title)
    labels = list(df["label"])
    if partial_start is not None and partial_label:
        labels[-1] = f"{labels[-1]} ({partial_label})"
    own = {"type": "scatter", "x": labels, "y": list(df["own"]), "mode": "lines+markers", "name": own_name,
           "line": {"color": "#d9822b", "width": 3}, "hovertemplate": "%{y:,.2f}"}
    if partial_start is not None:
        # split on the periods, then put the category labels back in their place
        label_of = dict(zip(df["period"], labels))
        own_traces = [{**tr, "x": [label_of[x] for x in tr["x"]]} for tr in split_partial_line(
            {**own, "x": list(df["period"]), "customdata": labels, "xaxis": "x", "yaxis": "y"}, partial_start)]
    else:
        own_traces = [own]
    x = labels
    traces = [
        {"type": "scatter", "x": x, "y": list(df["p75"]), "mode": "lines", "line": {"width": 0},
         "showlegend": False, "hoverinfo": "skip"},
        {"type": "scatter", "x": x, "y": list(df["p25"]), "mode": "lines", "line": {"width": 0}, "fill": "tonexty",
         "fillcolor": "rgba(31,95,168,0.15)", "name": band_name, "hoverinfo": "skip"},
        {"type": "scatter", "x": x, "y": list(df["median"]), "mode": "lines", "name": median_name,
         "line": {"dash": "dash", "color": "#1f5fa8"}, "hovertemplate": "%{y:,.2f}"},
        *own_traces,
    ]
    layout = base_layout(height=360, hovermode="x unified", xaxis={"type": "category", "nticks": 8},
                         yaxis={"title": {"text": value_title}, "rangemode": "tozero"})
    return figure(traces, layout)
