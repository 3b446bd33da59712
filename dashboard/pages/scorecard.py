"""Scorecard: a composite standing of the 36 bureaus over declared indicators (metrics/scorecard.yaml)."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.callbacks.scorecard import PAGE, Ids
from dashboard.components.charts import described_graph, page_download
from figures.base import graph_config
from dashboard.i18n import t

dash.register_page(__name__, path="/scorecard", name="Scorecard", order=4)


def layout(lang: str = "zh", **_state) -> html.Div:
    return html.Div([
        html.Div([
            html.H3(id=Ids.TITLE, className="card-title"),
            html.P(t("scorecard_note", lang), className="note"),
            described_graph(dcc.Graph(id=Ids.CHART, config=graph_config(f"{PAGE}-chart")), title=t("nav_scorecard", lang),
                            lang=lang, loading=True),
        ], className="card"),
        html.Div([
            html.H3(id=Ids.WHY_TITLE, className="card-title"),
            html.Div(id=Ids.WHY_TEXT, className="why-text"),
            html.Div([described_graph(dcc.Graph(id=Ids.WHY_CHART, config=graph_config(f"{PAGE}-why")),
                                      title=t("nav_scorecard", lang), lang=lang),
                      html.Div(id=Ids.WHY_TABLE, className="table-wrap")], className="two-col"),
        ], className="card scorecard-why"),
        page_download(PAGE),
    ], className="scorecard")
