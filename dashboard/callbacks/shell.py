"""Routing and URL state: the URL is the single source of truth for what a view shows.

Controls write their value into the query string (one history entry per change, so Back works); a change of
the query string from Back/Forward writes the values back into the controls. The language link changes the
query string in place: the router builds the page in that language, with its figures in it, and the page shown
takes the differences by id (assets/relabel.js), so its charts are redrawn, not mounted anew. The page views,
which read the query string only while the language stays (assets/lang.js: viewOrLanguage), stay quiet.
"""
from __future__ import annotations

import copy

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from dashboard.callbacks.prefill import components_by_id, prefill
from dashboard.callbacks.registry import OTHER_OUTPUTS, PAGE_VIEWS, callback, clientside_callback
from dashboard.components.ids import (MAIN_ID, ShellIds, dates_id, filters_id, filters_toggle_id, lang_link_id,
                                      nav_id, state_id)
from dashboard.components.shell import lang_href, shell_header
from dashboard.components.slots import add_slot_ids
from dashboard.data import as_of, current_principal
from dashboard.page_access import require_page
from dashboard.state import build_search, from_control, parse_search, preset_window, to_control

HOME = "/"


def find_page(pathname: str | None) -> dict | None:
    path = (pathname or HOME).rstrip("/") or HOME
    return next((p for p in dash.page_registry.values() if p["path"] == path), None)


def render_page(pathname, search):
    """The shell header and the page for the URL, built in the URL's language with the page's figures in it."""
    state = parse_search(search)
    page = find_page(pathname) or find_page(HOME)
    require_page(current_principal(), page["path"])  # a crafted request for a page outside the role: 403 JSON
    # A static layout is shared by every request: the figures go into a copy.
    layout = page["layout"](**state) if callable(page["layout"]) else copy.deepcopy(page["layout"])
    tree = [shell_header(state, page["path"], as_of()), html.Main(layout, id=MAIN_ID, tabIndex="-1", className="page")]
    add_slot_ids(tree)  # before the views fill in theirs: a slot is a place in the page, not in a view's output
    prefill(layout, search, PAGE_VIEWS)  # the page arrives drawn, with no second round trip for its figures
    return tree


@callback(Output(ShellIds.ROOT, "children"), Output(ShellIds.NEXT, "data"), Output(ShellIds.DRAWN, "data"),
          Input(ShellIds.URL, "pathname"), Input(ShellIds.LANG_SWITCH, "data"), State(ShellIds.URL, "search"),
          prevent_initial_call=True)
def show_page(pathname, _language, search):
    """A new path replaces the page; a new language for the same one is swapped into it in place
    (assets/relabel.js), so its charts stay mounted and are redrawn, not built anew."""
    tree = render_page(pathname, search)
    if f"{ShellIds.URL}.pathname" in ctx.triggered_prop_ids or not swappable(tree[1]):
        return tree, no_update, search or ""
    return no_update, tree, search or ""


def _matches(pattern, component_id) -> bool:
    if isinstance(pattern, str) or isinstance(component_id, str):
        return pattern == component_id
    return pattern.keys() == component_id.keys() and all(
        v is dash.ALL or v is dash.MATCH or v is dash.ALLSMALLER or v == component_id[k] for k, v in pattern.items())


def swappable(page) -> bool:
    """Whether every part of the page a callback writes is a page view's, filled in as the page is built. A part
    another callback writes (as it arrives, or on a click) would keep its old words in place: such a page is
    built anew. A download's payload is no words; a control's value is the URL's, which the page is built from."""
    written = [o.component_id for o in OTHER_OUTPUTS if not _is_control(o.component_id)]
    return not any(_matches(w, c.id) for c in components_by_id(page).values() if not isinstance(c, dcc.Download)
                   for w in written)


def _is_control(component_id) -> bool:
    return isinstance(component_id, dict) and component_id.get("type") in (state_id("")["type"], dates_id("")["type"])


# The new language's page, compared with the one shown: what differs is written into it, by id (or the whole
# page, where the two differ in shape).
clientside_callback(dash.ClientsideFunction("imd", "swapInPlace"), Output(ShellIds.ROOT, "children", allow_duplicate=True),
                    Input(ShellIds.NEXT, "data"), State(ShellIds.ROOT, "id"), prevent_initial_call=True)


