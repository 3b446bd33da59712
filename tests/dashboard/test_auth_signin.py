"""Sign-in: every route is gated, the form has CSRF and a rate limit, cookies are locked down, audit rows exist."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dashboard import create_app
from dashboard.web.auth import LOGIN_LIMIT
from metrics.api import MetricsStore
from metrics.config import Settings, StoreSettings, WebSettings
from metrics.models import AuditEvent, User
from metrics.users import set_active
from tests.auth_helpers import USERS, csrf_token, password, sign_in, signed_in_client

SAMPLE_VALUES = {"snapshot_id": "1", "lang": "zh", "fmt": "pdf", "chart": "progress", "path": "regions",
                 "filename": "style.css", "package_name": "dash", "fingerprinted_path": "dash_renderer.min.js",
                 "rest": "summary"}
_ARG = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def concrete_urls(server) -> list[tuple[str, str, str]]:
    """(method, url, rule) for every rule of the Flask url_map, with sample values in its variables."""
    out = []
    for rule in server.url_map.iter_rules():
        url = _ARG.sub(lambda m: SAMPLE_VALUES.get(m.group(1), "x"), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, url, rule.rule))
    return out


def _events(engine, action: str) -> list[AuditEvent]:
    with engine.connect() as conn:
        return conn.execute(select(AuditEvent.actor, AuditEvent.detail, AuditEvent.remote_addr)
                            .where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_every_route_refuses_anonymous_requests(secured):
    urls = concrete_urls(secured.app.server)
    paths = {u for _, u, _ in urls}
    assert {"/_dash-update-component", "/_dash-layout", "/_dash-dependencies", "/_reload-hash"} <= paths
    assert {"/api/v1/summary", "/admin/etl/run", "/briefings/files/1/zh.pdf", "/logout", "/regions"} <= paths
    client = secured.app.server.test_client()
    public_rules = set()
    for method, url, rule in urls:
        response = client.open(url, method=method, json={} if method == "POST" else None)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login?next="), (method, url)
        elif response.status_code == 401:
            assert response.json["error"] == "unauthorized", (method, url)
        else:
            public_rules.add(rule)
    assert public_rules == {"/login", "/_favicon.ico", "/assets/<path:filename>",
                            "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"}
    assert len(urls) >= 25
    # Pages redirect; callbacks, data and API answer 401 JSON.
    assert client.get("/regions?unit=440000").headers["Location"] == "/login?next=/regions?unit=440000"
    assert client.post("/_dash-update-component", json={"output": "x"}).status_code == 401
    assert client.get("/api/v1/series", headers={"Authorization": "Bearer imd_wrong"}).status_code == 401


def test_sign_in_and_out_through_the_form(secured):
    client = secured.app.server.test_client()
    assert client.get("/login?lang=en").status_code == 200 and b"Sign in" in client.get("/login?lang=en").data
    response = sign_in(client, "lead")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "imd_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/_dash-layout").status_code == 200
    assert client.post("/logout").status_code == 400  # no CSRF token: refused
    token = csrf_token(client, "/login")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/_dash-layout").status_code == 401
    assert _events(secured.engine, "login_ok")[-1].actor == "lead"


def test_wrong_password_and_missing_csrf_fail_and_are_audited(secured):
    client = secured.app.server.test_client()
    before = len(_events(secured.engine, "login_failed"))
    assert sign_in(client, "gd", "not-the-password").status_code == 401
    no_token = client.post("/login", data={"username": "gd", "password": password("gd")})
    assert no_token.status_code == 400
    assert client.get("/_dash-layout").status_code == 401
    failed = _events(secured.engine, "login_failed")[before:]
    assert [(e.actor, '"reason": "credentials"' in e.detail) for e in failed][0] == ("gd", True)
    assert '"reason": "csrf"' in failed[1].detail and failed[1].remote_addr == "127.0.0.1"
    assert all("not-the-password" not in e.detail for e in failed)


def test_a_nul_character_anywhere_in_a_request_is_refused_before_any_query(secured):
    client = secured.app.server.test_client()
    before = len(_events(secured.engine, "login_failed"))
    form = {"username": "gd\x00", "password": password("gd"), "csrf_token": csrf_token(client, "/login")}
    for response in (client.post("/login", data=form),
                     signed_in_client(secured.app, "lead").post("/_dash-update-component",
                                                                json={"output": "x", "inputs": [{"value": "\x00"}]})):
        assert response.status_code == 400 and "NUL character" in response.json["message"]
    assert len(_events(secured.engine, "login_failed")) == before  # nothing reached the store


def test_the_rate_limit_trips_after_repeated_failures(secured):
    limit = int(LOGIN_LIMIT.split()[0])
    attacker, bystander = {"REMOTE_ADDR": "10.0.0.7"}, {"REMOTE_ADDR": "10.0.0.8"}
    client = secured.app.server.test_client()
    codes = [sign_in(client, "sc", f"guess-number-{i}", environ=attacker).status_code for i in range(limit + 2)]
    assert codes[:limit] == [401] * limit and codes[limit:] == [429, 429]
    assert sign_in(client, "sc", environ=attacker).status_code == 429  # even the right password, for now
    assert sign_in(secured.app.server.test_client(), "sc", environ=bystander).status_code == 303
    throttled = _events(secured.engine, "login_throttled")
    assert throttled and throttled[-1].remote_addr == "10.0.0.7"


def test_a_successful_sign_in_does_not_count_towards_the_limit(secured):
    limit = int(LOGIN_LIMIT.split()[0])
    for _ in range(limit + 1):
        assert sign_in(secured.app.server.test_client(), "admin", environ={"REMOTE_ADDR": "10.0.1.1"}).status_code == 303


def test_passwords_are_stored_only_as_argon2id_hashes(secured):
    with secured.engine.connect() as conn:
        stored = dict(conn.execute(select(User.name, User.password_hash)).all())
    assert set(USERS) <= set(stored)
    for name in USERS:
        assert stored[name].startswith("$argon2id$") and password(name) not in stored[name]
    with secured.engine.connect() as conn:
        details = " ".join(d or "" for d in conn.execute(select(AuditEvent.detail)).scalars())
    assert not any(password(name) in details for name in USERS)


def test_next_only_goes_to_this_site(secured):
    client = secured.app.server.test_client()
    token = csrf_token(client)
    for target, expected in (("https://evil.example/x", "/"), ("//evil.example", "/"), ("/compare?unit=1", "/compare?unit=1")):
        response = client.post(f"/login?next={target}", data={"username": "lead", "password": password("lead"),
                                                              "csrf_token": token})
        assert response.headers["Location"] == expected
        token = csrf_token(client)


def test_a_disabled_user_is_signed_out_at_the_next_request(secured):
    from metrics.users import add_user

    add_user(secured.engine, "leaver", "leadership", password("leaver"))
    client = signed_in_client(secured.app, "leaver")
    assert client.get("/_dash-layout").status_code == 200
    set_active(secured.engine, "leaver", False)
    assert client.get("/_dash-layout").status_code == 401


def test_secure_cookies_and_no_debug(secured, tmp_path):
    settings = Settings(data_dir=tmp_path, store=StoreSettings(url="sqlite://"), sources_path=tmp_path / "x.yaml",
                        web=WebSettings(secret_key="k" * 32, secure_cookies=True))
    app = create_app(settings, MetricsStore(secured.engine))
    assert app.server.debug is False and app.server.config["SESSION_COOKIE_SECURE"] is True
    response = sign_in(app.server.test_client(), "lead", environ={"wsgi.url_scheme": "https"})
    assert response.status_code == 303 and "Secure" in response.headers["Set-Cookie"]
    assert secured.app.server.config["SECRET_KEY"] == "a-test-secret-key"


@pytest.mark.parametrize("lang,text", [("zh", "用户名"), ("en", "User name")])
def test_the_login_page_speaks_both_languages(secured, lang, text):
    page = secured.app.server.test_client().get(f"/login?lang={lang}").get_data(as_text=True)
    assert text in page and 'name="csrf_token"' in page


def test_with_redis_the_limit_is_shared_by_every_worker(secured, tmp_path):
    """Two apps (two web workers) over one Redis: failures on either count towards the same limit."""
    import os
    import uuid

    import redis

    url = os.environ.get("IMD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        if os.environ.get("IMD_REQUIRE_REDIS") == "1":
            pytest.fail(f"IMD_REQUIRE_REDIS=1 but Redis at {url} is unreachable: {exc}")
        pytest.skip(f"Redis at {url} is unreachable")
    settings = Settings(data_dir=tmp_path, store=StoreSettings(url="sqlite://"), sources_path=tmp_path / "x.yaml",
                        web=WebSettings(secret_key="k" * 32, redis_url=url))
    workers = [create_app(settings, MetricsStore(secured.engine)).server.test_client() for _ in range(2)]
    address = {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.9"}
    limit = int(LOGIN_LIMIT.split()[0])
    try:
        codes = [sign_in(workers[i % 2], "gd", f"wrong-{i}", environ=address).status_code for i in range(limit + 1)]
        assert codes == [401] * limit + [429]
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"*{address['REMOTE_ADDR']}*"):
            client.delete(key)
