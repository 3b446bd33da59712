"""The sign-in form (Flask-WTF, so it carries a CSRF token) and its small bilingual page."""
from __future__ import annotations

from urllib.parse import urlencode

import flask
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboard.i18n import t

TEXT = {
    "title": ("登录", "Sign in"),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "submit": ("登录", "Sign in"),
    "other_lang": ("English", "中文"),
    "credentials": ("用户名或密码错误。", "Wrong user name or password."),
    "form": ("表单已过期或不完整，请重试。", "The form expired or was incomplete; please try again."),
    "throttled": ("登录失败次数过多，请一分钟后再试。", "Too many failed sign-ins; try again in a minute."),
}

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
    text = {key: pair[0 if lang == "zh" else 1] for key, pair in TEXT.items()}
    query = {"next": next_url} if next_url != "/" else {}
    action = "/login?" + urlencode({**query, "lang": lang})
    other_href = "/login?" + urlencode({**query, "lang": "en" if lang == "zh" else "zh"})
    return flask.render_template_string(PAGE, form=form, lang=lang, text=text, error=text.get(error) if error else None,
                                        app_title=t("app_title", lang), action=action, other_href=other_href)
