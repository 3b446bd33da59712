"""Each role sees exactly its pages in the menu, and the server refuses the others (403 page and 403 JSON)."""
from __future__ import annotations

import re

import dash
import pytest

from dashboard.page_access import PAGES_BY_ROLE
from metrics.users import add_user, list_users
from tests.auth_helpers import password, signed_in_client
from tests.dashboard.test_auth_roles import page_request, text_of

ROLE_USERS = {"admin": "admin", "leadership": "lead", "bureau": "gd", "sub_bureau": "gz_clerk", "editor": "writer"}
EXPECTED = {  # written out again here: a change to the table must be a change to this test too
    "admin": {"/", "/trends", "/regions", "/compare", "/scorecard", "/briefings", "/data", "/notices", "/targets",
              "/returns", "/admin", "/audit"},
    "leadership": {"/", "/trends", "/regions", "/compare", "/scorecard", "/briefings", "/data", "/notices",
                   "/targets", "/returns"},
    "bureau": {"/", "/trends", "/regions", "/compare", "/scorecard", "/briefings", "/data", "/notices", "/targets",
               "/returns"},
    "editor": {"/", "/trends", "/regions", "/compare", "/scorecard", "/briefings", "/data", "/notices", "/targets"},
    "sub_bureau": {"/", "/trends", "/data", "/notices", "/returns"},
}
NAV = re.compile(r'\{"type": "nav", "path": "([^"]*)"\}|\{"path": "([^"]*)", "type": "nav"\}')


@pytest.fixture(scope="module")
def app(secured):
    known = {u.name for u in list_users(secured.engine)}
    for name, role, unit in (("gz_clerk", "sub_bureau", "440100"), ("writer", "editor", None)):
        if name not in known:
            add_user(secured.engine, name, role, password(name), unit_code=unit)
    return secured.app


def test_the_table_is_the_one_written_here_and_names_only_real_pages(app):
    pages = {p["path"] for p in dash.page_registry.values()}
    assert {role: set(paths) for role, paths in PAGES_BY_ROLE.items() if role != "system"} == EXPECTED
    assert set().union(*EXPECTED.values()) == pages  # every page belongs to some role, and no role names a ghost


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_the_menu_shows_exactly_the_roles_pages(app, role):
    client = signed_in_client(app, ROLE_USERS[role])
    shown = text_of(client.post("/_dash-update-component", json=page_request("/")))
    assert {a or b for a, b in NAV.findall(shown)} == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_the_server_refuses_every_page_outside_the_role(app, role):
    client = signed_in_client(app, ROLE_USERS[role])
    pages = {p["path"] for p in dash.page_registry.values()}
    for path in sorted(pages - EXPECTED[role]):
        page = client.get(path + "?lang=en", headers={"Accept": "text/html"})
        assert page.status_code == 403 and "Your role may not open this page." in page.get_data(as_text=True), path
        crafted = client.post("/_dash-update-component", json=page_request(path))
        assert crafted.status_code == 403 and crafted.json["error"] == "forbidden", path
        assert client.get(path, headers={"Accept": "application/json"}).json["error"] == "forbidden"
    for path in sorted(EXPECTED[role]):
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path
        opened = client.post("/_dash-update-component", json=page_request(path))
        assert opened.status_code == 200, (path, opened.get_data(as_text=True)[:300])
