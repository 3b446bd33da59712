"""Callbacks declared at module level and attached to each app through Dash's public `app.callback`.

`dash.callback` keeps module-level callbacks in a private global list that the first app to serve a request
takes and empties; tests and the access-control wrapper build several apps per process. Recording the
declarations here and replaying them on every app needs no private Dash name.
"""
from __future__ import annotations

from collections.abc import Callable

import dash

_DECLARED: list[tuple[tuple, dict, Callable]] = []
_CLIENTSIDE: list[tuple[dash.ClientsideFunction, tuple, dict]] = []


def callback(*args, **kwargs) -> Callable[[Callable], Callable]:
    """Same arguments as `dash.callback`; the function itself stays plain, so tests call it directly."""
    def declare(func: Callable) -> Callable:
        _DECLARED.append((args, kwargs, func))
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

    for args, kwargs, func in _DECLARED:
        outputs = _outputs(args)
        bare_single = len(outputs) == 1 and isinstance(args[0], dash.Output)
        if figure_positions(outputs):
            func = annotating(func, outputs, single=bare_single)
        app.callback(*args, **kwargs)(func)
    for function, args in chart_text_callbacks(figure_outputs()):
        app.clientside_callback(function, *args)
    for function, args, kwargs in _CLIENTSIDE:
        app.clientside_callback(function, *args, **kwargs)
