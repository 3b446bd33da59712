"""Page controls shared by several pages."""
from __future__ import annotations

from dash import dcc, html

from metrics.api import CATALOG

from dashboard.components.ids import state_id
from dashboard.i18n import metric_name, t


def metric_picker(key: str, value, lang: str, *, multi: bool = False) -> html.Label:
    """A dropdown of every catalog metric whose value lives in the URL under `key`."""
    options = [{"label": metric_name(m.id, lang), "value": m.id} for m in CATALOG]
    dropdown = dcc.Dropdown(id=state_id(key), options=options, value=value, multi=multi, clearable=multi)
    return html.Label([t(key, lang), dropdown], className="control control-wide")
