"""Every refusal is JSON of one shape, unknown paths are a 404 page, and every response carries the security
headers (the app as create_app builds it, over SQLite and PostgreSQL)."""
from __future__ import annotations

import re

import pytest

from tests.auth_helpers import signed_in_client
from tests.dashboard.test_auth_roles import drill_request

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def client(app):
    return signed_in_client(app, "lead")


def _refusal(response, status: int) -> dict:
    assert response.status_code == status and response.is_json, response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert set(body) == {"error", "message"} and body["error"] and isinstance(body["message"], str)
    return body


@pytest.mark.parametrize("body, error", [
    (b"{not json", "bad_request"), (b"[1, 2]", "bad_request"), (b'"text"', "bad_request"), (b"", "bad_request"),
    (b'{"output": "nothing-here.children", "outputs": {}, "inputs": []}', "unknown_output"),
    (b'{"output": ["a"], "inputs": []}', "unknown_output"),
])
def test_malformed_callback_requests_get_json(client, body, error):
    response = client.post(UPDATE, data=body, content_type="application/json")
    assert _refusal(response, 400)["error"] == error


def test_a_well_formed_callback_still_works(client):
    assert client.post(UPDATE, json=drill_request("440000")).status_code == 200


def test_a_callback_with_bad_input_shapes_is_refused(client):
    request = drill_request("440000") | {"inputs": {"not": "a list"}}
    _refusal(client.post(UPDATE, json=request), 400)


def test_unknown_paths_get_a_404_page_and_pages_still_load(client):
    page = client.get("/nonexistent", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "页面不存在" in page.get_data(as_text=True)
    assert "Page not found" in client.get("/nope/deeper?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True)
    _refusal(client.get("/nonexistent", headers={"Accept": "application/json"}), 404)
    for path in ("/", "/data", "/regions/", "/trends?lang=en"):
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path


def test_other_refusals_share_the_shape(client, app):
    _refusal(client.get("/api/v1/nowhere"), 404)
    _refusal(client.delete("/api/v1/summary"), 405)
    _refusal(app.server.test_client().post(UPDATE, json=drill_request("440000")), 401)


def test_security_headers_on_pages_callbacks_and_refusals(client, app):
    responses = [client.get("/", headers={"Accept": "text/html"}), client.post(UPDATE, json=drill_request("440000")),
                 client.post(UPDATE, data=b"{", content_type="application/json"),
                 app.server.test_client().get("/login"), client.get("/nonexistent", headers={"Accept": "text/html"})]
    for response in responses:
        headers = response.headers
        assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff"
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and re.search(r"script-src 'self' 'sha256-[^']+'", csp)
        assert "unsafe-eval" not in csp
        assert not re.search(r"Werkzeug|Python/", headers.get("Server", ""))
