"""Callbacks declared at module level and attached to each app through Dash's public `app.callback`.

`dash.callback` keeps module-level callbacks in a private global list that the first app to serve a request
takes and empties; tests and the access-control wrapper build several apps per process. Recording the
declarations here and replaying them on every app needs no private Dash name.
"""
from __future__ import annotations

from collections.abc import Callable

import dash

from dashboard.callbacks.prefill import PageView, page_view, view_inputs

_DECLARED: list[tuple[tuple, dict, Callable]] = []
_CLIENTSIDE: list[tuple[dash.ClientsideFunction, tuple, dict]] = []
# Per page, the callbacks the router runs as it builds the page (callbacks/prefill.py); the same for every app.
PAGE_VIEWS: dict[str, list[PageView]] = {}
# What the other callbacks write: a page holding one of these is built anew for a new language (callbacks/shell.py).
OTHER_OUTPUTS: list[dash.Output] = []
_LATER: set[Callable] = set()


def callback(*args, with_page: bool = True, **kwargs) -> Callable[[Callable], Callable]:
    """Same arguments as `dash.callback`; the function itself stays plain, so tests call it directly.

    `with_page=False`: a page view (callbacks/prefill.py) that is not run as the page is built but once it has
    arrived, for a slow panel that should not hold back the rest of its page.
    """
    def declare(func: Callable) -> Callable:
        _DECLARED.append((args, kwargs, func))
        if not with_page:
            _LATER.add(func)
        return func
    return declare


def clientside_callback(function: dash.ClientsideFunction, *args, **kwargs) -> None:
    """Same arguments as `dash.clientside_callback`; the function lives in assets/ (the CSP allows no inline script)."""
    _CLIENTSIDE.append((function, args, kwargs))


def _outputs(args: tuple) -> list[dash.Output]:
    return [o for a in args for o in (a if isinstance(a, (list, tuple)) else [a]) if isinstance(o, dash.Output)]


def figure_outputs() -> set[str]:
    """Plain ids of the graphs whose figure some declared callback writes."""
    return {str(o.component_id) for args, _, _ in _DECLARED for o in _outputs(args)
            if o.component_property == "figure" and isinstance(o.component_id, str)}


def attach(app: dash.Dash) -> None:
    # Charts get their text alternatives from the declarations (callbacks/chart_text.py).
    from dashboard.callbacks.chart_text import annotating, chart_text_callbacks, figure_positions

    views: dict[str, list[PageView]] = {}
    others: list[dash.Output] = []
    for args, kwargs, func in _DECLARED:
        outputs = _outputs(args)
        bare_single = len(outputs) == 1 and isinstance(args[0], dash.Output)
        later = func in _LATER
        if figure_positions(outputs):
            func = annotating(func, outputs, single=bare_single)
        view = None if later else page_view(args, func, bare_single)
        if view is not None:  # filled in as the page is built: no second round trip when it arrives
            views.setdefault(view.page, []).append(view)
            args, kwargs = view_inputs(args), {**kwargs, "prevent_initial_call": True}
        else:
            others.extend(outputs)
        app.callback(*args, **kwargs)(func)
    PAGE_VIEWS.clear()
    PAGE_VIEWS.update(views)
    OTHER_OUTPUTS[:] = others
    for function, args in chart_text_callbacks(figure_outputs()):
        app.clientside_callback(function, *args)
    for function, args, kwargs in _CLIENTSIDE:
        app.clientside_callback(function, *args, **kwargs)
