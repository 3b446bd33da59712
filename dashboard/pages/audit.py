"""Audit log: sign-ins, downloads, API use, briefing publications and manual ETL runs. Administrators only.

No global filter bar (period, unit and category mean nothing here): the page has its own event, user and
day filters, applied in the query (dashboard/callbacks/audit.py).
"""
from __future__ import annotations

import dash
from dash import dcc, html

import dashboard.callbacks.audit  # noqa: F401  (registers the grid's callbacks)
from dashboard.callbacks.audit import DOWNLOAD, PAGE, Ids, audit_grid, event_name
from dashboard.components.charts import csv_button
from dashboard.data import admin_audit_facets, as_of, current_principal
from dashboard.i18n import t
from dashboard.pages.admin import admins_only
from dashboard.components.controls import dropdown_labels

dash.register_page(__name__, path="/audit", name="Audit", order=9, admin_only=True, global_filters=False)


def filters(lang: str) -> html.Div:
    actions, actors = admin_audit_facets()
    events = sorted(({"label": event_name(a, lang), "value": a} for a in actions), key=lambda o: o["label"])
    return html.Div([
        html.Label([t("audit_filter_event", lang), dcc.Dropdown(id=Ids.EVENT, options=events,
                                                                placeholder=t("audit_all_events", lang),
                                                                labels=dropdown_labels(lang))],
                   className="control"),
        html.Label([t("audit_filter_user", lang), dcc.Dropdown(id=Ids.USER, options=actors,
                                                               placeholder=t("audit_all_users", lang),
                                                               labels=dropdown_labels(lang))],
                   className="control"),
        html.Label([t("audit_filter_days", lang), dcc.DatePickerRange(
            id=Ids.DAYS, max_date_allowed=as_of().isoformat(), display_format="YYYY-MM-DD",
            updatemode="bothdates", first_day_of_week=1)], className="control control-dates"),
        # Our own reset: the date picker's clear link carries aria markup axe-core rejects (Dash's, not ours).
        html.Button(t("audit_clear_filters", lang), id=Ids.CLEAR, className="csv-button audit-clear", n_clicks=0),
    ], className="page-controls audit-filters")


def layout(lang: str = "zh", **_state) -> html.Div:
    if not current_principal().is_admin:
        return admins_only(lang)
    return html.Div([
        html.Div([html.H2(t("audit_heading", lang), className="card-title"),
                  html.Div(csv_button(PAGE, "log", lang), className="card-tools")], className="card-head"),
        filters(lang),
        html.P(id=Ids.NOTE, className="note", role="status"),
        html.Div(audit_grid(lang), id=Ids.BODY),
        dcc.Download(id=DOWNLOAD),
    ], className="audit")
