"""Slot ids: the router's addresses for a page's words (dashboard/components/slots.py)."""
from __future__ import annotations

from dash import dcc, html

from dashboard.components.slots import SLOT_TYPE, add_slot_ids


def _page(words: list[str]):
    return [html.Header([html.H1(words[0]), html.Nav(html.A(words[1], href="/"), **{"aria-label": words[2]})]),
            html.Main([html.Div([html.H3(words[3], id="kept"), dcc.Graph(id="g"), html.Div(className="empty"),
                                 html.Div(html.Span(words[4]))])])]


def _ids(tree) -> list:
    out = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for child in node:
                walk(child)
        elif hasattr(node, "to_plotly_json"):
            out.append(getattr(node, "id", None))
            walk(getattr(node, "children", None))
    walk(tree)
    return out


def test_only_id_less_components_with_words_get_a_slot_and_each_slot_is_unique():
    tree = _page(["标题", "总览", "主导航", "图", "说明"])
    assert add_slot_ids(tree) == 4  # H1, Nav (its aria-label), A, Span; not the Header, Main or an empty Div
    ids = _ids(tree)
    slots = [i for i in ids if isinstance(i, dict) and i["type"] == SLOT_TYPE]
    assert len(slots) == len({i["path"] for i in slots}) == 4
    assert "kept" in ids and "g" in ids  # an id of its own is never replaced
    # A lone child and its parent sit at different places.
    nav, link = tree[0].children[1], tree[0].children[1].children
    assert nav.id != link.id


def test_the_same_place_gets_the_same_slot_in_either_language():
    chinese, english = _page(["标题", "总览", "主导航", "图", "说明"]), _page(["Title", "Overview", "Main", "Chart", "Note"])
    add_slot_ids(chinese)
    add_slot_ids(english)
    assert _ids(chinese) == _ids(english)
