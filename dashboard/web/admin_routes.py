"""Admin-only actions (run the ETL now, publish a quarter's brief) and the audit of downloads.

The dashboard never imports etl: app.py hands create_app a `run_etl` callable that runs every configured
source once and returns one summary dict per source.
"""
from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable

import flask
import flask_login

from metrics.api import Accounts, BriefingPeriod, InvalidWindowError

from dashboard.web.auth import audit, get_csrf, json_error
from dashboard.web.back import back_to
from dashboard.data import current_principal, get_context, get_query

ETL_PATH = "/admin/etl/run"
PUBLISH_PATH = "/admin/briefings/publish"
BRIEFING_DOWNLOAD_ENDPOINTS = ("briefing_file", "briefing_chart", "briefing_payload")


def _require_admin_post() -> None:
    """Admin first (a non-admin gets 403 whatever it sends), then the form's CSRF token for browser sessions."""
    current_principal().require_admin()
    if getattr(flask_login.current_user, "via", "session") == "session":
        get_csrf().protect()


def _done(target: str, payload: dict, status: int = 200):
    """A browser form goes back to the page it came from; an API client gets JSON."""
    if flask.request.form.get("csrf_token") is not None:
        return flask.redirect(target, code=303)
    return flask.jsonify(payload), status


def register_admin_routes(server: flask.Flask, accounts: Accounts, run_etl: Callable[[], list[dict]] | None) -> None:
    etl_lock = threading.Lock()

    def etl_run():
        _require_admin_post()
        if run_etl is None:
            return json_error(503, "unavailable", "this process was started without an ETL runner")
        if not etl_lock.acquire(blocking=False):
            return json_error(409, "busy", "an ETL run started from the dashboard is still going")
        try:
            started = dt.datetime.now(dt.timezone.utc)
            results = run_etl()
        finally:
            etl_lock.release()
        seconds = (dt.datetime.now(dt.timezone.utc) - started).total_seconds()
        audit(accounts, "etl_run", {"sources": results, "seconds": round(seconds, 2)})
        return _done("/admin?etl=done", {"sources": results, "seconds": seconds})

    def publish_briefing():
        _require_admin_post()
        label = (flask.request.values.get("quarter") or "").strip()
        try:
            period = BriefingPeriod.for_quarter(label)
        except (InvalidWindowError, ValueError) as exc:
            return json_error(400, "bad_request", str(exc))
        result = get_query().briefings.publish(period, now=get_context().clock())
        b = result.briefing
        detail = {"period": b.period, "version": b.version, "created": result.created,
                  "content_hash": b.content_hash, "snapshot_id": b.id}
        audit(accounts, "briefing_publish", detail)
        return _done(back_to("/briefings", flask.request.form), detail, 201 if result.created else 200)

    server.add_url_rule(ETL_PATH, "admin_etl_run", etl_run, methods=["POST"])
    server.add_url_rule(PUBLISH_PATH, "admin_briefing_publish", publish_briefing, methods=["POST"])


def audit_briefing_downloads(server: flask.Flask, accounts: Accounts) -> None:
    """Wrap the brief download views so every file served is audited (who, which snapshot, which file)."""
    for endpoint in BRIEFING_DOWNLOAD_ENDPOINTS:
        view = server.view_functions[endpoint]

        def audited(*args, _view=view, _endpoint=endpoint, **kwargs):
            response = _view(*args, **kwargs)
            audit(accounts, "download", {"kind": _endpoint, "path": flask.request.path})
            return response

        server.view_functions[endpoint] = audited


def audit_callback_downloads(server: flask.Flask, accounts: Accounts) -> None:
    """A Dash callback whose output is a page's Download component sends a file: audit it."""
    @server.after_request
    def record(response: flask.Response) -> flask.Response:
        if flask.request.path != "/_dash-update-component" or response.status_code != 200:
            return response
        body = flask.request.get_json(silent=True) or {}
        output = body.get("output") or ""
        if '"type":"download"' not in output:
            return response
        inputs = [i.get("id") for i in body.get("inputs", []) if isinstance(i, dict)]
        audit(accounts, "download", {"kind": "csv", "output": output[:200],
                                   "trigger": json.dumps(body.get("changedPropIds", []))[:200],
                                   "inputs": json.dumps(inputs, ensure_ascii=False)[:300]})
        return response
