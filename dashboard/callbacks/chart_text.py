"""Every graph whose figure a callback writes gets its text alternative with that figure.

When the app is built (registry.attach), each callback writing a `figure` is wrapped so the figure carries its
one-line summary in layout.meta (dashboard.chart_text), and one clientside callback per such graph copies it into
the caption and the container's aria-label: no code per chart, and no extra request after the figure arrives.
A page only wraps the graph with components.charts.described_graph (chart_card does).
"""
from __future__ import annotations

import functools

from dash import ClientsideFunction, Input, Output, State

from dashboard.chart_text import with_text_alternative
from dashboard.components.ids import chart_alt_id, chart_box_id


def figure_positions(outputs: list) -> list[int]:
    return [i for i, o in enumerate(outputs) if o.component_property == "figure" and isinstance(o.component_id, str)]


def annotating(func, outputs: list, *, single: bool):
    """`func` with each figure it returns carrying its text alternative. `single`: one bare Output (the function
    returns the value itself, not a list)."""
    positions = figure_positions(outputs)

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        result = func(*args, **kwargs)
        if single:
            return with_text_alternative(result)
        if not isinstance(result, (list, tuple)):
            return result
        result = list(result)
        for i in positions:
            result[i] = with_text_alternative(result[i])
        return tuple(result)
    return wrapped


def chart_text_callbacks(graph_ids) -> list[tuple]:
    """(clientside function, args) of the caption callback of each graph id (assets/phone.js: chartText)."""
    return [(ClientsideFunction("imd", "chartText"),
             (Output(chart_alt_id(g), "children"), Output(chart_box_id(g), "aria-label"), Input(g, "figure"),
              State(chart_box_id(g), "data-title"), State(chart_box_id(g), "data-lang")))
            for g in sorted(graph_ids)]
