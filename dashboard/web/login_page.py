"""The sign-in form (Flask-WTF, so it carries a CSRF token) and its small bilingual page."""
from __future__ import annotations

from urllib.parse import urlencode

import flask
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboard.i18n import t

# The page's text keys: each is "login_<key>" in dashboard/messages.yaml (other_lang: "other_language").
TEXT_KEYS = ("title", "username", "password", "submit", "other_lang", "credentials", "form", "throttled")
OTHER_LANG = {"zh": "en", "en": "zh"}

PAGE = """<!doctype html>
<html lang="{{ 'zh-CN' if lang == 'zh' else 'en' }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ text.title }} · {{ app_title }}</title>
<link rel="stylesheet" href="/assets/style.css"></head>
<body><main class="login">
<h1 class="app-title">{{ app_title }}</h1>
<form method="post" action="{{ action }}" class="card login-form" autocomplete="on">
  <h2>{{ text.title }}</h2>
  {% if error %}<p class="login-error" role="alert">{{ error }}</p>{% endif %}
  {{ form.csrf_token }}
  <label>{{ text.username }} {{ form.username(autocomplete="username", autofocus=True, maxlength=64) }}</label>
  <label>{{ text.password }} {{ form.password(autocomplete="current-password", maxlength=256) }}</label>
  <button type="submit">{{ text.submit }}</button>
</form>
<p><a class="lang-link" href="{{ other_href }}">{{ text.other_lang }}</a></p>
</main></body></html>
"""


class LoginForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=64)])
    password = PasswordField(validators=[DataRequired(), Length(max=256)])


def render_login(form: LoginForm, lang: str, next_url: str, error: str | None = None) -> str:
    text = {key: t("other_language" if key == "other_lang" else f"login_{key}", lang) for key in TEXT_KEYS}
    query = {"next": next_url} if next_url != "/" else {}
    action = "/login?" + urlencode({**query, "lang": lang})
    other_href = "/login?" + urlencode({**query, "lang": OTHER_LANG[lang]})
    return flask.render_template_string(PAGE, form=form, lang=lang, text=text, error=text.get(error) if error else None,
                                        app_title=t("app_title", lang), action=action, other_href=other_href)
