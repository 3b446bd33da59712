"""What page callbacks share: the URL is their one input, so a change fires each chart exactly once.

Controls write to the URL (callbacks/shell.py); charts read from it. Back/Forward and shared links therefore
go through the very same path as a click on a control.
"""
from __future__ import annotations

from dash import Input, State

from dashboard.components.ids import ShellIds, ready_id
from dashboard.data import as_of
from metrics.api import CAMPAIGN_START, MetricsQuery, Window

from dashboard.state import GlobalView, parse_search, preset_window, to_control

URL_INPUT = Input(ShellIds.URL, "search")


def page_inputs(page: str) -> tuple[Input, Input]:
    """The page's ready marker and the URL (fires on every change of view). A callback reading only these is
    run by the router as it builds the page (callbacks/prefill.py); others fire when the marker arrives."""
    return Input(ready_id(page), "data"), URL_INPUT
URL_STATE = State(ShellIds.URL, "search")


def view_of(search: str | None) -> tuple[GlobalView, dict[str, str]]:
    """The global view (language, window, unit, category) and the raw state for page keys."""
    state = parse_search(search)
    today = as_of()
    window = preset_window(state["range"], today, (state["from"], state["to"]))
    view = GlobalView.from_controls(state["lang"], window.start.isoformat(), window.end.isoformat(),
                                    state["unit"], state["cat"], today)
    return view, state


def page_value(state: dict[str, str], key: str):
    return to_control(key, state[key])


def data_end(query: MetricsQuery, view: GlobalView):
    """The last day a chart of the view covers: the window's end, or the store's last loaded day if earlier."""
    loaded = query.data_range()
    return view.window.end if loaded is None else min(view.window.end, loaded.end)


def uncategorised(query: MetricsQuery, view: GlobalView, metrics) -> list[str]:
    """The metrics that have no figure under the view's category (their sources record none)."""
    if view.category is None:
        return []
    have = query.quality.categorised_metrics()
    return [m for m in metrics if m not in have]


def has_previous(window: Window) -> bool:
    """Whether the period before the window lies inside the campaign (campaign to date has none)."""
    return window.previous().start >= CAMPAIGN_START
