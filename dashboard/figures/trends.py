"""Time-series charts: one panel per facet so unlike units never share an axis."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.base import PALETTE, base_layout, empty_figure

PANEL_HEIGHT = 230


def facet_keys(df: pd.DataFrame, split: str) -> pd.Series:
    """Which panel each row goes to: by unit kind, by direction and unit kind, or by metric."""
    if split == "category":
        return df["metric"]
    if split == "direction":
        return df["direction"].astype(str) + "|" + df["measure"]
    return df["measure"]


def build_trend_figure(df: pd.DataFrame, *, names: dict[str, str], facet_titles: dict[str, str],
                       split: str = "metric", annotations: pd.DataFrame | None = None,
                       empty_message: str = "", height: int | None = None, tick_format: str = "%Y-%m") -> go.Figure:
    """Lines over periods. `df`: metric, [category], period, label, value, direction, measure (unit kind).

    `names` maps line keys (metric ids, or categories when split by category) to display names;
    `facet_titles` maps facet keys (see facet_keys) to panel titles. Annotations: day, text.
    """
    if df.empty:
        return empty_figure(empty_message)
    keys = facet_keys(df, split)
    facets = list(dict.fromkeys(sorted(keys)))
    fig = make_subplots(rows=len(facets), cols=1, shared_xaxes=True, vertical_spacing=0.08 / max(len(facets), 1),
                        subplot_titles=[facet_titles.get(f, f) for f in facets])
    line_col = "category" if split == "category" else "metric"
    colour_of = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(dict.fromkeys(df[line_col]))}
    shown: set[str] = set()
    for row, facet in enumerate(facets, start=1):
        part = df[keys == facet]
        for line, series in part.groupby(line_col, sort=False):
            series = series.sort_values("period")
            fig.add_trace(go.Scatter(
                x=list(series["period"]), y=list(series["value"]),
                mode="lines+markers" if len(series) < 40 else "lines",
                name=names.get(line, line), legendgroup=line, showlegend=line not in shown,
                line={"color": colour_of[line], "width": 2}, marker={"size": 5},
                customdata=list(series["label"]), hovertemplate="%{customdata}: %{y:,}<extra>%{fullData.name}</extra>",
            ), row=row, col=1)
            shown.add(line)
    # Event lines on every panel and their labels go into the layout in one update: add_vline/add_annotation
    # re-validate the whole layout per call.
    shapes, labels = [], []
    for note in (annotations if annotations is not None else pd.DataFrame()).to_dict("records"):
        day = pd.Timestamp(note["day"])
        for n in range(1, len(facets) + 1):
            axis = "" if n == 1 else str(n)
            shapes.append({"type": "line", "x0": day.timestamp() * 1000, "x1": day.timestamp() * 1000,
                           "xref": f"x{axis}", "y0": 0, "y1": 1, "yref": f"y{axis} domain",
                           "line": {"dash": "dot", "color": "#9ca3af"}})
        labels.append({"x": day, "y": 1.0, "yref": "paper", "text": note["text"], "showarrow": False,
                       "textangle": -90, "xanchor": "right", "yanchor": "top",
                       "font": {"size": 11, "color": "#6b7280"}})
    fig.update_layout(base_layout(height=height or 80 + PANEL_HEIGHT * len(facets), hovermode="x unified"),
                      **({"shapes": shapes, "annotations": [*fig.layout.annotations, *labels]} if labels else {}))
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(tickformat=tick_format)
    return fig
