"""Saving the staff-written text of a quarter's brief: a native form POST from the Briefings page, for
administrators and editors, CSRF-checked and audited. The text is the draft's until the quarter is published."""
from __future__ import annotations

import flask
import flask_login

from metrics.api import LANGS, AccessDenied, Accounts, BriefTextError, text_keys

from dashboard.web.auth import audit, get_csrf, json_error
from dashboard.web.back import back_to
from dashboard.data import current_principal, get_context, get_query

TEXT_PATH = "/briefings/text"


def field_name(section: str, field: str, lang: str) -> str:
    return f"text:{section}:{field}:{lang}"


def register_text_routes(server: flask.Flask, accounts: Accounts) -> None:
    def save_text():
        principal = current_principal()
        try:
            principal.require_brief_writer()
        except AccessDenied as exc:
            return json_error(403, "forbidden", str(exc))
        if getattr(flask_login.current_user, "via", "session") == "session":
            get_csrf().protect()
        form = flask.request.form
        quarter = (form.get("quarter") or "").strip().upper()
        texts = {(s, f, lang): form.get(field_name(s, f, lang), "") for s, f in text_keys() for lang in LANGS}
        try:
            kept = get_query().briefings.save_texts(quarter, texts, now=get_context().clock())
        except BriefTextError as exc:
            return json_error(400, "bad_request", str(exc))
        audit(accounts, "briefing_text", {"quarter": quarter, "texts": kept})
        if form.get("csrf_token") is not None:
            return flask.redirect(back_to("/briefings", form, quarter=quarter), code=303)
        return flask.jsonify({"quarter": quarter, "texts": kept})

    server.add_url_rule(TEXT_PATH, "briefing_text_save", save_text, methods=["POST"])
