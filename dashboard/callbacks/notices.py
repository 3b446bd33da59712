"""Notices: the signed-in user's alerts (the same events its daily digest carries)."""
from __future__ import annotations

from enum import StrEnum

import pandas as pd
from dash import Input, Output, html

from metrics.api import TZ, alert_rule_title, alert_text

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import page_inputs, view_of
from dashboard.components.grid import data_grid
from dashboard.i18n import t
from dashboard.targets_data import my_notices, read_all_notices

PAGE = "notices"


class Ids(StrEnum):
    LIST = "notices-list"
    MARK_READ = "notices-mark-read"
    GRID = "notices-grid"


def notice_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    return [{"when": r.created_at.astimezone(TZ).strftime("%Y-%m-%d %H:%M"), "rule": alert_rule_title(r.rule, lang),
             "alert": alert_text(r.rule, r.detail, lang),
             "emailed": t("flag_yes" if r.emailed_at is not None and not pd.isna(r.emailed_at) else "flag_no", lang)}
            for r in frame.itertuples(index=False)]


@callback(Output(Ids.LIST, "children"), *page_inputs(PAGE), Input(Ids.MARK_READ, "n_clicks"))
def update_notices(_ready, search, clicks):
    lang = view_of(search)[0].lang
    if clicks:
        read_all_notices()
    frame = my_notices()
    if frame.empty:
        return html.P(t("notices_none", lang), className="note")
    columns = ("when", "rule", "alert", "emailed")
    # A grid: a user's notices accumulate over the campaign (sorted, filtered and paged in the browser).
    return data_grid(Ids.GRID, list(columns), lang, rows=notice_rows(frame, lang), height=480,
                     headers={c: t(f"col_{c}", lang) for c in columns})
