"""Trends: metrics over time with campaign milestones."""
from __future__ import annotations

import dash
from dash import dcc, html

from metrics.api import GRAINS

from dashboard.callbacks.trends import PAGE, Ids
from dashboard.components.charts import chart_card, page_download
from dashboard.components.controls import metric_picker
from dashboard.components.ids import state_id
from dashboard.i18n import t
from dashboard.state import to_control

dash.register_page(__name__, path="/trends", name="Trends", order=1)


def _radio(key: str, value: str, choices, lang: str) -> html.Label:
    return html.Label([t(key, lang), dcc.RadioItems(
        id=state_id(key), options=[{"label": t(f"{key}_{c}", lang), "value": c} for c in choices],
        value=value, inline=True)], className="control")


def layout(lang: str = "zh", metrics: str = "", grain: str = "month", mode: str = "plain", split: str = "metric",
           **_state) -> html.Div:
    controls = html.Div([
        metric_picker("metrics", to_control("metrics", metrics), lang, multi=True),
        _radio("grain", grain if grain in GRAINS else "month", GRAINS, lang),
        _radio("mode", mode, ("plain", "cumulative"), lang),
        _radio("split", split, ("metric", "category", "direction"), lang),
    ], className="page-controls")
    return html.Div([
        controls,
        chart_card(title=t("nav_trends", lang), graph_id=Ids.GRAPH, page=PAGE, chart="series", lang=lang,
                   extra=html.P(id=Ids.NOTE, className="note")),
        page_download(PAGE),
    ], className="trends")
