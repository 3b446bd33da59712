"""Overview charts: KPI sparklines and progress against the published national figures."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.base import base_layout, empty_figure
from dashboard.formatting import format_amount


def build_sparkline_figure(df: pd.DataFrame, *, colour: str = "#1f5fa8", height: int = 48) -> go.Figure:
    """A bare line of `value` over `label` (one metric's series), for a KPI card.

    Built in one go (data and the whole layout to the constructor): a page draws fifteen of these, and each
    update_* call re-validates the figure. No theme template: with hidden axes and explicit colours it changes
    nothing on screen, and the default one would add ~7 KB of JSON to each of the fifteen.
    """
    layout = base_layout(height=height, margin={"l": 0, "r": 0, "t": 2, "b": 2}, showlegend=False, hovermode="x",
                         template="none")
    if df.empty:
        return go.Figure(layout=layout)
    layout.update(xaxis={"visible": False, "fixedrange": True},
                  yaxis={"visible": False, "fixedrange": True, "rangemode": "tozero"})
    line = go.Scatter(x=list(df["label"]), y=list(df["value"]), mode="lines", line={"color": colour, "width": 1.6},
                      fill="tozeroy", fillcolor="rgba(31,95,168,0.08)", hovertemplate="%{x}: %{y:,}<extra></extra>")
    return go.Figure([line], layout=layout)


def build_progress_figure(df: pd.DataFrame, *, lang: str, title: str | None, height: int | None = None) -> go.Figure:
    """Bars of each metric's value as a share of its published figure, with the 100% line.

    `df`: name, unit, value, published_over (one row per metric that has a published figure).
    """
    if df.empty:
        return empty_figure(title or "")
    rows = df.iloc[::-1]  # first metric on top
    share = (rows["value"] / rows["published_over"] * 100).round(1)
    text = [f"{format_amount(v, lang, u)} / {format_amount(p, lang, u)}"
            for v, p, u in zip(rows["value"], rows["published_over"], rows["unit"])]
    colours = ["#2e9e6b" if s > 100 else "#1f5fa8" for s in share]
    fig = go.Figure(go.Bar(x=list(share), y=list(rows["name"]), orientation="h", text=text,
                           textposition="auto", marker_color=colours,
                           hovertemplate="%{y}: %{x:.1f}%<extra></extra>"),
                    layout=base_layout(title=title, height=height or 60 + 42 * len(rows),
                                       showlegend=False))
    fig.update_layout(margin={"l": 10, "r": 20, "t": 40 if title else 10, "b": 30})
    fig.add_vline(x=100, line_dash="dash", line_color="#b8404a")
    fig.update_xaxes(ticksuffix="%", rangemode="tozero")
    fig.update_yaxes(automargin=True)
    return fig
