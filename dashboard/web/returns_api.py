"""The returns API, /api/v1/returns: submit (JSON or the Excel template), list, review, deadlines, sign-off.

Every route acts for the signed-in user or the Bearer token's user; the returns store checks the principal
(dashboard → metrics.api only). Browser sessions must send the CSRF token (header X-CSRFToken) on POSTs;
tokens need none. Figures failing the per-row checks get 422 with one problem per field and row.
"""
from __future__ import annotations

import io
import json

import flask
import flask_login

from metrics.api import (FiguresRejected, InvalidWindowError, ReturnNotFound, ReturnsDesk,
                         UnknownUnitError, WorkflowError, parse_date)

from dashboard.web.auth import audit, get_csrf, json_error
from dashboard.data import current_principal, get_context

returns_api = flask.Blueprint("api_v1_returns", __name__, url_prefix="/api/v1/returns")
_EXTENSION = "imd_returns"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def install_returns(server: flask.Flask, desk: ReturnsDesk) -> None:
    server.extensions[_EXTENSION] = desk
    server.register_blueprint(returns_api)


class DeskMissing(LookupError):
    """The app was built without a returns desk (create_app(returns=...))."""


def get_desk() -> ReturnsDesk:
    desk = flask.current_app.extensions.get(_EXTENSION)
    if desk is None:
        raise DeskMissing("this process was started without the returns desk")
    return desk


def _json(value, status: int = 200) -> flask.Response:
    return flask.Response(json.dumps(value, ensure_ascii=False, default=str), status=status,
                          mimetype="application/json")


def _records(frame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False, default_handler=str))


def _guard_post() -> None:
    if getattr(flask_login.current_user, "via", "session") == "session":
        get_csrf().protect()


@returns_api.errorhandler(FiguresRejected)
def rejected(exc: FiguresRejected):
    return _json({"error": "unprocessable", "message": str(exc),
                  "problems": [p.as_dict(exc.rtype) for p in exc.problems]}, 422)


@returns_api.errorhandler(WorkflowError)
def conflict(exc: WorkflowError):
    return json_error(409, "conflict", str(exc))


@returns_api.errorhandler(ReturnNotFound)
def not_found(exc: ReturnNotFound):
    return json_error(404, "not_found", str(exc))


@returns_api.errorhandler(DeskMissing)
def unavailable(exc: DeskMissing):
    return json_error(503, "unavailable", str(exc))


@returns_api.errorhandler(ValueError)
@returns_api.errorhandler(UnknownUnitError)
@returns_api.errorhandler(InvalidWindowError)
def bad_request(exc: Exception):
    return json_error(400, "bad_request", str(exc) or exc.__class__.__name__)


@returns_api.after_request
def record_use(response: flask.Response) -> flask.Response:
    if flask_login.current_user.is_authenticated:
        audit(get_context().store.accounts, "api", {"path": flask.request.path, "method": flask.request.method,
                                            "status": response.status_code})
    return response


def _submission() -> tuple[str, str, str, dict, bool]:
    """(type, unit, period, rows, submit) from a JSON body or a multipart upload of the Excel template."""
    if flask.request.files.get("file") is not None:
        from metrics.api import read_template

        upload = flask.request.files["file"]
        parsed = read_template(get_desk().types, io.BytesIO(upload.read()))
        form = flask.request.form
        unit, period = form.get("unit") or parsed.unit_code, form.get("period") or parsed.period
        if not unit or not period:
            raise ValueError("the workbook names no unit or period (no _meta sheet): send 'unit' and 'period' "
                             "fields with it, or start from the template")
        return parsed.return_type, unit, period, parsed.rows, form.get("action", "submit") == "submit"
    body = flask.request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValueError("send a JSON object {return_type, unit, period, rows, action} or a multipart 'file'")
    missing = [k for k in ("return_type", "unit", "period", "rows") if not body.get(k)]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    if not isinstance(body["rows"], dict) or not all(isinstance(v, dict) for v in body["rows"].values()):
        raise ValueError("'rows' is an object of row -> {field: value}")
    action = body.get("action", "submit")
    if action not in ("submit", "save"):
        raise ValueError("'action' is submit or save")
    return str(body["return_type"]), str(body["unit"]), str(body["period"]), body["rows"], action == "submit"


@returns_api.post("")
def submit_return():
    _guard_post()
    rtype, unit, period, rows, submit = _submission()
    desk = get_desk()
    filing_id = desk.save(current_principal(), rtype, unit, period, rows, submit=submit)
    got = desk.get(current_principal(), filing_id)
    latest = got["versions"][-1]
    return _json({"id": filing_id, "status": latest["status"], "version": latest["version"],
                  "totals": latest["totals"], "warnings": desk.warnings(current_principal(), rtype, unit, period,
                                                                       latest["figures"])}, 201)


@returns_api.get("")
def list_returns():
    args = flask.request.args
    frame = get_desk().list(current_principal(), return_type=args.get("type") or None,
                            period=args.get("period") or None, unit=args.get("unit") or None,
                            status=args.get("status") or None)
    return _json(_records(frame))


@returns_api.get("/<int:filing_id>")
def one_return(filing_id: int):
    return _json(get_desk().get(current_principal(), filing_id))


@returns_api.post("/<int:filing_id>/approve")
def approve(filing_id: int):
    _guard_post()
    return _json({"id": filing_id, "status": get_desk().approve(current_principal(), filing_id)})


@returns_api.post("/<int:filing_id>/send-back")
def send_back(filing_id: int):
    _guard_post()
    body = flask.request.get_json(silent=True) or flask.request.form
    return _json({"id": filing_id, "status": get_desk().send_back(current_principal(), filing_id,
                                                                  str(body.get("reason") or ""))})


@returns_api.get("/template")
def template():
    from metrics.api import write_template

    args = flask.request.args
    rtype, unit, period = args.get("type", ""), args.get("unit", ""), args.get("period", "")
    desk = get_desk()
    data = write_template(desk, current_principal(), rtype, unit, period)
    audit(get_context().store.accounts, "download", {"what": "return_template", "type": rtype, "unit": unit,
                                             "period": period})
    return flask.Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{rtype}_{unit}_{period}.xlsx"'})


@returns_api.get("/coverage")
def coverage():
    args = flask.request.args
    as_of = parse_date(args["as_of"]) if args.get("as_of") else None
    return _json(_records(get_desk().coverage(current_principal(), as_of=as_of,
                                              return_type=args.get("type") or None)))


@returns_api.get("/overdue")
def overdue():
    as_of = parse_date(flask.request.args["as_of"]) if flask.request.args.get("as_of") else None
    return _json(_records(get_desk().overdue(current_principal(), as_of=as_of)))


@returns_api.post("/reminders")
def remind():
    _guard_post()
    body = flask.request.get_json(silent=True) or {}
    units = body.get("units")
    return _json({"reminders": get_desk().remind(current_principal(), units=units)})


@returns_api.get("/notices")
def notices():
    return _json(_records(get_desk().notices(current_principal())))


@returns_api.get("/signoff")
def signoff_status():
    quarter = flask.request.args.get("quarter", "")
    return _json(_records(get_desk().signoff_status(current_principal(), quarter)))


@returns_api.post("/signoff")
def sign_off():
    _guard_post()
    body = flask.request.get_json(silent=True) or flask.request.form
    quarter = str(body.get("quarter") or "")
    return _json({"quarter": quarter, "fingerprint": get_desk().sign_off(current_principal(), quarter)}, 201)

