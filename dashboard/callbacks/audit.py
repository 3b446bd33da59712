"""Audit log: a server-side grid whose pages, sorts and filters (event type, user, Beijing days, column text)
run in the query layer (metrics.audit_log), administrators only: a non-admin's request is refused there."""
from __future__ import annotations

import json
from enum import StrEnum

import pandas as pd
from dash import Input, Output, State, dcc, no_update

from metrics.api import MAX_PAGE, AuditRequest, InvalidPageError, PageRequest, parse_date

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import URL_STATE, view_of
from dashboard.components.grid import TIME_SAMPLE, beijing_time, data_grid, page_request
from dashboard.components.ids import csv_button_id, download_id
from dashboard.data import admin_audit_page
from dashboard.i18n import known, t

COLUMNS = ["at", "actor", "action", "detail", "remote_addr"]
FILTERABLE = {"actor", "detail", "remote_addr"}  # event type has its own menu (its names are translated)
CSV_ROWS = 20_000
PAGE = "audit"
CSV = csv_button_id(PAGE, "log")  # pattern ids: the download is audited like every page's (web/admin_routes.py)
DOWNLOAD = download_id(PAGE)


class Ids(StrEnum):
    EVENT = "audit-event"
    USER = "audit-user"
    DAYS = "audit-days"
    CLEAR = "audit-clear"
    NOTE = "audit-note"
    BODY = "audit-body"
    GRID = "audit-grid"


def event_name(action, lang: str) -> str:
    """An event type in the reader's language; an unknown one as stored."""
    return t(f"event_{action}", lang) if isinstance(action, str) and known(f"event_{action}") else str(action or "")


def _value_text(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value_text(v) for v in value)
    return "—" if value is None else str(value)


def detail_text(detail, lang: str, limit: int = 300) -> str:
    """Stored JSON as "key: value" pairs, keys in the reader's language; other text as stored."""
    if not isinstance(detail, str) or not detail:
        return ""
    try:
        parsed = json.loads(detail)
    except ValueError:
        return detail[:limit]
    if not isinstance(parsed, dict):
        return _value_text(parsed)[:limit]
    label = lambda k: t(f"audit_key_{k}", lang) if known(f"audit_key_{k}") else k  # noqa: E731
    return "; ".join(f"{label(k)}: {_value_text(v)}" for k, v in parsed.items())[:limit]


def display_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    """The page as the grid shows it: Beijing time to the second, event names and details in words."""
    return [{"id": int(r["id"]), "at": beijing_time(r["at"]), "actor": r["actor"] or "—",
             "action": event_name(r["action"], lang), "detail": detail_text(r["detail"], lang),
             "remote_addr": r["remote_addr"] or "—"} for r in frame.to_dict("records")]


def audit_request(event, user, since, until) -> AuditRequest:
    """The filter controls as a request; raises ValueError for a range that ends before it starts."""
    day = lambda v: parse_date(v) if isinstance(v, str) and v else None  # noqa: E731
    return AuditRequest(actions=(event,) if isinstance(event, str) and event else (),
                        actor=user if isinstance(user, str) and user else None, since=day(since), until=day(until))


def audit_rows_page(req: AuditRequest, grid_request, lang: str) -> dict:
    """AG Grid's getRowsRequest -> getRowsResponse; AccessDenied propagates (the gate answers 403)."""
    try:
        page = admin_audit_page(req, page_request(grid_request))
    except InvalidPageError:
        return {"rowData": [], "rowCount": 0}
    return {"rowData": display_rows(page.rows, lang), "rowCount": page.total}


def audit_grid(lang: str):
    return data_grid(Ids.GRID, COLUMNS, lang, server_side=True, filterable=FILTERABLE, row_id="id", height=560,
                     headers={c: t(f"audit_{'from' if c == 'remote_addr' else c}", lang) for c in COLUMNS},
                     typical={"at": [TIME_SAMPLE]}, fill="detail")


@callback(Output(Ids.BODY, "children"), Output(Ids.NOTE, "children"), Input(Ids.EVENT, "value"),
          Input(Ids.USER, "value"), Input(Ids.DAYS, "start_date"), Input(Ids.DAYS, "end_date"), URL_STATE,
          prevent_initial_call=True)
def refresh_grid(event, user, since, until, search):
    """A fresh grid for new filters: the infinite row model asks again from the first page."""
    lang = view_of(search)[0].lang
    try:
        audit_request(event, user, since, until)
    except ValueError:
        return None, t("audit_bad_days", lang)
    return audit_grid(lang), ""


@callback(Output(Ids.EVENT, "value"), Output(Ids.USER, "value"), Output(Ids.DAYS, "start_date"),
          Output(Ids.DAYS, "end_date"), Input(Ids.CLEAR, "n_clicks"), prevent_initial_call=True)
def clear_filters(clicks):
    return (None, None, None, None) if clicks else (no_update,) * 4


@callback(Output(Ids.GRID, "getRowsResponse"), Input(Ids.GRID, "getRowsRequest"), State(Ids.EVENT, "value"),
          State(Ids.USER, "value"), State(Ids.DAYS, "start_date"), State(Ids.DAYS, "end_date"), URL_STATE,
          prevent_initial_call=True)
def page_audit(grid_request, event, user, since, until, search):
    lang = view_of(search)[0].lang
    try:
        req = audit_request(event, user, since, until)
    except ValueError:
        return {"rowData": [], "rowCount": 0}
    return audit_rows_page(req, grid_request, lang)


@callback(Output(DOWNLOAD, "data"), Input(CSV, "n_clicks"), State(Ids.EVENT, "value"),
          State(Ids.USER, "value"), State(Ids.DAYS, "start_date"), State(Ids.DAYS, "end_date"),
          prevent_initial_call=True)
def download_audit(clicks, event, user, since, until):
    """The filtered trail as stored (UTC instants, raw event codes and JSON), page by page from the query."""
    if not clicks:
        return no_update
    try:
        req = audit_request(event, user, since, until)
    except ValueError:
        return no_update
    frames = []
    for offset in range(0, CSV_ROWS, MAX_PAGE):
        page = admin_audit_page(req, PageRequest(offset, MAX_PAGE))
        frames.append(page.rows)
        if offset + MAX_PAGE >= page.total:
            break
    frame = pd.concat(frames, ignore_index=True)
    return dcc.send_data_frame(frame.to_csv, "audit-log.csv", index=False)

