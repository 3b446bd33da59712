"""The read-only data API, /api/v1: JSON (default) or CSV (`?format=csv` or `Accept: text/csv`).

Every answer comes from the same query API as the dashboard, through get_query(), so the caller's role
applies unchanged: a bureau token asking for another bureau's sub-bureaus or quarantine gets 403.
Clients authenticate with `Authorization: Bearer <token>` (`python app.py users token NAME --client X`);
a signed-in browser session works too. Bad parameters get 400 with a message, never a server error.
"""
from __future__ import annotations

import json

import flask
import flask_login
import pandas as pd

from metrics.api import (CATALOG, METRICS, BreakdownRequest, CompareRequest, InvalidWindowError, SeriesRequest,
                         TotalsRequest, UnknownMetricError, UnknownUnitError, QuarantineRequest, all_units)

from dashboard.web import api_params as p
from dashboard.web.auth import audit, json_error
from dashboard.data import as_of, get_context, get_query
from dashboard.web.openapi import build_openapi

api = flask.Blueprint("api_v1", __name__, url_prefix="/api/v1")


def _records(frame: pd.DataFrame) -> list[dict]:
    """Plain JSON values: dates as ISO strings, missing values as null, numpy numbers as Python numbers."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return json.loads(out.to_json(orient="records", date_format="iso", force_ascii=False, default_handler=str))


def _wants_csv() -> bool:
    if "format" in flask.request.args:
        return p.choice(flask.request.args, "format", ("json", "csv"), "json") == "csv"
    best = flask.request.accept_mimetypes.best_match(["application/json", "text/csv"])
    return best == "text/csv"


def _answer(frame: pd.DataFrame, name: str):
    if _wants_csv():
        return flask.Response(frame.to_csv(index=False), mimetype="text/csv",
                              headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return _json(_records(frame))


def _json(value) -> flask.Response:
    """JSON with the table's column order kept (flask.jsonify would sort the keys)."""
    return flask.Response(json.dumps(value, ensure_ascii=False), mimetype="application/json")


@api.errorhandler(p.BadParam)
@api.errorhandler(InvalidWindowError)
@api.errorhandler(UnknownMetricError)
@api.errorhandler(UnknownUnitError)
@api.errorhandler(ValueError)
def bad_request(exc: Exception):
    message = str(exc) or exc.__class__.__name__
    return json_error(400, "bad_request", message)


@api.after_request
def record_use(response: flask.Response) -> flask.Response:
    if response.status_code == 503:  # the store is unreachable: nothing was read, nowhere to write the audit
        return response
    if not flask_login.current_user.is_authenticated:  # refused at the gate: nothing was read
        return response
    audit(get_context().store.accounts, "api", {"path": flask.request.path, "query": flask.request.query_string.decode(
        "utf-8", "replace")[:500], "status": response.status_code})
    return response


@api.get("/summary")
def summary():
    args = flask.request.args
    req = TotalsRequest(p.window(args, as_of()), p.metrics(args), unit=p.unit(args), category=p.category(args))
    return _answer(get_query().totals(req).frame, "summary")


@api.get("/series")
def series():
    args = flask.request.args
    window, metrics = p.window(args, as_of()), p.metrics(args)
    grain = p.choice(args, "grain", p.GRAIN_CHOICES, "month")
    split = p.choice(args, "split", ("metric", "category", "direction"), "metric")
    lines = len(metrics) * (9 if split == "category" else 1)
    if p.periods(window, grain) * lines > p.MAX_POINTS:
        raise p.BadParam(f"that is more than {p.MAX_POINTS} points: use a coarser grain, fewer metrics or a "
                         "shorter window")
    req = SeriesRequest(window, metrics, grain, p.flag(args, "cumulative"), p.unit(args), p.category(args), split)
    return _answer(get_query().series(req).frame, "series")


@api.get("/breakdown")
def breakdown():
    args = flask.request.args
    level = p.choice(args, "level", ("bureau", "sub_bureau"), "bureau")
    parent = p.unit(args, "parent")
    if level == "sub_bureau" and parent is None:
        raise p.BadParam("level=sub_bureau needs 'parent', a bureau code")
    req = BreakdownRequest(p.window(args, as_of()), p.metrics(args), level=level,
                           parent=parent if level == "sub_bureau" else None, category=p.category(args))
    return _answer(get_query().breakdown(req).frame, "breakdown")


@api.get("/compare")
def compare_bureau():
    args = flask.request.args
    unit = p.unit(args)
    if unit is None:
        raise p.BadParam("'unit' (a bureau code) is required")
    req = CompareRequest(unit, p.window(args, as_of()), p.units(args, "peers") or None, p.metrics(args),
                         category=p.category(args))
    frame = get_query().compare(req).frame
    return _answer(frame, "compare")


@api.get("/quarantine")
def quarantine():
    args = flask.request.args
    req = QuarantineRequest(unit=p.unit(args), source=p.text(args, "source"),
                            limit=p.integer(args, "limit", 500, 1, 5000))
    frame = get_query().quality.quarantine_rows(req)
    return _answer(frame, "quarantine")


@api.get("/metrics")
def metric_catalog():
    frame = pd.DataFrame([{"id": m.id, "name_zh": m.name_zh, "name_en": m.name_en, "unit": m.unit,
                           "direction": int(m.direction), "source_system": m.source_system,
                           "published_over": m.published_over} for m in CATALOG])
    return _answer(frame, "metrics")


@api.get("/units")
def unit_list():
    frame = pd.DataFrame([{"code": u.code, "kind": u.kind, "parent_code": u.parent_code, "name_zh": u.name_zh,
                           "name_en": u.name_en, "population_10k": u.population_10k,
                           "gdp_100m_yuan": u.gdp_100m_yuan, "denominator_year": u.denominator_year}
                          for u in all_units().values()])
    return _answer(frame, "units")


@api.get("/openapi.json")
def openapi_document():
    document = build_openapi(sorted(METRICS), server_url=flask.request.host_url.rstrip("/"))
    if "api_v1_returns" in flask.current_app.blueprints:  # the returns API is served by this app
        from dashboard.web.returns_openapi import returns_paths

        document["paths"].update(returns_paths())
    return _json(document)


@api.get("/<path:rest>")
def unknown_route(rest: str):
    return json_error(404, "not_found", f"no API route /api/v1/{rest[:80]}; see /api/v1/openapi.json")


def register_api(server: flask.Flask) -> None:
    server.register_blueprint(api)

    @server.errorhandler(405)  # routing errors never reach a blueprint's own handlers
    def not_allowed(exc):
        if flask.request.path.startswith("/api/"):
            return json_error(405, "method_not_allowed", "the data API is read-only: use GET")
        return exc
