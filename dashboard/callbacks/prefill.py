"""A page arrives with its figures: the router runs the page's view callbacks while it builds the page.

A view callback reads nothing but the page's ready marker and the URL (common.page_inputs). The router calls it
with the URL it renders and writes what it returns into the layout, so a page is drawn after one round trip,
not two (the layout, then its callbacks). Such callbacks are declared with prevent_initial_call: they run again
only when the view in the URL changes.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import dash
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from metrics.api import AccessDenied

from dashboard.components.ids import ShellIds, ready_id

READY_TYPE = ready_id("")["type"]


@dataclass(frozen=True)
class PageView:
    page: str
    func: Callable
    outputs: tuple[dash.Output, ...]
    single: bool  # one bare Output: the function returns the value itself


def _flat(args: tuple) -> list:
    return [a for arg in args for a in (arg if isinstance(arg, (list, tuple)) else [arg])]


def _concrete(component_id) -> bool:
    """A plain id, or a dict id without wildcards (ALL/MATCH cannot be written into a layout)."""
    return isinstance(component_id, str) or all(isinstance(v, (str, int, float, bool)) for v in component_id.values())


def page_view(args: tuple, func: Callable, single: bool) -> PageView | None:
    """The declaration as a page view, if it reads only the page's ready marker and the URL."""
    flat = _flat(args)
    inputs = [a for a in flat if isinstance(a, dash.Input)]
    outputs = [a for a in flat if isinstance(a, dash.Output)]
    if any(isinstance(a, dash.State) for a in flat) or len(inputs) != 2:
        return None
    ready, url = inputs
    if not (isinstance(ready.component_id, dict) and ready.component_id.get("type") == READY_TYPE
            and _is_url_search(url)):
        return None
    if not all(_concrete(o.component_id) for o in outputs):
        return None
    return PageView(ready.component_id["page"], func, tuple(outputs), single)


def _is_url_search(dependency) -> bool:
    return str(dependency.component_id) == ShellIds.URL and dependency.component_property == "search"


def view_inputs(args: tuple) -> tuple:
    """A page view's declaration reading the view's query string (ShellIds.VIEW), not the URL's: it changes
    with every control, but not with the language, for which the router builds the page anew."""
    return tuple(dash.Input(ShellIds.VIEW, "data") if isinstance(a, dash.Input) and _is_url_search(a) else a
                 for a in args)


def component_key(component_id) -> str:
    """A component id as one string: a dict id as its JSON with sorted keys."""
    return component_id if isinstance(component_id, str) else json.dumps(component_id, sort_keys=True)


def _walk(node) -> Iterator[Component]:
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, Component):
        yield node
        yield from _walk(getattr(node, "children", None))


def components_by_id(layout) -> dict[str, Component]:
    """Every component in `layout` that has an id, by `component_key`."""
    return {component_key(c.id): c for c in _walk(layout) if getattr(c, "id", None) is not None}


def prefill(layout, search: str | None, views: dict[str, list[PageView]]) -> None:
    """Write into `layout` what each view callback of the pages it holds returns for `search`."""
    by_id = components_by_id(layout)
    pages = [c.id["page"] for c in by_id.values() if isinstance(c.id, dict) and c.id.get("type") == READY_TYPE]
    for page in pages:
        for view in views.get(page, ()):
            try:
                result = view.func(True, search)
            except (PreventUpdate, AccessDenied):  # a panel the user may not see stays empty; the page still comes
                continue
            for output, value in zip(view.outputs, [result] if view.single else result, strict=True):
                if value is dash.no_update:
                    continue
                target = by_id.get(component_key(output.component_id))
                if target is None:
                    raise LookupError(f"{view.func.__name__} writes {output.component_id!r}, "
                                      f"which the {page} page's layout does not hold")
                setattr(target, output.component_property, value)
