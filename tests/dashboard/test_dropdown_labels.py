"""Every dropdown on every page speaks the page's language: Dash's own "Search", "Select All" and
"No options found" are replaced by the catalog's words (components/controls.py: dropdown_labels)."""
from __future__ import annotations

import pytest

from dashboard.components.controls import dropdown_labels
from dashboard.page_access import ADMIN_PAGES, READ_PAGES
from tests.auth_helpers import router_request, signed_in_client


def _rendered(client, path: str, lang: str) -> list:
    response = client.post("/_dash-update-component", json=router_request(path, f"?lang={lang}"))
    assert response.status_code == 200, path
    return response.json["response"]["page-root"]["children"]


def _dropdowns(node):
    if isinstance(node, list):
        for child in node:
            yield from _dropdowns(child)
    elif isinstance(node, dict) and "props" in node:
        if node.get("type") == "Dropdown":
            yield node["props"]
        for value in node["props"].values():
            yield from _dropdowns(value)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_dropdown_on_every_page_has_its_texts_in_the_page_language(secured, lang):
    admin = signed_in_client(secured.app, "admin")
    seen = 0
    for path in (*READ_PAGES, *ADMIN_PAGES, "/returns"):
        for props in _dropdowns(_rendered(admin, path, lang)):
            assert props.get("labels") == dropdown_labels(lang), (path, props.get("id"))
            seen += 1
    assert seen >= 8  # the global controls on each page, and the pages' own
    assert dropdown_labels("zh")["search"] == "搜索" and dropdown_labels("en")["selected_count"] == "{num_selected} selected"
