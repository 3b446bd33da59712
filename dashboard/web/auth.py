"""Sign-in for the whole Dash server: pages, callbacks, downloads, API and admin routes.

- Sessions: Flask-Login; the cookie holds only the user name, and every request re-reads the user, so a
  disabled user is out at their next request. Machine clients send `Authorization: Bearer <token>` instead.
- Public without sign-in: /login itself, and Dash's static files (/assets/..., /_dash-component-suites/...,
  /_favicon.ico), which carry code and styles but no data. Everything else is gated here, before any view:
  a page load is redirected to /login, any other request (callback, layout, download, API, admin) gets 401 JSON.
- CSRF: Flask-WTF guards the HTML forms (sign-in, sign-out, the admin POSTs) with a session-bound token.
  Dash's own POSTs are JSON (`Content-Type: application/json`), which a cross-site HTML form cannot send
  without a CORS preflight this server never grants, and the session cookie is SameSite=Lax, so a cross-site
  POST carries no session; a global CSRFProtect would break them for no gain, so the check is per form.
- Sign-in attempts are rate limited (Flask-Limiter): LOGIN_LIMIT per IP and user name, LOGIN_IP_LIMIT per IP;
  only failed attempts count. Storage is in-process memory, or Redis when settings.web.redis_url is set.
"""
from __future__ import annotations

import datetime as dt
import secrets
from urllib.parse import urlsplit

import flask
import flask_login
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from metrics.api import AccessDenied, Accounts, Principal

from dashboard.web.login_page import LoginForm, render_login

LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
LOGIN_LIMIT = "5 per minute"
LOGIN_IP_LIMIT = "30 per minute"
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
PUBLIC_PATHS = {LOGIN_PATH, "/_favicon.ico"}
_EXTENSION = "imd_auth"


class SignedInUser(flask_login.UserMixin):
    def __init__(self, principal: Principal, via: str = "session"):
        self.principal = principal
        self.via = via  # session | token

    def get_id(self) -> str:
        return self.principal.name


def remote_addr() -> str | None:
    return flask.request.remote_addr


def audit(accounts: Accounts, action: str, detail: dict | str | None = None, actor: str | None = None) -> None:
    """Record an event for the current request's user (or the given actor)."""
    user = flask_login.current_user
    if actor is None and user and user.is_authenticated:
        actor = user.principal.name
    accounts.record_audit(action, actor=actor, detail=detail, remote_addr=remote_addr())


def _wants_html() -> bool:
    """A browser loading a page; anything else (callbacks, API, downloads, POSTs) is answered with JSON."""
    req = flask.request
    if req.method != "GET" or req.path.startswith(("/_", "/api/", "/admin/", "/briefings/files/")):
        return False
    best = req.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "text/html" or not req.accept_mimetypes.provided


def json_error(status: int, error: str, message: str):
    return flask.jsonify({"error": error, "message": message}), status


def safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would turn the sign-in page into a phishing aid."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _configure(server: flask.Flask, web) -> None:
    secure = bool(getattr(web, "secure_cookies", False))
    server.config.update(
        SECRET_KEY=(getattr(web, "secret_key", "") or secrets.token_hex(32)),
        SESSION_COOKIE_NAME="imd_session", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure, REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure, PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
        WTF_CSRF_CHECK_DEFAULT=False,  # checked per form: see the module docstring
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    server.debug = False  # app.py's `serve` turns debug on only when IMD_DEBUG asks for it


def _token_user(req: flask.Request) -> SignedInUser | None:
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    principal = _accounts().principal_for_token(token.strip())
    return SignedInUser(principal, via="token") if principal else None


def _accounts() -> Accounts:
    return flask.current_app.extensions[_EXTENSION]["accounts"]


def get_limiter() -> Limiter:
    return flask.current_app.extensions[_EXTENSION]["limiter"]


def get_csrf() -> CSRFProtect:
    return flask.current_app.extensions[_EXTENSION]["csrf"]


def _login_key() -> str:
    name = (flask.request.form.get("username") or "").strip().lower()[:64]
    return f"{get_remote_address()}|{name}"


def _failed(response: flask.Response) -> bool:
    return response.status_code >= 400


def init_auth(server: flask.Flask, accounts: Accounts, settings=None) -> Limiter:
    """Install sign-in, the gate in front of every route, CSRF for forms and the login rate limits."""
    web = getattr(settings, "web", None)
    _configure(server, web)
    manager = flask_login.LoginManager(server)
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(name: str):
        principal = accounts.load_principal(name)
        return SignedInUser(principal) if principal else None

    manager.request_loader(_token_user)
    csrf = CSRFProtect(server)
    redis_url = getattr(web, "redis_url", None)
    # Redis down: the limits go on in this process's memory (Flask-Limiter logs the switch) and return to Redis
    # when it answers again.
    limiter = Limiter(get_remote_address, app=server, storage_uri=redis_url or "memory://",
                      key_prefix="imd-login", headers_enabled=True, in_memory_fallback_enabled=bool(redis_url),
                      swallow_errors=bool(redis_url))
    server.extensions[_EXTENSION] = {"accounts": accounts, "limiter": limiter, "csrf": csrf}

    @server.before_request
    def refuse_nul_characters():
        # No field takes a NUL; PostgreSQL refuses it in text, which would surface as a server error.
        req = flask.request
        fields = [v for part in (req.args, req.form) for _, v in part.items(multi=True)]
        if any("\x00" in v for v in fields) or (req.is_json and b"\\u0000" in req.get_data(cache=True)):
            return json_error(400, "bad_request", "the request holds a NUL character (\\0), which no field accepts")
        return None

    @server.before_request
    def require_sign_in():
        path = flask.request.path
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            return None
        if flask_login.current_user.is_authenticated:
            return None
        if _wants_html():
            return flask.redirect(f"{LOGIN_PATH}?next={flask.request.full_path.rstrip('?')}", code=302)
        return json_error(401, "unauthorized", "sign-in required: sign in at /login or send a Bearer token")

    def login():
        form = LoginForm()
        lang = "en" if flask.request.args.get("lang") == "en" else "zh"
        next_url = safe_next(flask.request.args.get("next"))
        if flask.request.method == "GET":
            return render_login(form, lang, next_url)
        name = (form.username.data or "").strip()
        if not form.validate_on_submit():
            reason = "csrf" if "csrf_token" in form.errors else "incomplete"
            audit(accounts, "login_failed", {"name": name[:64], "reason": reason}, actor=name[:64] or None)
            return render_login(form, lang, next_url, error="form"), 400
        principal = accounts.authenticate(name, form.password.data)
        if principal is None:
            audit(accounts, "login_failed", {"name": name[:64], "reason": "credentials"}, actor=name[:64])
            return render_login(form, lang, next_url, error="credentials"), 401
        flask.session.clear()  # a fresh session at sign-in: no fixation
        flask_login.login_user(SignedInUser(principal))
        flask.session.permanent = True
        # The forms' CSRF token goes into the session now: minted later by a layout callback, it could be lost
        # to a concurrent callback's response that writes the cookie back without it.
        generate_csrf()
        audit(accounts, "login_ok", {"role": principal.role, "unit": principal.unit_code}, actor=principal.name)
        return flask.redirect(next_url, code=303)

    login = limiter.limit(LOGIN_IP_LIMIT, methods=["POST"], deduct_when=_failed)(login)
    login = limiter.limit(LOGIN_LIMIT, key_func=_login_key, methods=["POST"], deduct_when=_failed)(login)
    server.add_url_rule(LOGIN_PATH, "login", login, methods=["GET", "POST"])

    def logout():
        csrf.protect()
        audit(accounts, "logout")
        flask_login.logout_user()
        flask.session.clear()
        return flask.redirect(LOGIN_PATH, code=303)

    server.add_url_rule(LOGOUT_PATH, "logout", logout, methods=["POST"])
    _register_error_handlers(server, accounts)
    return limiter


def _register_error_handlers(server: flask.Flask, accounts: Accounts) -> None:
    @server.errorhandler(AccessDenied)
    def forbidden(exc: AccessDenied):
        audit(accounts, "denied", {"path": flask.request.path, "reason": str(exc)[:300]})
        return json_error(403, "forbidden", str(exc))

    @server.errorhandler(CSRFError)
    def bad_csrf(exc: CSRFError):
        return json_error(400, "csrf", exc.description)

    @server.errorhandler(429)
    def too_many(exc):
        if flask.request.path == LOGIN_PATH:
            name = (flask.request.form.get("username") or "").strip()[:64]
            audit(accounts, "login_throttled", {"name": name}, actor=name or None)
            lang = "en" if flask.request.args.get("lang") == "en" else "zh"
            return render_login(LoginForm(), lang, safe_next(flask.request.args.get("next")), error="throttled"), 429
        return json_error(429, "too_many_requests", str(getattr(exc, "description", exc)))
