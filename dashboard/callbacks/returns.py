"""Returns page, the form: load a unit's period, check every cell as it is typed (the same checks as the API
and the Excel upload), compute 合计, warn against the unit's history, save or submit, read an uploaded template.
"""
from __future__ import annotations

import base64
import io

from dash import ALL, Input, Output, State, ctx, no_update

from metrics.api import AccessDenied, FiguresRejected, Principal, ReturnType, WorkflowError, children, read_template

from dashboard.callbacks.registry import callback
from dashboard.components.returns_views import CELL, ROW_MESSAGE, TOTAL, Ids, rt, status_text
from dashboard.data import current_principal
from dashboard.web.returns_api import get_desk

RETURN_TYPE = "education_monthly"
CELLS = Input({"type": CELL, "row": ALL, "field": ALL}, "value")
CELL_IDS = State({"type": CELL, "row": ALL, "field": ALL}, "id")


def fillable_units(principal: Principal, rtype: ReturnType, lang: str) -> list[dict]:
    if principal.role == "sub_bureau":
        codes = [principal.unit_code]
    elif principal.role == "bureau" and rtype.level == "sub_bureau":
        codes = [c.code for c in children(principal.unit_code)]
    elif principal.role == "bureau":
        codes = [principal.unit_code]
    else:
        codes = []
    from metrics.api import get_unit

    return [{"label": f"{get_unit(c).name(lang)} ({c})", "value": c} for c in codes]


def period_options(desk, rtype: ReturnType) -> list[dict]:
    labels = [rtype.period_label(p) for p in rtype.periods_until(desk.today())][::-1][:12]
    return [{"label": label, "value": label} for label in labels]


def given_of(values: list, ids: list[dict]) -> dict[str, dict[str, object]]:
    given: dict[str, dict[str, object]] = {}
    for value, cell in zip(values, ids):
        given.setdefault(cell["row"], {})[cell["field"]] = value
    return given


@callback(Output({"type": CELL, "row": ALL, "field": ALL}, "value"), Output(Ids.STATUS, "children"),
          Output(Ids.TEMPLATE, "href"),
          Input(Ids.UNIT, "value"), Input(Ids.PERIOD, "value"), Input(Ids.REFRESH, "data"), CELL_IDS,
          State(Ids.LANG, "data"))
def load_return(unit, period, _refresh, ids, lang):
    if not unit or not period:
        return [no_update] * len(ids), "", ""
    desk, principal = get_desk(), current_principal()
    href = f"/api/v1/returns/template?type={RETURN_TYPE}&unit={unit}&period={period}"
    found = desk.list(principal, return_type=RETURN_TYPE, period=period, unit=unit)
    if found.empty:
        return [""] * len(ids), rt("new_return", lang), href
    got = desk.get(principal, int(found["id"].iloc[0]))
    latest = got["versions"][-1]
    status = rt("status_line", lang, status=status_text(latest["status"], lang), version=latest["version"])
    if latest["status"] == "sent_back" and found["reason"].iloc[0]:
        status += " · " + rt("sent_back_reason", lang, reason=found["reason"].iloc[0])
    values = [(latest["figures"].get(c["row"]) or {}).get(c["field"]) for c in ids]
    return ["" if v is None else str(v) for v in values], status, href


@callback(Output({"type": ROW_MESSAGE, "row": ALL}, "children"), Output({"type": TOTAL, "field": ALL}, "children"),
          Output(Ids.WARNINGS, "children"),
          CELLS, CELL_IDS, State({"type": ROW_MESSAGE, "row": ALL}, "id"), State({"type": TOTAL, "field": ALL}, "id"),
          State(Ids.UNIT, "value"), State(Ids.PERIOD, "value"), State(Ids.LANG, "data"))
def check_cells(values, ids, row_ids, total_ids, unit, period, lang):
    desk = get_desk()
    rtype = desk.rtype(RETURN_TYPE)
    typed = {r: {f: v for f, v in cells.items() if v not in (None, "")} for r, cells in given_of(values, ids).items()}
    checked = desk.check(RETURN_TYPE, typed)
    by_row: dict[str, list[str]] = {}
    for problem in checked.problems:
        if problem.code != "missing":  # a blank cell is not an error while typing; submit says so
            by_row.setdefault(problem.row, []).append(problem.message(rtype, lang))
    sums = {name: sum(int(checked.figures[r][name] or 0) for r in rtype.rows) for name in rtype.fields}
    warnings = desk.warnings(current_principal(), RETURN_TYPE, unit, period, checked.figures) if unit and period else []
    text = [rt("anomaly", lang, field=getattr(rtype.fields[w["field"]], f"name_{lang}"), value=w["value"],
               median=round(w["median"])) for w in warnings] if warnings else ""
    return (["; ".join(by_row.get(r["row"], [])) for r in row_ids], [f"{sums[t['field']]:,}" for t in total_ids],
            text)


@callback(Output(Ids.RESULT, "children"), Output(Ids.REFRESH, "data", allow_duplicate=True),
          Input(Ids.SAVE, "n_clicks"), Input(Ids.SUBMIT, "n_clicks"), State({"type": CELL, "row": ALL, "field": ALL},
                                                                            "value"),
          CELL_IDS, State(Ids.UNIT, "value"), State(Ids.PERIOD, "value"), State(Ids.REFRESH, "data"),
          State(Ids.LANG, "data"), prevent_initial_call=True)
def save_return(_save, _submit, values, ids, unit, period, refresh, lang):
    desk = get_desk()
    try:
        desk.save(current_principal(), RETURN_TYPE, unit, period, given_of(values, ids),
                  submit=ctx.triggered_id == Ids.SUBMIT)
    except FiguresRejected as exc:
        return rt("refused", lang) + "; ".join(p.message(exc.rtype, lang) for p in exc.problems), no_update
    except (AccessDenied, WorkflowError, ValueError) as exc:
        return rt("refused", lang) + str(exc), no_update
    status = "submitted" if ctx.triggered_id == Ids.SUBMIT else "draft"
    return rt("saved", lang, status=status_text(status, lang)), (refresh or 0) + 1


@callback(Output({"type": CELL, "row": ALL, "field": ALL}, "value", allow_duplicate=True),
          Input(Ids.UPLOAD, "contents"), CELL_IDS, prevent_initial_call=True)
def read_upload(contents, ids):
    """An uploaded template fills the form; the cells are then checked exactly as typed ones."""
    if not contents:
        return [no_update] * len(ids)
    data = base64.b64decode(contents.split(",", 1)[1])
    parsed = read_template(get_desk().types, io.BytesIO(data))
    return ["" if (v := (parsed.rows.get(c["row"]) or {}).get(c["field"])) is None else str(v) for c in ids]
