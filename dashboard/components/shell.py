"""The frame around every page: title, navigation, language link and the global controls."""
from __future__ import annotations

import datetime as dt

import dash
from dash import dcc, html

from metrics.api import CAMPAIGN_START, CATEGORIES, HQ_CODE, bureaus, get_unit

from dashboard.components.forms import post_form
from dashboard.components.ids import (CATEGORY_ID, DATES_ID, MAIN_ID, RANGE_ID, UNIT_ID, ShellIds, filters_id,
                                      filters_toggle_id, lang_link_id, nav_id)
from dashboard.data import current_principal
from dashboard.i18n import category_name, known, t
from dashboard.page_access import may_open
from dashboard.state import ALL_CATEGORIES, NATION, PRESETS, build_search, preset_window
from dashboard.components.controls import dropdown_labels


def unit_options(lang: str) -> list[dict]:
    units = [get_unit(HQ_CODE), *sorted(bureaus(), key=lambda u: u.code)]
    return [{"label": t("nation", lang), "value": NATION}] + [{"label": u.name(lang), "value": u.code} for u in units]


def category_options(lang: str) -> list[dict]:
    return [{"label": t("all_categories", lang), "value": ALL_CATEGORIES}] + [
        {"label": category_name(c, lang), "value": c} for c in CATEGORIES]


def _nav(state: dict[str, str], pathname: str, lang: str) -> html.Nav:
    links = []
    principal = current_principal()
    for page in dash.page_registry.values():
        if not may_open(principal, page["path"]):  # the server refuses the others too (web/hardening.py)
            continue
        key = f"nav_{page['module'].rsplit('.', 1)[-1]}"
        label = t(key, lang) if known(key) else page["name"]
        cls = "nav-link active" if page["path"] == pathname else "nav-link"
        links.append(dcc.Link(label, href=page["path"] + build_search(state), id=nav_id(page["path"]),
                              className=cls))
    return html.Nav(links, className="nav", **{"aria-label": t("main_nav", lang)})


def lang_href(state: dict[str, str], pathname: str) -> str:
    """The same view in the other language. Followed in place: the router builds the page anew (callbacks/shell.py)."""
    return pathname + build_search({**state, "lang": "en" if state["lang"] == "zh" else "zh"})


def uses_global_filters(pathname: str) -> bool:
    """Pages registered with global_filters=False (Admin, Audit) read no period, unit or category."""
    page = next((p for p in dash.page_registry.values() if p["path"] == pathname), None)
    return page is None or page.get("global_filters", True)


def shell_header(state: dict[str, str], pathname: str, as_of: dt.date) -> html.Header:
    lang = state["lang"]
    window = preset_window(state["range"], as_of, (state["from"], state["to"]))
    controls = html.Div([
        html.Label([t("period", lang), dcc.Dropdown(
            id=RANGE_ID, options=[{"label": t(f"preset_{p}", lang), "value": p} for p in PRESETS],
            value=state["range"], clearable=False, searchable=False, labels=dropdown_labels(lang))], className="control control-range"),
        html.Label([" ", dcc.DatePickerRange(
            id=DATES_ID, start_date=window.start.isoformat(), end_date=window.end.isoformat(),
            min_date_allowed=CAMPAIGN_START.isoformat(), max_date_allowed=as_of.isoformat(),
            display_format="YYYY-MM-DD", updatemode="bothdates", first_day_of_week=1)],
            className="control control-dates"),
        html.Label([t("unit", lang), dcc.Dropdown(id=UNIT_ID, options=unit_options(lang),
                                                  value=state["unit"], clearable=False,
                                                  labels=dropdown_labels(lang))],
                   className="control control-unit"),
        html.Label([t("category", lang), dcc.Dropdown(id=CATEGORY_ID, options=category_options(lang),
                                                      value=state["cat"], clearable=False,
                                                      labels=dropdown_labels(lang))],
                   className="control control-category"),
        html.Span(t("as_of", lang, day=as_of.isoformat()), className="as-of"),
    ], className="global-controls", id=filters_id("shell"))
    toggle = html.Button(t("filters_toggle", lang), id=filters_toggle_id("shell"), className="filters-toggle",
                         n_clicks=0, **{"aria-expanded": "false", "aria-controls": "shell-filters"})
    return html.Header([
        html.A(t("skip_to_content", lang), href=f"#{MAIN_ID}", className="skip-link"),
        html.Div([html.H1(t("app_title", lang), className="app-title"), _nav(state, pathname, lang),
                  dcc.Link(t("other_language", lang), id=lang_link_id("shell"),
                         href=lang_href(state, pathname), className="lang-link"),
                  html.Span(current_principal().name, className="signed-in-user"),
                  post_form("/logout", t("sign_out", lang), class_name="post-form sign-out")], className="topbar"),
        *([toggle, html.Div(controls, id="shell-filters")] if uses_global_filters(pathname) else []),
    ], className="shell-header")


NOTICE_ID = "view-notice"  # what the URL asked for that the view could not show (callbacks/url_notices.py)
NOTICE_ASKED_ID = "view-notice-asked"  # the query string the notice speaks of (the shell rewrites the URL after it)


def app_layout() -> html.Div:
    """Static skeleton; the router fills ROOT from the URL once the location is known."""
    return html.Div([dcc.Location(id=ShellIds.URL, refresh=False),
                     html.Div(id=NOTICE_ID, className="view-notice", role="status", **{"aria-live": "polite"}),
                     dcc.Store(id=NOTICE_ASKED_ID),
                     dcc.Store(id=ShellIds.VIEW), dcc.Store(id=ShellIds.DRAWN), dcc.Store(id=ShellIds.LANG_SWITCH), dcc.Store(id=ShellIds.NEXT),
                     html.Div(id=ShellIds.ROOT, className="root")],
                    className="app")
