"""Peer comparison charts: percentile on every metric, and one metric against the peer band."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.base import base_layout, empty_figure

RATE_COLOURS = {"total": "#1f5fa8", "per_capita": "#d9822b", "per_gdp": "#2e9e6b"}
RATE_SYMBOLS = {"total": "circle", "per_capita": "diamond", "per_gdp": "square"}


def build_percentile_figure(df: pd.DataFrame, *, metric_names: dict[str, str], rate_names: dict[str, str],
                            title: str | None, empty_message: str = "") -> go.Figure:
    """Dots at each metric's national percentile, one colour per rate. `df`: metric, rate, percentile, rank, of."""
    if df.empty:
        return empty_figure(empty_message or title or "")
    order = list(dict.fromkeys(df["metric"]))[::-1]
    fig = go.Figure(layout=base_layout(title=title, height=80 + 28 * len(order), hovermode="closest",
                                       margin={"l": 10, "r": 20, "t": 50 if title else 10, "b": 60}))
    for rate, part in df.groupby("rate", sort=False):
        part = part.set_index("metric").reindex(order).dropna(subset=["percentile"])
        fig.add_trace(go.Scatter(
            x=list(part["percentile"]), y=[metric_names.get(m, m) for m in part.index], mode="markers",
            name=rate_names.get(rate, rate), marker={"size": 11, "color": RATE_COLOURS.get(rate),
                                                     "symbol": RATE_SYMBOLS.get(rate, "circle")},
            customdata=[[int(r), int(o)] for r, o in zip(part["rank"], part["of"])],
            hovertemplate="%{y}: P%{x:.0f} (%{customdata[0]}/%{customdata[1]})<extra>%{fullData.name}</extra>"))
    fig.add_vline(x=50, line_dash="dot", line_color="#9ca3af")
    fig.update_xaxes(range=[0, 102], ticksuffix="", dtick=25)
    fig.update_yaxes(automargin=True)
    return fig


def build_peer_band_figure(df: pd.DataFrame, *, own_name: str, band_name: str, median_name: str,
                           value_title: str, empty_message: str = "") -> go.Figure:
    """The unit's line against its peers' 25th-75th percentile band and median. `df`: label, p25, median, p75, own."""
    if df.empty:
        return empty_figure(empty_message or value_title)
    x = list(df["label"])
    fig = go.Figure(layout=base_layout(height=360, hovermode="x unified", yaxis_title=value_title))
    fig.add_trace(go.Scatter(x=x, y=list(df["p75"]), mode="lines", line={"width": 0}, showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=list(df["p25"]), mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor="rgba(31,95,168,0.15)", name=band_name, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=list(df["median"]), mode="lines", name=median_name,
                             line={"dash": "dash", "color": "#1f5fa8"}, hovertemplate="%{y:,.2f}"))
    fig.add_trace(go.Scatter(x=x, y=list(df["own"]), mode="lines+markers", name=own_name,
                             line={"color": "#d9822b", "width": 3}, hovertemplate="%{y:,.2f}"))
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(type="category", nticks=8)
    return fig
