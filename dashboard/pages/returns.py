"""填报 / Returns: returns due, a form per period with per-row checks as one types, review, sign-off."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.callbacks import returns_review  # noqa: F401  (registers the review callbacks)
from dashboard.callbacks.returns import RETURN_TYPE, fillable_units, period_options
from dashboard.components.returns_views import Ids, form_grid, rt
from dashboard.data import current_principal
from dashboard.web.returns_api import DeskMissing, get_desk
from dashboard.components.controls import dropdown_labels

dash.register_page(__name__, path="/returns", name="Returns", order=7)


def layout(lang: str = "zh", **_state) -> html.Div:
    try:
        desk, principal = get_desk(), current_principal()
    except DeskMissing:
        return html.P(rt("not_served", lang), className="note")
    rtype = desk.rtype(RETURN_TYPE)
    units, periods = fillable_units(principal, rtype, lang), period_options(desk, rtype)
    fill = html.Div([
        html.H2(rt("fill_title", lang)),
        html.Div([html.Label([rt("unit", lang), dcc.Dropdown(id=Ids.UNIT, options=units, clearable=False, labels=dropdown_labels(lang),
                                                              value=units[0]["value"] if units else None)]),
                  html.Label([rt("period", lang), dcc.Dropdown(id=Ids.PERIOD, options=periods, clearable=False, labels=dropdown_labels(lang),
                                                                value=periods[0]["value"] if periods else None)])],
                 className="global-controls"),
        html.P(id=Ids.STATUS, className="note"),
        form_grid(rtype, lang),
        html.Div(id=Ids.WARNINGS, className="warnings"),
        html.Div([html.Button(rt("save", lang), id=Ids.SAVE, className="form-button"),
                  html.Button(rt("submit", lang), id=Ids.SUBMIT, className="form-button"),
                  html.A(rt("template", lang), id=Ids.TEMPLATE, href="", className="download-link")],
                 className="form-actions"),
        dcc.Upload(html.Div(rt("upload", lang)), id=Ids.UPLOAD, className="upload", accept=".xlsx"),
        html.P(id=Ids.RESULT, className="note result"),
    ], className="card") if units else html.Div()
    return html.Div([
        dcc.Store(id=Ids.LANG, data=lang), dcc.Store(id=Ids.REFRESH, data=0),
        html.H2(rt("notices", lang)), html.Div(id=Ids.NOTICES),
        html.H2(rt("due_title", lang)), html.Div(id=Ids.DUE),
        html.Button(rt("remind", lang), id=Ids.REMIND, className="form-button",
                    style={} if principal.role in ("admin", "leadership") else {"display": "none"}),
        html.P(id=Ids.REMIND_RESULT, className="note"),
        fill,
        html.H2(rt("review_title", lang)), html.Div(id=Ids.REVIEW), html.P(id=Ids.REVIEW_RESULT, className="note"),
        html.H2(rt("signoff_title", lang)),
        html.Div([dcc.Dropdown(id=Ids.QUARTER, options=[], clearable=False, labels=dropdown_labels(lang)),
                  html.Button(rt("confirm", lang), id=Ids.CONFIRM, className="form-button",
                              style={} if desk.is_signatory(principal) else {"display": "none"})],
                 className="global-controls"),
        html.P(id=Ids.SIGNOFF_RESULT, className="note"), html.Div(id=Ids.SIGNOFF),
    ], className="returns-page")