# Page views read the query string through VIEW. It changes only while the language stays and the view is not
# the one drawn already (the shell rewriting the query string's order is not a change); a new language goes to
# show_page instead, so the page is built once, not built and then redrawn by its views.
clientside_callback(dash.ClientsideFunction("imd", "viewOrLanguage"),
                    Output(ShellIds.VIEW, "data"), Output(ShellIds.LANG_SWITCH, "data"),
                    Output(ShellIds.DRAWN, "data", allow_duplicate=True),
                    Input(ShellIds.URL, "search"), State(ShellIds.DRAWN, "data"), prevent_initial_call=True)


def state_from_controls(current: dict[str, str], dates_changed: bool, values: dict[str, object],
                        start: str | None, end: str | None) -> dict[str, str]:
    """The URL state after a control changed. Dates that differ from the preset's make the range custom."""
    state = {"lang": current["lang"], **{k: from_control(k, v) for k, v in values.items()}}
    preset = state.get("range", current["range"])
    state.update({"from": "", "to": ""})
    if dates_changed or preset == "custom":
        preset_dates = preset_window(preset, as_of(), (current["from"], current["to"]))
        if start and end and (start, end) != (preset_dates.start.isoformat(), preset_dates.end.isoformat()):
            state.update({"range": "custom", "from": start, "to": end})
    return state


def _changed(wanted, have):
    return wanted if wanted != have else no_update


def _dates(window, starts: list, ends: list) -> tuple[list, list]:
    return ([_changed(window.start.isoformat(), s) for s in starts], [_changed(window.end.isoformat(), e) for e in ends])


@callback(
    Output(ShellIds.URL, "search"),
    Output(state_id(ALL), "value"),
    Output(dates_id(ALL), "start_date"), Output(dates_id(ALL), "end_date"),
    Input(ShellIds.URL, "search"),
    Input(state_id(ALL), "value"),
    Input(dates_id(ALL), "start_date"), Input(dates_id(ALL), "end_date"),
    State(state_id(ALL), "id"),
    prevent_initial_call=True,
)
def sync_url_state(search, values, starts, ends, ids):
    keys = [i["key"] for i in ids]
    current = parse_search(search)
    start, end = (starts or [None])[0], (ends or [None])[0]
    untouched = [no_update] * len(keys), [no_update] * len(starts), [no_update] * len(ends)
    triggers = {t["prop_id"].rsplit(".", 1)[0] for t in ctx.triggered if t["prop_id"] != "."}
    if not triggers or not keys:
        return no_update, *untouched
    if ShellIds.URL in triggers:
        # Back/Forward or a followed link: put the URL's state into the controls, touching only what differs.
        window = preset_window(current["range"], as_of(), (current["from"], current["to"]))
        return (no_update, [_changed(to_control(k, current[k]), v) for k, v in zip(keys, values)],
                *_dates(window, starts, ends))
    dates_changed = any('"view-dates"' in t for t in triggers)
    state = state_from_controls(current, dates_changed, dict(zip(keys, values)), start, end)
    window = preset_window(state["range"], as_of(), (state["from"], state["to"]))
    new_search = build_search(state)
    return (new_search if new_search != (search or "") else no_update,
            [_changed(state["range"], v) if k == "range" else no_update for k, v in zip(keys, values)],
            *_dates(window, starts, ends))


# The links follow the view; a new language builds the header anew with its links (no request before the router's).
@callback(Output(nav_id(ALL), "href"), Output(lang_link_id(ALL), "href"),
          Input(ShellIds.VIEW, "data"), State(ShellIds.URL, "search"), State(nav_id(ALL), "id"),
          State(ShellIds.URL, "pathname"), State(lang_link_id(ALL), "id"), prevent_initial_call=True)
def update_links(_view, search, nav_ids, pathname, lang_ids):
    state = parse_search(search)
    query = build_search(state)
    page = find_page(pathname) or find_page(HOME)
    require_page(current_principal(), page["path"])  # a crafted request for a page outside the role: 403 JSON
    return [i["path"] + query for i in nav_ids], [lang_href(state, page["path"]) for _ in lang_ids]


# A phone folds the global controls away behind a toggle (assets/phone.js); wider screens never see it.
clientside_callback(dash.ClientsideFunction("imd", "toggleFilters"),
                    Output(filters_id(ALL), "className"), Output(filters_toggle_id(ALL), "aria-expanded"),
                    Input(filters_toggle_id(ALL), "n_clicks"), prevent_initial_call=True)
