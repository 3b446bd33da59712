"""Notices: the alerts raised for the signed-in user (subscriptions: python app.py alerts subscribe)."""
from __future__ import annotations

import dash
from dash import html

from dashboard.callbacks.notices import PAGE, Ids
from dashboard.components.charts import page_download
from dashboard.i18n import t

dash.register_page(__name__, path="/notices", name="Notices", order=7)


def layout(lang: str = "zh", **_state) -> html.Div:
    return html.Div([
        html.Div([html.Div([html.H3(t("notices_title", lang), className="card-title"),
                            html.Button(t("notices_mark_read", lang), id=Ids.MARK_READ, n_clicks=0,
                                        className="csv-button")], className="card-head"),
                  html.Div(id=Ids.LIST, className="table-wrap")], className="card"),
        page_download(PAGE),
    ], className="notices")
