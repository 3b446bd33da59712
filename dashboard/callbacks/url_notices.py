"""The shell's notice: what the URL asked for that the view shows differently, and why."""
from __future__ import annotations

from urllib.parse import parse_qsl

from dash import Input, Output

from dashboard.callbacks.registry import callback
from dashboard.components.ids import ShellIds
from dashboard.components.shell import NOTICE_ID
from dashboard.i18n import t
from dashboard.state import parse_search
from dashboard.url_checks import check_custom_dates, resolve_view_unit


def url_notices(search: str | None) -> list[str]:
    """The notices for a query string, in the view's language."""
    state = parse_search(search)
    raw = dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=True))
    problems = [resolve_view_unit(raw.get("unit", ""))[1]]
    if state["range"] == "custom" or raw.get("from") or raw.get("to"):
        problems.append(check_custom_dates(raw.get("from", ""), raw.get("to", "")))
    return [t(key, state["lang"], **fields) for key, fields in filter(None, problems)]


@callback(Output(NOTICE_ID, "children"), Input(ShellIds.URL, "search"))
def show_url_notices(search):
    return " · ".join(url_notices(search)) or None
