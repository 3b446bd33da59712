"""Shared look of every chart. Builders call these to get fresh dicts: nothing shared is ever mutated."""
from __future__ import annotations

import plotly.graph_objects as go

# Set explicitly so Chinese labels never fall back to tofu boxes, in the browser and in PNG exports.
CJK_FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
PALETTE = ("#1f5fa8", "#d9822b", "#2e9e6b", "#b8404a", "#7a5cc2", "#8c6d31", "#3b9bb3", "#a64d8f",
           "#5f7f2f", "#c26b3b", "#4a4a8f", "#2f7f7f", "#9e2f5f", "#6b8e23", "#8b4513")
DIRECTION_COLOURS = {1: "#1f5fa8", 2: "#d9822b", 3: "#2e9e6b", 4: "#7a5cc2"}


def base_layout(*, title: str | None = None, height: int | None = None, **extra) -> dict:
    layout = {
        "font": {"family": CJK_FONT, "size": 13, "color": "#1d2433"},
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


def empty_figure(message: str, *, height: int = 260) -> go.Figure:
    fig = go.Figure(layout=base_layout(height=height))
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                       font={"size": 14, "color": "#6b7280"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def graph_config(filename: str) -> dict:
    """dcc.Graph config: the modebar camera button downloads a PNG named after the chart."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
            "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
