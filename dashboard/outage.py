"""While the metrics store is unreachable every request gets a clear 503 (JSON for Dash and API calls, a short
page for a browser), never a traceback; the next request after the store returns is served as usual."""
from __future__ import annotations

import logging
from html import escape

import flask

from metrics.api import STORE_OUTAGE_ERRORS

from dashboard.i18n import LANGS, t

log = logging.getLogger("imd.web")
RETRY_AFTER_S = "5"


def _wants_json(request: flask.Request) -> bool:
    return (request.path.startswith(("/_dash", "/api/")) or request.is_json
            or request.accept_mimetypes.best == "application/json")


def store_unavailable(error: Exception):
    request = flask.request
    lang = request.args.get("lang") if request.args.get("lang") in LANGS else "zh"
    log.warning("metrics store unreachable (%s %s): %s", request.method, request.path,
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)
    headers = {"Retry-After": RETRY_AFTER_S, "Cache-Control": "no-store"}
    if _wants_json(request):
        return flask.jsonify(error="store_unavailable", message=t("store_unavailable", lang)), 503, headers
    title, text = escape(t("store_unavailable_title", lang)), escape(t("store_unavailable", lang))
    page = (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta http-equiv='refresh' content='{RETRY_AFTER_S}'></head>"
            f"<body><main><h1>{title}</h1><p>{text}</p></main></body></html>")
    return page, 503, {**headers, "Content-Type": "text/html; charset=utf-8"}


def register_outage_handlers(server: flask.Flask) -> None:
    for error in STORE_OUTAGE_ERRORS:
        server.register_error_handler(error, store_unavailable)
