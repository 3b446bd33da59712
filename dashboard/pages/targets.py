"""Targets: their status, their current versions and, for administrators, the CSV import."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.callbacks.targets import PAGE, Ids
from dashboard.components.charts import page_download
from dashboard.data import current_principal
from dashboard.i18n import t

dash.register_page(__name__, path="/targets", name="Targets", order=7)


def layout(lang: str = "zh", **_state) -> html.Div:
    importer = None
    if current_principal().is_admin:  # the import checks again on the server
        importer = html.Div([
            html.H3(t("targets_import", lang), className="card-title"),
            dcc.Upload(html.Div(t("targets_import_drop", lang)), id=Ids.UPLOAD, accept=".csv,text/csv",
                       className="targets-upload"),
            html.Div(id=Ids.RESULT),
        ], className="card")
    return html.Div([
        dcc.Store(id=Ids.VERSION, data=0),
        html.Div([html.H3(id=Ids.STATUS_TITLE, className="card-title"),
                  html.Div(id=Ids.STATUS, className="table-wrap")], className="card"),
        importer,
        html.Div([html.H3(t("nav_targets", lang), className="card-title"),
                  html.P(t("targets_page_note", lang), className="note"),
                  html.Div(id=Ids.LIST, className="table-wrap")], className="card"),
        page_download(PAGE),
    ], className="targets")
