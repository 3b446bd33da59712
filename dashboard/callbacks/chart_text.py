"""Every graph whose figure a callback writes gets its text alternative rewritten from that figure.

One small callback per such graph, made when the app is built from the declared callbacks (registry.attach),
so a new chart gets its caption and aria-label without code of its own: its page wraps the graph with
components.charts.described_graph (chart_card does) and that is all.
"""
from __future__ import annotations

from dash import Input, Output, State, no_update

from metrics.api import LANGS

from dashboard.chart_text import summarise_figure
from dashboard.components.ids import chart_alt_id, chart_box_id


def chart_text(figure, title, lang):
    if not figure:  # not drawn yet: keep the title rather than say "no data"
        return no_update, no_update
    text = summarise_figure(figure, lang if lang in LANGS else "zh", title or "")
    return text, text


def chart_text_callbacks(graph_ids) -> list[tuple[tuple, dict, object]]:
    """(args, kwargs, function) of the caption callback of each graph id."""
    return [((Output(chart_alt_id(g), "children"), Output(chart_box_id(g), "aria-label"), Input(g, "figure"),
              State(chart_box_id(g), "data-title"), State(chart_box_id(g), "data-lang")), {}, chart_text)
            for g in sorted(graph_ids)]
