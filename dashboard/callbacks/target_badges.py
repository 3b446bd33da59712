"""Target status badges on the overview: the chosen unit's targets, judged at the end of the period."""
from __future__ import annotations

from enum import StrEnum

from dash import Output, html

from metrics.api import METRICS, NATION_CODE

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import page_inputs, view_of
from dashboard.components.target_badge import target_card
from dashboard.i18n import t
from dashboard.targets_data import judged_day, statuses

PAGE = "overview"


class Ids(StrEnum):
    PANEL = "overview-targets"


def target_cards(frame, unit: str, lang: str) -> list:
    mine = frame[frame["unit_code"] == unit]
    if mine.empty:
        return [html.P(t("targets_none", lang), className="note")]
    return [target_card(r, METRICS[r["metric"]].unit, lang) for r in mine.to_dict("records")]


@callback(Output(Ids.PANEL, "children"), *page_inputs(PAGE))
def update_target_badges(_ready, search):
    view, _ = view_of(search)
    day = judged_day(view.window.end)
    unit = view.unit or NATION_CODE
    cards = target_cards(statuses(day, unit), unit, view.lang)
    return [html.H2(t("targets_title", view.lang, day=day.isoformat()), className="direction-title"),
            html.Div(cards, className="kpi-grid target-grid")]
