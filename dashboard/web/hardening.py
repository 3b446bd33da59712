"""Security headers, one JSON shape for every refusal, a 404 page for paths that are not pages and a 403 page
for pages outside the signed-in role's (dashboard/page_access.py).

Dash answers every unknown path with the app's index and malformed callback requests with Flask's HTML 400 or
a 500; here those become `{"error", "message"}` (or the 404 page for a browser), and every response carries
a Content-Security-Policy that Dash works with (its one inline script by hash, styles inline for Plotly and
AG Grid), X-Frame-Options: DENY, a Referrer-Policy and no server version.
"""
from __future__ import annotations

import html

import dash
import flask
from werkzeug.exceptions import HTTPException

from dashboard.data import current_principal
from dashboard.i18n import t
from dashboard.page_access import may_open
from dashboard.web.auth import json_error

DASH_CATCH_ALL = "/<path:path>"
UPDATE_PATH = "/_dash-update-component"


def content_security_policy(script_hashes) -> str:
    return "; ".join([
        "default-src 'self'", "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "font-src 'self' data:",
        "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
    ])


def _wants_page() -> bool:
    req = flask.request
    return req.method in ("GET", "HEAD") and not req.path.startswith(("/_", "/api/", "/admin/")) and \
        req.accept_mimetypes.best_match(["text/html", "application/json"]) != "application/json"


def not_found_page(lang: str, kind: str = "not_found") -> str:
    """The page for a path that is not a page (kind not_found) or a page the role may not open (forbidden)."""
    title, body, home = (html.escape(t(f"{kind}_{k}", lang)) for k in ("title", "body", "home"))
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            f'<link rel="stylesheet" href="/assets/style.css"></head><body><main class="page not-found">'
            f'<h1>{title}</h1><p>{body}</p><p><a href="/?lang={lang}">{home}</a></p></main></body></html>')


def _refuse_page(path: str):
    """A page outside the signed-in role's pages (dashboard/page_access.py): 403, as a page or as JSON."""
    principal = current_principal()
    if may_open(principal, path):
        return None
    if _wants_page():
        lang = "en" if flask.request.args.get("lang") == "en" else "zh"
        return not_found_page(lang, "forbidden"), 403, {"Content-Type": "text/html; charset=utf-8"}
    return json_error(403, "forbidden", f"{principal.name} ({principal.role}) may not open the page {path}")


def _bad_update(app: dash.Dash):
    """The callback request's shape, checked before Dash reads it; None when it is well formed."""
    body = flask.request.get_json(silent=True)
    if not isinstance(body, dict):
        return json_error(400, "bad_request", "the callback request body must be a JSON object")
    output = body.get("output")
    if not isinstance(output, str) or output not in app.callback_map:
        return json_error(400, "unknown_output", "no callback has this output")
    if not all(isinstance(body.get(k, []), list) for k in ("inputs", "state", "changedPropIds")):
        return json_error(400, "bad_request", "inputs, state and changedPropIds must be lists")
    return None


def register_hardening(app: dash.Dash) -> None:
    server = app.server
    policy = content_security_policy(app.csp_hashes())
    pages = {p["path"] for p in dash.page_registry.values()}

    @server.before_request
    def refuse_malformed_updates():
        if flask.request.path == UPDATE_PATH and flask.request.method == "POST":
            return _bad_update(app)
        rule = flask.request.url_rule
        if rule is not None and rule.rule == DASH_CATCH_ALL and flask.request.path.rstrip("/") not in pages:
            if _wants_page():
                lang = "en" if flask.request.args.get("lang") == "en" else "zh"
                return not_found_page(lang), 404, {"Content-Type": "text/html; charset=utf-8"}
            return json_error(404, "not_found", f"no page {flask.request.path[:80]}")
        path = flask.request.path.rstrip("/") or "/"
        if rule is not None and rule.rule in (DASH_CATCH_ALL, "/") and path in pages:
            return _refuse_page(path)
        return None

    @server.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 404 and _wants_page():
            return not_found_page("en" if flask.request.args.get("lang") == "en" else "zh"), 404
        return json_error(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"), exc.description or "")

    @server.errorhandler(500)
    def internal_error(exc):
        return json_error(500, "internal_error", "the server could not answer this request")

    @server.after_request
    def security_headers(response: flask.Response) -> flask.Response:
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Server"] = "IMD"  # not Werkzeug/x.y Python/x.y
        return response
