"""The view state that lives in the URL query string: parse it, write it back, resolve it to a request window.

A link reproduces a view because every control is built from this state and writes back to it; defaults are
left out of the URL so links stay short.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from metrics.api import CAMPAIGN_START, InvalidWindowError, Window, parse_date

from dashboard.i18n import DEFAULT_LANG, LANGS

PRESETS = ("ctd", "tq", "lq", "ytd", "custom")
# Control values meaning "no filter" (dropdowns cannot hold an empty string as a choice).
NATION = "nation"  # the URL spelling (?unit=nation); the store spells the nation metrics.api.NATION_CODE
ALL_CATEGORIES = "all"

# Keys shared by every page, then keys a page adds. Order here is the order in the URL.
GLOBAL_DEFAULTS: dict[str, str] = {"lang": DEFAULT_LANG, "range": "ctd", "from": "", "to": "", "unit": NATION,
                                   "cat": ALL_CATEGORIES}
PAGE_DEFAULTS: dict[str, str] = {
    "metrics": "clue_referrals,institution_reports,risk_warnings,education_events",
    "grain": "month", "mode": "plain", "split": "metric",
    "metric": "clue_referrals", "measure": "total",
    "peers": "", "rate": "per_capita",
}
DEFAULTS = GLOBAL_DEFAULTS | PAGE_DEFAULTS
LIST_KEYS = frozenset({"metrics", "peers"})


def parse_search(search: str | None) -> dict[str, str]:
    """Known keys only, every key present (defaults filled in); unknown keys are ignored."""
    raw = dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=True))
    state = {k: raw.get(k, default) for k, default in DEFAULTS.items()}
    if state["lang"] not in LANGS:
        state["lang"] = DEFAULT_LANG
    if state["range"] not in PRESETS:
        state["range"] = "ctd"
    from dashboard.url_checks import clean_page_keys, resolve_view_unit  # noqa: PLC0415

    state["unit"], _ = resolve_view_unit(state["unit"])  # ?unit=江苏 means Jiangsu's code
    return clean_page_keys(state, DEFAULTS)


def build_search(state: dict[str, str]) -> str:
    """The canonical query string for a state: known keys, defaults dropped, fixed order."""
    pairs = [(k, state[k]) for k in DEFAULTS if k in state and state[k] not in (None, DEFAULTS[k])]
    return "?" + urlencode(pairs) if pairs else ""


def to_control(key: str, value: str):
    """URL text to a control value (multi-selects take lists)."""
    if key in LIST_KEYS:
        return [v for v in value.split(",") if v]
    return value


def from_control(key: str, value) -> str:
    if value is None:
        return ""
    if key in LIST_KEYS:
        return ",".join(value)
    return str(value)


MAX_POINTS = 50_000


def fit_grain(window: Window, grain: str, lines: int, limit: int = MAX_POINTS) -> str:
    """The finest grain at or above `grain` that keeps a chart under `limit` points."""
    order = ("day", "week", "month", "quarter", "year")
    per_period_days = {"day": 1, "week": 7, "month": 30.4, "quarter": 91.3, "year": 365.2}
    for candidate in order[order.index(grain):]:
        if (window.days / per_period_days[candidate] + 1) * max(lines, 1) <= limit:
            return candidate
    return "year"


# -- periods ------------------------------------------------------------------------------------------
def preset_window(preset: str, as_of: dt.date, custom: tuple[str, str] = ("", "")) -> Window:
    """The window a preset means on `as_of`; a bad custom range falls back to campaign to date."""
    if preset == "tq":
        return Window(Window.quarter_of(as_of).start, as_of)
    if preset == "lq":
        return Window.quarter_of(Window.quarter_of(as_of).start - dt.timedelta(days=1))
    if preset == "ytd":
        return Window(max(dt.date(as_of.year, 1, 1), CAMPAIGN_START), as_of)
    if preset == "custom":
        try:
            return Window(max(parse_date(custom[0]), CAMPAIGN_START), parse_date(custom[1]))
        except InvalidWindowError:
            pass
    return Window.campaign_to_date(as_of)


@dataclass(frozen=True, slots=True)
class GlobalView:
    """What every page's callbacks need from the global controls."""

    lang: str
    window: Window
    unit: str | None  # None = the nation
    category: str | None
    as_of: dt.date

    @classmethod
    def from_controls(cls, lang: str | None, start: str | None, end: str | None, unit: str | None,
                      category: str | None, as_of: dt.date) -> GlobalView:
        try:
            window = Window(parse_date(start), parse_date(end))
        except (InvalidWindowError, TypeError):
            window = Window.campaign_to_date(as_of)
        return cls(lang if lang in LANGS else DEFAULT_LANG, window,
                   None if unit in (None, "", NATION) else unit,
                   None if category in (None, "", ALL_CATEGORIES) else category, as_of)
