"""Target status on Regions (every bureau's status on the chosen metric) and Compare (the bureau's targets)."""
from __future__ import annotations

from enum import StrEnum

from dash import Output, html

from metrics.api import METRICS, NATION_CODE, get_unit

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import page_inputs, view_of
from dashboard.callbacks.compare import chosen_bureau
from dashboard.callbacks.target_badges import target_cards
from dashboard.components.target_badge import status_badge
from dashboard.i18n import metric_name, t
from dashboard.targets_data import judged_day, statuses


class Ids(StrEnum):
    REGIONS = "regions-targets"
    COMPARE = "compare-targets"


def status_chips(frame, lang: str) -> list:
    """One chip per bureau with a target on the metric, worst status first."""
    order = {"behind": 0, "at_risk": 1, "on_track": 2, "too_early": 3}
    rows = sorted((r for r in frame.to_dict("records") if r["unit_code"] != NATION_CODE
                   and get_unit(r["unit_code"]).kind == "bureau"),
                  key=lambda r: (order[r["status"]], r["unit_code"]))
    return [html.Span([get_unit(r["unit_code"]).name(lang), " ", status_badge(r["status"], lang)],
                      className="target-chip", **{"data-unit": r["unit_code"], "data-status": r["status"]})
            for r in rows]


@callback(Output(Ids.REGIONS, "children"), *page_inputs("regions"))
def update_regions_targets(_ready, search):
    view, state = view_of(search)
    metric = state["metric"] if state["metric"] in METRICS else "clue_referrals"
    day = judged_day(view.window.end)
    chips = status_chips(statuses(day, metric=metric), view.lang)
    if not chips:
        return html.P(t("targets_none", view.lang), className="note")
    return [html.H3(f"{t('targets_title', view.lang, day=day.isoformat())} · {metric_name(metric, view.lang)}",
                    className="card-title"), html.Div(chips, className="target-chips")]


@callback(Output(Ids.COMPARE, "children"), *page_inputs("compare"))
def update_compare_targets(_ready, search):
    view, _ = view_of(search)
    bureau, day = chosen_bureau(view), judged_day(view.window.end)
    return [html.H3(t("targets_title", view.lang, day=day.isoformat()), className="card-title"),
            html.Div(target_cards(statuses(day, bureau), bureau, view.lang), className="kpi-grid target-grid")]
