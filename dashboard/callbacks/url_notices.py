"""The shell's notice: what the URL asked for that the view shows differently, and why."""
from __future__ import annotations

from urllib.parse import parse_qsl

from dash import Input, Output, State

from dashboard.callbacks.registry import callback
from dashboard.components.ids import ShellIds
from dashboard.components.shell import NOTICE_ASKED_ID, NOTICE_ID
from dashboard.i18n import t
from dashboard.callbacks.common import view_of
from dashboard.state import parse_search
from dashboard.url_checks import check_custom_dates, resolve_view_unit


def url_notices(search: str | None) -> list[str]:
    """The notices for a query string, in the view's language."""
    state = parse_search(search)
    raw = dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=True))
    problems = [resolve_view_unit(raw.get("unit", ""))[1]]
    if raw.get("from") or raw.get("to"):  # "?range=custom" alone asks for no date (the shell writes it so)
        problems.append(check_custom_dates(raw.get("from", ""), raw.get("to", "")))
    return [t(key, state["lang"], **fields) for key, fields in filter(None, problems)]


def shows_the_same(asked: str | None, search: str | None) -> bool:
    """Whether two query strings show the same view: the shell rewrites a URL it cannot show as asked into the
    one it shows (?unit=Atlantis becomes ?), and the notice about what was asked must outlive that rewrite."""
    (view_a, state_a), (view_b, state_b) = view_of(asked), view_of(search)
    page_keys = [k for k in state_a if k not in ("range", "from", "to", "unit", "cat", "lang")]
    return view_a == view_b and all(state_a[k] == state_b[k] for k in page_keys)


@callback(Output(NOTICE_ASKED_ID, "data"), Input(ShellIds.URL, "pathname"), State(ShellIds.URL, "search"))
def remember_arrival(_pathname, search):
    """The query string a page arrives with, before its controls rewrite it (fires with the page's render)."""
    return search or ""


@callback(Output(NOTICE_ID, "children"), Input(ShellIds.DRAWN, "data"), Input(NOTICE_ASKED_ID, "data"),
          State(ShellIds.URL, "search"))
def show_url_notices(_drawn, asked, search):
    """`asked`: the query string the page arrived with; an input, so the notice settles on it whichever of the
    arrival and the rewrite the browser hears of first. It follows what the page shows (DRAWN), so a new language
    asks for it once the page is built, not before."""
    notices = url_notices(search)
    if not notices and asked and shows_the_same(asked, search):
        notices = url_notices(asked)
    return " · ".join(notices) or None
