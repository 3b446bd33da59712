"""Callbacks declared at module level and attached to each app through Dash's public `app.callback`.

`dash.callback` keeps module-level callbacks in a private global list that the first app to serve a request
takes and empties; tests and the access-control wrapper build several apps per process. Recording the
declarations here and replaying them on every app needs no private Dash name.
"""
from __future__ import annotations

from collections.abc import Callable

import dash

_DECLARED: list[tuple[tuple, dict, Callable]] = []


def callback(*args, **kwargs) -> Callable[[Callable], Callable]:
    """Same arguments as `dash.callback`; the function itself stays plain, so tests call it directly."""
    def declare(func: Callable) -> Callable:
        _DECLARED.append((args, kwargs, func))
        return func
    return declare


def attach(app: dash.Dash) -> None:
    for args, kwargs, func in _DECLARED:
        app.callback(*args, **kwargs)(func)
