"""Pure builders of the Returns page's pieces: the form grid, the review list, notices, due and sign-off tables."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import pandas as pd
from dash import dcc, html

from metrics.api import TZ, ReturnType, get_unit, localized

from dashboard.i18n import t


def rt(key: str, lang: str, **fields) -> str:
    """This page's strings: the `ret_` keys of dashboard/messages.yaml."""
    return t(f"ret_{key}", lang, **fields)


class Ids(StrEnum):
    NOTICES = "returns-notices"
    DUE = "returns-due"
    UNIT = "returns-unit"
    PERIOD = "returns-period"
    STATUS = "returns-status"
    GRID = "returns-grid"
    WARNINGS = "returns-warnings"
    SAVE = "returns-save"
    SUBMIT = "returns-submit"
    RESULT = "returns-result"
    TEMPLATE = "returns-template"
    UPLOAD = "returns-upload"
    REVIEW = "returns-review"
    REVIEW_RESULT = "returns-review-result"
    QUARTER = "returns-quarter"
    CONFIRM = "returns-confirm"
    SIGNOFF = "returns-signoff"
    SIGNOFF_RESULT = "returns-signoff-result"
    REMIND = "returns-remind"
    REMIND_RESULT = "returns-remind-result"
    REFRESH = "returns-refresh"
    LANG = "returns-lang"


CELL, ROW_MESSAGE, TOTAL = "returns-cell", "returns-row-message", "returns-total"
APPROVE, SEND_BACK, REASON = "returns-approve", "returns-send-back", "returns-reason"
REMIND_BUREAU = "returns-remind-bureau"


def status_text(status: str, lang: str) -> str:
    return rt(f"status_{status}", lang)


def form_grid(rtype: ReturnType, lang: str) -> html.Table:
    """One line per row of the type, an input per field, a message cell per line and the computed 合计."""
    head = html.Thead(html.Tr([html.Th(localized(rtype, lang, "row_label")),
                               *(html.Th(localized(f, lang)) for f in rtype.fields.values()), html.Th("")]))
    lines = [html.Tr([html.Th(localized(row, lang)),
                      *(html.Td(dcc.Input(id={"type": CELL, "row": key, "field": name}, type="text", value="",
                                          debounce=False, className="return-cell", inputMode="numeric"))
                        for name in rtype.fields),
                      html.Td(id={"type": ROW_MESSAGE, "row": key}, className="row-message")])
             for key, row in rtype.rows.items()]
    total = html.Tr([html.Th(rt("total", lang)),
                     *(html.Td(id={"type": TOTAL, "field": name}, className="return-total") for name in rtype.fields),
                     html.Td("")], className="total-row")
    return html.Table([head, html.Tbody([*lines, total])], id=Ids.GRID, className="data-table return-grid")


def _table(columns: list[tuple[str, str]], rows: list[list], table_id: str | None = None) -> html.Table:
    props = {"id": table_id} if table_id else {}
    return html.Table([html.Thead(html.Tr([html.Th(label) for _, label in columns])),
                       html.Tbody([html.Tr([html.Td(c) for c in r]) for r in rows])], className="data-table", **props)


def unit_name(code: str, lang: str) -> str:
    return f"{get_unit(code).name(lang)} ({code})"


def review_list(frame: pd.DataFrame, lang: str) -> html.Div:
    if frame.empty:
        return html.P(rt("nothing_to_review", lang), className="note")
    columns = [(k, rt(f"col_{k}", lang)) for k in ("return", "unit", "period", "status", "by")] + [("act", "")]
    rows = [[str(r.id), unit_name(r.unit_code, lang), r.period, status_text(r.status, lang), r.submitted_by or "—",
             html.Div([html.Button(rt("approve", lang), id={"type": APPROVE, "id": int(r.id)}, className="form-button"),
                       dcc.Input(id={"type": REASON, "id": int(r.id)}, placeholder=rt("reason", lang), type="text"),
                       html.Button(rt("send_back", lang), id={"type": SEND_BACK, "id": int(r.id)},
                                   className="form-button")], className="review-actions")]
            for r in frame.itertuples()]
    return _table(columns, rows, "returns-review-table")


def notices_list(frame: pd.DataFrame, lang: str) -> html.Div:
    if frame.empty:
        return html.P(rt("no_notices", lang), className="note")
    items = []
    for r in frame.to_dict("records"):
        fields = {k: ("" if v is None or v != v else v) for k, v in r.items()}
        at = dt.datetime.fromisoformat(fields["at"]).astimezone(TZ).strftime("%Y-%m-%d %H:%M")  # Beijing time
        items.append(html.Li(f"{at} · {unit_name(r['unit_code'], lang)} · "
                             + rt(f"notice_{r['kind']}", lang, **fields), className=f"notice notice-{r['kind']}"))
    return html.Ul(items, className="notices")


def due_table(frame: pd.DataFrame, lang: str) -> html.Div:
    open_ = frame[frame["state"].isin(["due", "late", "sent_back"])]
    if open_.empty:
        return html.P(rt("nothing_due", lang), className="note")
    columns = [(k, rt(f"col_{k}", lang)) for k in ("unit", "period", "due", "state")]
    rows = [[unit_name(r.unit_code, lang), r.period, r.due_on, status_text(r.state, lang)]
            for r in open_.sort_values(["period", "unit_code"], ascending=[False, True]).head(60).itertuples()]
    return _table(columns, rows, "returns-due-table")


def coverage_summary(frame: pd.DataFrame, lang: str) -> html.Div:
    """The newest period's coverage per bureau: how many of its units' returns are in each state."""
    if frame.empty:
        return html.Div()
    newest = frame[frame["period"] == frame["period"].max()]
    states = ("approved", "submitted", "sent_back", "due", "late")
    counts = newest.groupby(["bureau_code", "state"]).size().unstack(fill_value=0)
    columns = [("bureau", rt("col_bureau", lang))] + [(s, status_text(s, lang)) for s in states]
    rows = [[unit_name(code, lang), *(int(counts.loc[code].get(s, 0)) for s in states)] for code in counts.index]
    return html.Div([html.H3(f"{rt('col_period', lang)} {newest['period'].iloc[0]}"),
                     _table(columns, rows, "returns-coverage-table")])


def overdue_list(frame: pd.DataFrame, lang: str) -> html.Div:
    """HQ's overdue list (desk.overdue): per bureau, its overdue unit-periods and a one-click reminder."""
    if frame.empty:
        return html.P(rt("nothing_overdue", lang), className="note")
    columns = [(k, rt(f"col_{k}", lang)) for k in ("bureau", "overdue", "periods", "remind")]
    rows = [[unit_name(code, lang), len(group), ", ".join(sorted(set(group["period"]))),
             html.Button(rt("remind_bureau", lang), id={"type": REMIND_BUREAU, "bureau": code},
                         className="form-button")]
            for code, group in frame.groupby("bureau_code", sort=True)]
    return html.Div([html.H3(rt("overdue_title", lang)), _table(columns, rows, "returns-overdue-table")])


def signoff_table(frame: pd.DataFrame, lang: str) -> html.Table:
    columns = [(k, rt(f"col_{k}", lang)) for k in ("bureau", "state", "by", "at")]
    rows = [[unit_name(r.bureau_code, lang), status_text(r.state, lang), r.signed_by or "—", r.signed_at or "—"]
            for r in frame.itertuples()]
    return _table(columns, rows, "returns-signoff-table")
