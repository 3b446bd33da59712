"""Time-series charts: one panel per facet so unlike units never share an axis."""
from __future__ import annotations

import datetime as dt
import functools
import json

import pandas as pd
from plotly.subplots import make_subplots

from figures.base import PALETTE, base_layout, empty_figure, figure
from figures.partial import cut_to_data, split_partial_line

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
                       empty_message: str = "", height: int | None = None, tick_format: str = "%Y-%m",
                       grain: str = "month", data_end: dt.date | None = None, partial_label: str = "") -> dict:
    """Lines over periods. `df`: metric, [category], period, label, value, direction, measure (unit kind).

    `names` maps line keys (metric ids, or categories when split by category) to display names;
    `facet_titles` maps facet keys (see facet_keys) to panel titles. Annotations: day, text.
    `data_end`: the last day the data cover (the query's data end, or the window's end if earlier); periods
    after it are left out and the period it cuts is drawn partial, labelled `partial_label` ("to 4 Dec").
    """
    df, partial_start = cut_to_data(df, data_end, grain)
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
    traces, partial_notes = [], []
    for row, facet in enumerate(facets, start=1):
        part = df[keys == facet]
        axis = "" if row == 1 else str(row)
        for line, series in part.groupby(line_col, sort=False):
            series = series.sort_values("period")
            hover = list(series["label"])
            if partial_start is not None and partial_label:
                hover[-1] = f"{hover[-1]} ({partial_label})"
            traces += split_partial_line({
                "type": "scatter", "x": list(series["period"]), "y": list(series["value"]),
                "mode": "lines+markers" if len(series) < 40 else "lines",
                "name": names.get(line, line), "legendgroup": line, "showlegend": line not in shown,
                "line": {"color": colour_of[line], "width": 2}, "marker": {"size": 5},
                "customdata": hover,
                "hovertemplate": "%{customdata}: %{y:,}<extra>%{fullData.name}</extra>",
                "xaxis": f"x{axis}", "yaxis": f"y{axis}"}, partial_start)
            shown.add(line)
        if partial_start is not None and partial_label:
            last = part[pd.to_datetime(part["period"]) == partial_start]["value"]
            partial_notes.append({"x": partial_start, "y": float(last.max()), "xref": f"x{axis}", "yref": f"y{axis}",
                                  "text": partial_label, "showarrow": False, "yanchor": "bottom", "xanchor": "right",
                                  "yshift": 6, "font": {"size": 11, "color": "#4b5563"}})
    # Event lines on every panel; their labels staggered in rows so that close events never overlap.
    shapes = []
    notes = (annotations if annotations is not None else pd.DataFrame()).to_dict("records")
    for note in notes:
        day = pd.Timestamp(note["day"])
        for n in range(1, len(facets) + 1):
            axis = "" if n == 1 else str(n)
            shapes.append({"type": "line", "x0": day.timestamp() * 1000, "x1": day.timestamp() * 1000,
                           "xref": f"x{axis}", "y0": 0, "y1": 1, "yref": f"y{axis} domain",
                           "line": {"dash": "dot", "color": "#9ca3af"}})
    labels = event_labels(notes, pd.to_datetime(df["period"]).min(), pd.to_datetime(df["period"]).max())
    layout["annotations"] = titles + labels + partial_notes
    if shapes:
        layout["shapes"] = shapes
    return figure(traces, layout)


LABEL_ROWS = 3
ROW_HEIGHT = 18  # px between label rows (a label with its background is 17 px tall at size 11)
CHAR_SHARE = 0.012  # of the x span a Chinese character of a label takes, about (12 px on a 1,000 px wide chart)


def _text_width(text: str) -> float:
    """In Chinese characters: Latin letters and digits take about half as much."""
    return sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in text)


def event_labels(notes: list[dict], first: pd.Timestamp, last: pd.Timestamp) -> list[dict]:
    """One horizontal label per event at the top of the first panel, each in the first of LABEL_ROWS rows
    where it clears the label before it; one that fits no row is a marker whose text shows on hover."""
    span = max((last - first).days, 1)
    row_free = [None] * LABEL_ROWS  # the day each row is free again
    out = []
    for note in sorted(notes, key=lambda n: pd.Timestamp(n["day"])):
        day = pd.Timestamp(note["day"])
        width = pd.Timedelta(days=span * CHAR_SHARE * (_text_width(str(note["text"])) + 1))
        row = next((i for i, free in enumerate(row_free) if free is None or day >= free), None)
        label = {"x": day, "y": 1.0, "yref": "paper", "showarrow": False, "xanchor": "left", "yanchor": "top",
                 "hovertext": note["text"], "font": {"size": 11, "color": "#6b7280"},
                 "bgcolor": "rgba(255,255,255,0.8)"}
        if row is None:
            out.append(label | {"text": "●", "yshift": -ROW_HEIGHT * LABEL_ROWS, "font": {"size": 8, "color": "#9ca3af"}})
            continue
        row_free[row] = day + width
        out.append(label | {"text": note["text"], "yshift": -ROW_HEIGHT * row})
    return out


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
