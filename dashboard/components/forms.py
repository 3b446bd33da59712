"""Plain HTML POST forms inside Dash pages (sign-out, admin actions), each with the session's CSRF token."""
from __future__ import annotations

from dash import dcc, html
from flask_wtf.csrf import generate_csrf


def post_form(action: str, label: str, *, fields: list | None = None, class_name: str = "post-form",
              form_id: str | None = None, lang: str | None = None) -> html.Form:
    """A native form POST: the browser navigates, the Flask route answers with a redirect back (in `lang`,
    which the form carries, so that a page shown in English comes back in English)."""
    props = {"id": form_id} if form_id else {}
    hidden = [dcc.Input(type="hidden", name="lang", value=lang)] if lang else []
    return html.Form([dcc.Input(type="hidden", name="csrf_token", value=generate_csrf()), *hidden, *(fields or []),
                      html.Button(label, type="submit", className="form-button")],
                     action=action, method="POST", className=class_name, **props)
