"""Time-series charts: one panel per facet so unlike units never share an axis."""
from __future__ import annotations

import functools
import json

import pandas as pd
from plotly.subplots import make_subplots

from figures.base import PALETTE, base_layout, empty_figure, figure

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
                       empty_message: str = "", height: int | None = None, tick_format: str = "%Y-%m") -> dict:
    """Lines over periods. `df`: metric, [category], period, label, value, direction, measure (unit kind).

    `names` maps line keys (metric ids, or categories when split by category) to display names;
    `facet_titles` maps facet keys (see facet_keys) to panel titles. Annotations: day, text.
    """
    if df.empty:
        return empty_figure(empty_message)
    keys = facet_keys(df, split)
    facets = list(dict.fromkeys(sorted(keys)))
    layout = base_layout(height=height or 80 + PANEL_HEIGHT * len(facets), hovermode="x unified")
    grid = panel_grid(len(facets))
    for name, axis in grid.items():
        if name.startswith("xaxis"):
            axis["tickformat"] = tick_format
        elif name.startswith("yaxis"):
            axis["rangemode"] = "tozero"
    titles = grid.pop("annotations")
    for note, facet in zip(titles, facets):
        note["text"] = facet_titles.get(facet, facet)
    layout.update(grid)
    line_col = "category" if split == "category" else "metric"
    colour_of = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(dict.fromkeys(df[line_col]))}
    shown: set[str] = set()
    traces = []
    for row, facet in enumerate(facets, start=1):
        part = df[keys == facet]
        axis = "" if row == 1 else str(row)
        for line, series in part.groupby(line_col, sort=False):
            series = series.sort_values("period")
            traces.append({
                "type": "scatter", "x": list(series["period"]), "y": list(series["value"]),
                "mode": "lines+markers" if len(series) < 40 else "lines",
                "name": names.get(line, line), "legendgroup": line, "showlegend": line not in shown,
                "line": {"color": colour_of[line], "width": 2}, "marker": {"size": 5},
                "customdata": list(series["label"]),
                "hovertemplate": "%{customdata}: %{y:,}<extra>%{fullData.name}</extra>",
                "xaxis": f"x{axis}", "yaxis": f"y{axis}"})
            shown.add(line)
    # Event lines on every panel, and their labels beside the panel titles.
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
    layout["annotations"] = titles + labels
    if labels:
        layout["shapes"] = shapes
    return figure(traces, layout)


@functools.cache
def _panel_grid_json(rows: int) -> str:
    grid = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.08 / rows,
                         subplot_titles=["-"] * rows).to_plotly_json()["layout"]
    return json.dumps({k: v for k, v in grid.items() if k != "template"})


def panel_grid(rows: int) -> dict:
    """`rows` stacked panels sharing one x axis, as make_subplots lays them out: the axes (xaxis, yaxis2, ...)
    and one title annotation per panel. Made once per panel count (make_subplots costs more than the rest of
    the figure) and handed out as a fresh copy.
    """
    return json.loads(_panel_grid_json(rows))
