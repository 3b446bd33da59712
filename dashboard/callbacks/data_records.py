"""The Data page's record-level tables: the quarantine (paged, sorted and filtered in SQL through the query
layer, so a bureau user can never page into another bureau's rows), a quarantined row's source as read on a
click, and the funnel's unmatched records on demand."""
from __future__ import annotations

import json

from dash import ALL, ClientsideFunction, Input, Output, State, html, no_update

from metrics.api import AccessDenied, InvalidPageError, QuarantineRequest, UnknownUnitError, bureaus, get_unit

from dashboard.callbacks.registry import callback, clientside_callback
from dashboard.callbacks.common import URL_STATE, page_inputs, view_of
from dashboard.callbacks.data import PAGE, Ids, funnel_result, named, unit_label
from dashboard.components.ids import ShellIds
from dashboard.components.grid import data_grid, grid_rows, page_request
from dashboard.data import get_query
from dashboard.i18n import t

ROW_COLUMNS = ["id", "source", "unit_code", "row_ref", "reason", "run_id", "created_at"]
FILTERABLE = {"source", "unit_code", "row_ref", "reason"}
REFRESHED = "refreshed-grid"  # a server-side grid's wrapper: its rows are asked for again when the view changes


def _scope_unit(unit: str | None) -> str | None:
    return unit if unit and get_unit(unit).kind != "hq" else None


def quarantine_grid(lang: str):
    """The quarantined rows' grid, built with the page so it is drawn, and asks for its first rows, while the
    page's summaries are still being computed; its rows come from `page_quarantine`, for the view's unit."""
    bureau_labels = [unit_label(b.code, lang) for b in bureaus()]
    return html.Div([data_grid(Ids.QUARANTINE_GRID, ROW_COLUMNS, lang, server_side=True, filterable=FILTERABLE,
                               row_id="id", typical={"unit_code": bureau_labels}, fill="reason"),
                     html.P(t("data_raw_hint", lang), className="note")],
                    id={"type": REFRESHED, "grid": Ids.QUARANTINE_GRID})


@callback(Output(Ids.QUARANTINE_SUMMARY, "children"), Output(Ids.QUARANTINE_ROWS, "hidden"), *page_inputs(PAGE),
          with_page=False)
def update_quarantine(_ready, search):
    """The summary by kind of reason for the view's unit; the rows' grid hidden for a unit not the reader's
    (it would hold no rows: `quarantine_rows_page` answers within the principal's scope)."""
    view, _ = view_of(search)
    try:
        summary = get_query().quality.quarantine_summary(QuarantineRequest(unit=_scope_unit(view.unit)))
    except AccessDenied:
        return html.P(t("data_denied", view.lang), className="hint"), True
    summary = summary.assign(source=summary["source"].map(lambda s: named("source", s, view.lang)))
    return data_grid("data-quarantine-summary-grid", list(summary.columns), view.lang, rows=grid_rows(summary),
                     height=240), False


# The grid stays while the view changes on the page: a new view empties its cache, so it asks for its rows again.
# Matched by pattern: on the other pages there is no such grid, and nothing to refresh.
clientside_callback(ClientsideFunction("imd", "refreshRows"), Input(ShellIds.VIEW, "data"),
                    State({"type": REFRESHED, "grid": ALL}, "id"), prevent_initial_call=True)


def quarantine_rows_page(query, unit: str | None, grid_request) -> dict:
    """AG Grid's getRowsRequest -> getRowsResponse, within the principal's scope."""
    try:
        page = query.quality.quarantine_page(QuarantineRequest(unit=_scope_unit(unit)), page_request(grid_request))
    except (AccessDenied, InvalidPageError, UnknownUnitError):
        return {"rowData": [], "rowCount": 0}
    return {"rowData": grid_rows(page.rows), "rowCount": page.total}


@callback(Output(Ids.QUARANTINE_GRID, "getRowsResponse"), Input(Ids.QUARANTINE_GRID, "getRowsRequest"), URL_STATE,
          prevent_initial_call=True)
def page_quarantine(grid_request, search):
    view, _ = view_of(search)
    response = quarantine_rows_page(get_query(), view.unit, grid_request)
    for row in response["rowData"]:
        row["unit_code"] = unit_label(row["unit_code"], view.lang) if row["unit_code"] else ""
        row["source"] = named("source", row["source"], view.lang)
    return response


@callback(Output(Ids.QUARANTINE_RAW, "children"), Input(Ids.QUARANTINE_GRID, "cellClicked"), URL_STATE,
          prevent_initial_call=True)
def show_raw_row(clicked, search):
    """Details on demand: the clicked row's source as read (None outside the principal's scope)."""
    view, _ = view_of(search)
    row_id = (clicked or {}).get("rowId") if isinstance(clicked, dict) else None
    try:
        raw = get_query().quality.quarantine_raw(int(row_id)) if row_id is not None else None
    except (TypeError, ValueError):
        raw = None
    if raw is None:
        return no_update
    try:
        raw = json.dumps(json.loads(raw), ensure_ascii=False, indent=2)
    except ValueError:
        pass
    return html.Div([html.H4(t("data_raw_title", view.lang, id=row_id)), html.Pre(raw, className="raw-row")])


@callback(Output(Ids.UNMATCHED_ROWS, "children"), Input(Ids.UNMATCHED_SHOW, "n_clicks"), URL_STATE,
          prevent_initial_call=True)
def show_unmatched(clicks, search):
    """The unmatched records on each side, only when asked for (hundreds of rows)."""
    if not clicks:
        return no_update
    view, _ = view_of(search)
    result = funnel_result(get_query(), view.window, view.unit, records=True)
    if result.regulator_only is None:
        return html.P(t("data_denied", view.lang), className="hint")
    parts = []
    for side, frame in (("regulator_only", result.regulator_only), ("police_only", result.police_only)):
        shown = frame.assign(unit_code=frame["unit_code"].map(lambda c: unit_label(c, view.lang)),
                             bureau_code=frame["bureau_code"].map(lambda c: unit_label(c, view.lang)))
        parts += [html.H4(f"{t('data_' + side, view.lang)} ({len(frame)})"),
                  data_grid(f"data-unmatched-{side}", list(shown.columns), view.lang, rows=grid_rows(shown),
                            height=360)]
    return html.Div(parts)
