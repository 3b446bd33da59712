"""Scorecard: every bureau's composite score and rank, and one bureau's "why this score"."""
from __future__ import annotations

import math
from enum import StrEnum

import pandas as pd
from dash import Output, html

from metrics.api import METRICS, Scorecard, bureaus, get_unit

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import page_inputs, view_of
from dashboard.components.charts import simple_table
from dashboard.data import current_principal
from figures.scorecard import build_scorecard_figure, build_why_figure
from figures.formatting import format_rate, format_value
from dashboard.i18n import metric_name, t
from dashboard.targets_data import judged_day, standing

PAGE = "scorecard"


class Ids(StrEnum):
    TITLE = "scorecard-title"
    CHART = "scorecard-chart"
    WHY_TITLE = "scorecard-why-title"
    WHY_TEXT = "scorecard-why-text"
    WHY_CHART = "scorecard-why-chart"
    WHY_TABLE = "scorecard-why-table"


def indicator_name(indicator: str, lang: str) -> str:
    metric, basis = indicator.split(":", 1)
    return f"{metric_name(metric, lang)} · {t(f'basis_{basis}', lang)}"


def focus_bureau(card: Scorecard, unit: str | None) -> str:
    """A bureau user always sees its own bureau; others the chosen bureau, else the leader."""
    principal = current_principal()
    if principal.role == "bureau" and principal.unit_code in set(card.bureaus["unit_code"]):
        return principal.unit_code
    if unit and get_unit(unit).kind == "bureau":
        return unit
    return str(card.bureaus["unit_code"].iloc[0])


def _indicator_value(indicator: str, value, lang: str) -> str:
    metric, basis = indicator.split(":", 1)
    if pd.isna(value):
        return "—"
    if basis == "attainment":
        return f"{value:.0%}"
    return format_value(value, lang, unit=METRICS[metric].unit) if basis == "total" else format_rate(value, lang)


def why_rows(parts: pd.DataFrame, lang: str) -> list[dict]:
    return [{"indicator": indicator_name(r.indicator, lang), "value": _indicator_value(r.indicator, r.value, lang),
             "scaled": "—" if pd.isna(r.scaled) else f"{r.scaled:.0f}", "weight": f"{r.weight:.0%}",
             "contribution": f"{r.contribution:.1f}"} for r in parts.itertuples(index=False)]


def why_text(row: pd.Series, lang: str) -> list:
    name = get_unit(row["unit_code"]).name(lang)
    rank = t("scorecard_withheld", lang) if pd.isna(row["rank"]) else f"{int(row['rank'])}/{int(row['ranked_of'])}"
    lines = [html.P(t("scorecard_summary", lang, name=name, score=f"{row['score']:.1f}", rank=rank),
                    className="why-summary")]
    if row["withheld_metrics"]:
        metrics = t("list_sep", lang).join(metric_name(m, lang) for m in row["withheld_metrics"])
        lines.append(html.P(t("scorecard_rank_withheld", lang, metrics=metrics), className="why-withheld"))
    elif isinstance(row["move_indicator"], str):
        metric = row["move_indicator"].split(":", 1)[0]
        lines.append(html.P(t("scorecard_move", lang, indicator=indicator_name(row["move_indicator"], lang),
                              value=_indicator_value(row["move_indicator"], row["move_to_value"], lang),
                              needed=format_value(math.ceil(row["move_needed"]), lang, unit=METRICS[metric].unit),
                              rank=int(row["move_rank"])), className="why-move"))
    else:
        lines.append(html.P(t("scorecard_no_move", lang), className="why-move"))
    return lines


WHY_COLUMNS = ("indicator", "value", "scaled", "weight", "contribution")


@callback(Output(Ids.TITLE, "children"), Output(Ids.CHART, "figure"), Output(Ids.WHY_TITLE, "children"),
          Output(Ids.WHY_TEXT, "children"), Output(Ids.WHY_CHART, "figure"), Output(Ids.WHY_TABLE, "children"),
          *page_inputs(PAGE))
def update_scorecard(_ready, search):
    view, _ = view_of(search)
    lang = view.lang
    card = standing(judged_day(view.window.end))
    focus = focus_bureau(card, view.unit)
    names = {i.id: indicator_name(i.id, lang) for i in card.config.indicators}
    chart = build_scorecard_figure(card.bureaus, card.contributions, indicator_names=names,
                                   unit_names={b.code: b.name(lang) for b in bureaus()},
                                   withheld_mark=t("scorecard_withheld", lang), highlight=focus)
    parts = card.contributions[card.contributions["unit_code"] == focus]
    row = card.bureaus.set_index("unit_code").loc[focus].copy()
    row["unit_code"] = focus
    why = build_why_figure(parts, indicator_names=names, earned_name=t("scorecard_earned", lang),
                           possible_name=t("scorecard_possible", lang))
    table = simple_table([(c, t(f"col_{c}" if c != "value" else "value", lang)) for c in WHY_COLUMNS],
                         why_rows(parts, lang))
    title = t("scorecard_title", lang, start=card.window.start.isoformat(), end=card.window.end.isoformat())
    return (title, chart, t("scorecard_why", lang, name=get_unit(focus).name(lang)), why_text(row, lang), why,
            table)
