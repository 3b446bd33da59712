"""Shared look of every chart. Builders call these to get fresh dicts: nothing shared is ever mutated.

Builders return plain figure dicts (what dcc.Graph takes), not go.Figure objects: a go.Figure validates every
property on construction and on each add_*/update_* call, and deep-copies itself again to serialise, which
cost the callbacks more than their queries. The tests validate the dicts with go.Figure instead.
"""
from __future__ import annotations

import functools
import json
import math
import unicodedata

import plotly.io as pio

# Set explicitly so Chinese labels never fall back to tofu boxes, in the browser and in PNG exports.
CJK_FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
FONT_SIZE = 13  # px: the charts' text, the axes' labels too
PALETTE = ("#1f5fa8", "#d9822b", "#2e9e6b", "#b8404a", "#7a5cc2", "#8c6d31", "#3b9bb3", "#a64d8f",
           "#5f7f2f", "#c26b3b", "#4a4a8f", "#2f7f7f", "#9e2f5f", "#6b8e23", "#8b4513")
DIRECTION_COLOURS = {1: "#1f5fa8", 2: "#d9822b", 3: "#2e9e6b", 4: "#7a5cc2"}


def base_layout(*, title: str | None = None, height: int | None = None, **extra) -> dict:
    layout = {
        "font": {"family": CJK_FONT, "size": FONT_SIZE, "color": "#1d2433"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 60, "r": 20, "t": 50 if title else 20, "b": 40},
        "colorway": list(PALETTE),
        "hoverlabel": {"font": {"family": CJK_FONT}},
        "legend": {"orientation": "h", "y": -0.15},
    }
    if title:
        layout["title"] = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}}
    if height:
        layout["height"] = height
    layout.update(extra)
    return layout


def figure(data: list[dict], layout: dict) -> dict:
    """A figure dict in the theme go.Figure applies by default (plotly's default template)."""
    return {"data": data, "layout": {**layout, "template": json.loads(_theme_json())}}


@functools.cache
def _theme_json() -> str:
    return json.dumps(pio.templates[pio.templates.default].to_plotly_json())


def vline(x: float, *, dash: str, colour: str) -> dict:
    """A vertical line across the plot at `x`, as go.Figure.add_vline draws it."""
    return {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
            "line": {"dash": dash, "color": colour}}


def hline(y: float, *, dash: str, colour: str) -> dict:
    """A horizontal line across the plot at `y`, as go.Figure.add_hline draws it."""
    return {"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y, "yref": "y",
            "line": {"dash": dash, "color": colour}}


def empty_figure(message: str, *, height: int = 260) -> dict:
    note = {"text": message, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5,
            "font": {"size": 14, "color": "#6b7280"}}
    return figure([], base_layout(height=height, annotations=[note], xaxis={"visible": False},
                                  yaxis={"visible": False}))


def graph_config(filename: str) -> dict:
    """dcc.Graph config: the modebar camera button downloads a PNG named after the chart."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
            "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


# Widths in em of Noto Sans CJK's glyphs, rounded up: wide (CJK) characters, capitals, digits, spaces, the rest.
_EM = {"wide": 1.0, "upper": 0.68, "digit": 0.57, "space": 0.27, "other": 0.54}


def text_width(text: str, size: float) -> int:
    """Pixels `text` takes at font `size`, estimated from its characters (never less than drawn)."""
    def em(ch: str) -> float:
        if unicodedata.east_asian_width(ch) in "WF":
            return _EM["wide"]
        return _EM["upper" if ch.isupper() else "digit" if ch.isdigit() else "space" if ch.isspace() else "other"]
    return math.ceil(sum(em(ch) for ch in text) * size)


def label_margin(labels, size: float) -> int:
    """A left margin that fits the longest of `labels` (a y axis's category names) at font `size`.

    Plotly's `automargin` finds it by drawing the chart, measuring the labels and drawing it again: half of a
    36-bar ranking's draw time.
    """
    return 10 + max((text_width(str(label), size) for label in labels), default=0)
