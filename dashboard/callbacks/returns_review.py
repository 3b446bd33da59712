"""Returns page, the rest: notices, what is due, the review list with approve / send back, reminders, sign-off."""
from __future__ import annotations

from dash import ALL, Input, Output, State, ctx, no_update

from metrics.api import AccessDenied, WorkflowError, Window, get_unit

HQ_ROLES = ("admin", "leadership")

from dashboard.callbacks.registry import callback
from dashboard.components.returns_views import (APPROVE, REASON, REMIND_BUREAU, SEND_BACK, Ids, coverage_summary,
                                                due_table, notices_list, overdue_list, review_list, rt,
                                                signoff_table, status_text)
from dashboard.data import current_principal
from dashboard.web.returns_api import get_desk


def awaiting(desk, principal):
    """Returns this principal may review now: with its bureau (bureau users) or with HQ (leadership, admin)."""
    frame = desk.list(principal)
    if principal.role == "bureau":
        return frame[(frame["status"] == "submitted") & (frame["unit_code"] != principal.unit_code)
                     & (frame["submitted_by"] != principal.name)]
    if principal.role in ("admin", "leadership"):
        sub_level = frame["unit_code"].map(lambda code: get_unit(code).kind == "sub_bureau").astype(bool)
        return frame[(frame["status"] == "bureau_approved") | ((frame["status"] == "submitted") & ~sub_level)]
    return frame.iloc[0:0]


@callback(Output(Ids.NOTICES, "children"), Output(Ids.DUE, "children"), Output(Ids.REVIEW, "children"),
          Output(Ids.QUARTER, "options"), Output(Ids.QUARTER, "value"),
          Input(Ids.REFRESH, "data"), State(Ids.LANG, "data"))
def refresh_lists(_refresh, lang):
    desk, principal = get_desk(), current_principal()
    quarter = Window.quarter_of(desk.today()).previous().label()
    quarters = [quarter, Window.quarter_of(desk.today()).label()]
    coverage = desk.coverage(principal)
    due = [coverage_summary(coverage, lang), due_table(coverage, lang)] if principal.role != "sub_bureau" else \
        due_table(coverage, lang)
    if principal.role in HQ_ROLES:  # HQ: the overdue list, a reminder per bureau
        due = [overdue_list(coverage[coverage["state"] == "late"], lang), *due]
    return (notices_list(desk.notices(principal, limit=10), lang), due,
            review_list(awaiting(desk, principal), lang), [{"label": q, "value": q} for q in quarters], quarter)


@callback(Output(Ids.REVIEW_RESULT, "children"), Output(Ids.REFRESH, "data", allow_duplicate=True),
          Input({"type": APPROVE, "id": ALL}, "n_clicks"), Input({"type": SEND_BACK, "id": ALL}, "n_clicks"),
          State({"type": REASON, "id": ALL}, "value"), State({"type": REASON, "id": ALL}, "id"),
          State(Ids.REFRESH, "data"), State(Ids.LANG, "data"), prevent_initial_call=True)
def review(approvals, sends, reasons, reason_ids, refresh, lang):
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered[0]["value"]:  # buttons just rendered fire with no click
        return no_update, no_update
    desk, principal = get_desk(), current_principal()
    try:
        if trigger["type"] == APPROVE:
            status = desk.approve(principal, trigger["id"])
        else:
            reason = next((r for r, i in zip(reasons, reason_ids) if i["id"] == trigger["id"]), "")
            status = desk.send_back(principal, trigger["id"], reason or "")
    except (AccessDenied, WorkflowError, ValueError) as exc:
        return str(exc), no_update
    return rt("reviewed", lang, id=trigger["id"], status=status_text(status, lang)), (refresh or 0) + 1


@callback(Output(Ids.REMIND_RESULT, "children"), Output(Ids.REFRESH, "data", allow_duplicate=True),
          Input(Ids.REMIND, "n_clicks"), State(Ids.REFRESH, "data"), State(Ids.LANG, "data"),
          prevent_initial_call=True)
def remind(_clicks, refresh, lang):
    try:
        count = get_desk().remind(current_principal())
    except AccessDenied as exc:
        return str(exc), no_update
    return rt("reminded", lang, count=count), (refresh or 0) + 1


def remind_bureau(desk, principal, bureau: str) -> int:
    """Remind the bureau's overdue units (one in-app notice each, audited): HQ only (AccessDenied otherwise)."""
    late = desk.overdue(principal)
    return desk.remind(principal, units=sorted(set(late["unit_code"][late["bureau_code"] == bureau])))


@callback(Output(Ids.REMIND_RESULT, "children", allow_duplicate=True),
          Output(Ids.REFRESH, "data", allow_duplicate=True),
          Input({"type": REMIND_BUREAU, "bureau": ALL}, "n_clicks"), State(Ids.REFRESH, "data"),
          State(Ids.LANG, "data"), prevent_initial_call=True)
def remind_one_bureau(_clicks, refresh, lang):
    trigger = ctx.triggered_id
    if not trigger or not ctx.triggered[0]["value"]:  # buttons just rendered fire with no click
        return no_update, no_update
    try:
        count = remind_bureau(get_desk(), current_principal(), trigger["bureau"])
    except AccessDenied as exc:
        return str(exc), no_update
    return rt("reminded_bureau", lang, count=count, bureau=get_unit(trigger["bureau"]).name(lang)), (refresh or 0) + 1


@callback(Output(Ids.SIGNOFF, "children"), Output(Ids.SIGNOFF_RESULT, "children"),
          Input(Ids.QUARTER, "value"), Input(Ids.CONFIRM, "n_clicks"), State(Ids.LANG, "data"),
          prevent_initial_call=True)
def sign_off(quarter, _clicks, lang):
    if not quarter:
        return no_update, no_update
    desk, principal = get_desk(), current_principal()
    message = ""
    if ctx.triggered_id == Ids.CONFIRM:
        try:
            desk.sign_off(principal, quarter)
            message = rt("confirmed", lang, quarter=quarter)
        except AccessDenied as exc:
            message = str(exc)
    status = desk.signoff_status(principal, quarter)
    if principal.is_local:
        status = status[status["bureau_code"] == desk_bureau(principal)]
    return signoff_table(status, lang), message


def desk_bureau(principal) -> str:
    unit = get_unit(principal.unit_code)
    return unit.parent_code if unit.kind == "sub_bureau" else unit.code
