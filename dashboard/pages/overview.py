"""Overview: where the campaign stands, per direction, against the published figures."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.callbacks.overview import PAGE, Ids
from dashboard.callbacks.target_badges import Ids as TargetIds
from dashboard.components.charts import chart_card, csv_button, page_download
from dashboard.i18n import t

dash.register_page(__name__, path="/", name="Overview", order=0)


def layout(lang: str = "zh", **_state) -> html.Div:
    return html.Div([
        html.Div(id=Ids.FRESHNESS, className="freshness"),
        dcc.Interval(id=Ids.FRESHNESS_TIMER, interval=5 * 60 * 1000),
        html.Div([html.H2([t("chosen_period", lang), " · ", html.Span(id=Ids.PERIOD_LABEL)]),
                  html.Div([csv_button(PAGE, "headlines", lang), html.Span(t("png_hint", lang), className="hint")],
                           className="card-tools")], className="section-head"),
        html.Section(id=TargetIds.PANEL, className="direction targets"),
        dcc.Loading(html.Div(id=Ids.DIRECTIONS, className="directions"), type="dot", delay_show=300),
        chart_card(title=t("published_progress", lang), graph_id=Ids.PROGRESS, page=PAGE, chart="progress",
                   lang=lang, extra=html.P(t("published_note", lang), className="note")),
        page_download(PAGE),
    ], className="overview")
