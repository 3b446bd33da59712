"""Page controls shared by several pages."""
from __future__ import annotations

from dash import dcc, html

from metrics.api import CATALOG

from dashboard.components.ids import state_id
from dashboard.i18n import metric_name, t


DROPDOWN_LABELS = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
                   "no_options_found")


def dropdown_labels(lang: str) -> dict[str, str]:
    """dcc.Dropdown's own texts ("4 selected", "Search", ...) in the page's language; `{num_selected}` is filled
    in by the component."""
    return {key: t(f"dropdown_{key}", lang, num_selected="{num_selected}") for key in DROPDOWN_LABELS}


def metric_picker(key: str, value, lang: str, *, multi: bool = False) -> html.Label:
    """A dropdown of every catalog metric whose value lives in the URL under `key`."""
    options = [{"label": metric_name(m.id, lang), "value": m.id} for m in CATALOG]
    dropdown = dcc.Dropdown(id=state_id(key), options=options, value=value, multi=multi, clearable=multi,
                            labels=dropdown_labels(lang))
    return html.Label([t(key, lang), dropdown], className="control control-wide")
