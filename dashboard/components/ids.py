"""Component ids used across pages, declared once.

Shell controls use pattern-matching ids so the URL-sync callback can run before a page is rendered (an
ALL wildcard matching nothing is fine; a plain id that is missing is an error in the browser).
"""
from __future__ import annotations

from enum import StrEnum


class ShellIds(StrEnum):
    URL = "url"
    ROOT = "page-root"
    VIEW = "view-search"  # the URL's query string while the page's language stays: what page views read
    DRAWN = "drawn-search"  # the query string the page shows: built by the router, or redrawn by its views
    LANG_SWITCH = "lang-switch"  # the language the URL asks for, when it differs: the page is built anew
    NEXT = "next-page"  # the page in its new language, to be swapped into the one shown (assets/relabel.js)


def state_id(key: str) -> dict:
    """A control whose value is part of the URL state under `key` (global or page)."""
    return {"type": "view-state", "key": key}


RANGE_ID = state_id("range")
UNIT_ID = state_id("unit")
CATEGORY_ID = state_id("cat")
DATES_ID = {"type": "view-dates", "key": "window"}


def dates_id(key) -> dict:
    return {"type": "view-dates", "key": key}


def lang_link_id(key) -> dict:
    return {"type": "lang-link", "key": key}


def nav_id(path: str) -> dict:
    return {"type": "nav", "path": path}


def csv_button_id(page: str, chart: str) -> dict:
    return {"type": "csv", "page": page, "chart": chart}


def ready_id(page: str) -> dict:
    """A store rendered with the page: its arrival fires the page's callbacks for the first time."""
    return {"type": "page-ready", "page": page}


def download_id(page: str) -> dict:
    return {"type": "download", "page": page}


def filters_id(key) -> dict:
    """The global controls, folded away behind a toggle on a phone."""
    return {"type": "filters", "key": key}


def filters_toggle_id(key) -> dict:
    return {"type": "filters-toggle", "key": key}


MAIN_ID = "main-content"  # the skip link's target


def chart_box_id(graph_id: str) -> str:
    """The <figure> around a graph; its aria-label is the chart's text alternative."""
    return f"{graph_id}-figure"


def chart_alt_id(graph_id: str) -> str:
    """The caption under a graph: the chart's text alternative, shown."""
    return f"{graph_id}-alt"
