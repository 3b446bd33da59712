"""Addresses for a page's static words, so a language change can swap them in place (assets/relabel.js).

A component can be updated only through its id. The router gives every id-less component that carries words
(a string child or a string prop) an id made of its position in the page, so the same place gets the same id in
either language. A view's output is filled in after this: what a callback writes carries no slot ids, and the
client replaces it whole through the id of the component that holds it.
"""
from __future__ import annotations

from collections.abc import Iterator

from dash.development.base_component import Component

SLOT_TYPE = "slot"
# Props that never hold words: a component with only these needs no address.
_WORDLESS = frozenset({"className", "style", "role", "key", "tabIndex", "type", "n_clicks", "n_clicks_timestamp",
                       "disable_n_clicks", "method", "hidden"})


def slot_id(path: str) -> dict:
    return {"type": SLOT_TYPE, "path": path}


def _children(component: Component) -> list:
    children = getattr(component, "children", None)
    if children is None:
        return []
    return list(children) if isinstance(children, (list, tuple)) else [children]


def _has_words(component: Component) -> bool:
    if any(isinstance(child, (str, int, float)) for child in _children(component)):
        return True
    props = component.to_plotly_json()["props"]
    return any(isinstance(value, str) for name, value in props.items() if name not in _WORDLESS)


def _walk(node, path: str) -> Iterator[tuple[Component, str]]:
    if isinstance(node, (list, tuple)):
        for index, child in enumerate(node):
            yield from _walk(child, f"{path}.{index}")
    elif isinstance(node, Component):
        yield node, path
        children = getattr(node, "children", None)
        yield from _walk(children, path if isinstance(children, (list, tuple)) else f"{path}.0")


def add_slot_ids(tree, root: str = "r") -> int:
    """Give each id-less component with words in `tree` its position as an id; returns how many got one."""
    given = 0
    for component, path in _walk(tree, root):
        if getattr(component, "id", None) is None and _has_words(component):
            component.id = slot_id(path)
            given += 1
    return given
