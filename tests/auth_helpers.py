"""Test users, signing in through the real form, and acting as a user inside a request context."""
from __future__ import annotations

import contextlib
import re

import flask_login

from metrics.api import Accounts
from metrics.users import add_user

USERS = {"admin": ("admin", None), "lead": ("leadership", None), "gd": ("bureau", "440000"),
         "sc": ("bureau", "510000")}
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def password(name: str) -> str:
    return f"{name}-correct-horse-9"


def add_test_users(engine) -> None:
    for name, (role, unit) in USERS.items():
        add_user(engine, name, role, password(name), unit_code=unit)


def csrf_token(client, path: str = "/login") -> str:
    """The token the sign-in form carries (it is bound to the client's session cookie)."""
    html = client.get(path).get_data(as_text=True)
    return _CSRF.search(html).group(1)


def sign_in(client, name: str, secret: str | None = None, *, environ: dict | None = None):
    token = csrf_token(client)
    return client.post("/login", data={"username": name, "password": secret or password(name), "csrf_token": token},
                       environ_base=environ or {})


def signed_in_client(app, name: str):
    client = app.server.test_client()
    response = sign_in(client, name)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return client


@contextlib.contextmanager
def acting_as(app, engine, name: str, path: str = "/"):
    """A request context whose signed-in user is `name`: for calling callbacks and layouts directly.
    `engine` may be the store's engine or its Accounts."""
    from dashboard.web.auth import SignedInUser

    accounts = engine if isinstance(engine, Accounts) else Accounts(engine)
    with app.server.test_request_context(path):
        flask_login.login_user(SignedInUser(accounts.load_principal(name)))
        yield app


def dash_request(output: str, outputs, inputs: list[dict], changed: list[str], state: list[dict] | None = None) -> dict:
    """The body dash-renderer POSTs to /_dash-update-component."""
    return {"output": output, "outputs": outputs, "inputs": inputs, "changedPropIds": changed,
            "state": state or []}


ROUTER_OUTPUT = "..page-root.children...next-page.data...drawn-search.data.."  # callbacks/shell.py: show_page


def router_request(path: str, search: str) -> dict:
    """The body dash-renderer POSTs when the path changes: the router builds the page (with its figures)."""
    return dash_request(ROUTER_OUTPUT, [{"id": "page-root", "property": "children"},
                                        {"id": "next-page", "property": "data"},
                                        {"id": "drawn-search", "property": "data"}],
                        [{"id": "url", "property": "pathname", "value": path},
                         {"id": "lang-switch", "property": "data", "value": None}], ["url.pathname"],
                        [{"id": "url", "property": "search", "value": search}])
