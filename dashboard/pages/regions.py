"""Regions: a tile-grid map of the 36 bureaus, a ranking beside it, and a drill into one bureau."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.callbacks.regions import MEASURES, PAGE, Ids
from dashboard.callbacks.target_strips import Ids as TargetIds
from dashboard.components.charts import chart_card, csv_button, described_graph, page_download
from dashboard.components.controls import metric_picker
from dashboard.components.ids import state_id
from figures.base import graph_config
from dashboard.i18n import t

dash.register_page(__name__, path="/regions", name="Regions", order=2)


def drill_graph(graph_id: str, chart: str, title: str, lang: str) -> html.Figure:
    """A drill graph: it stays, and each change of view redraws its figure (callbacks/regions.py: update_drill)."""
    return described_graph(dcc.Graph(id=graph_id, className="drill-graph", config=graph_config(f"{PAGE}-{chart}")),
                           title=title, lang=lang)


def layout(lang: str = "zh", metric: str = "clue_referrals", measure: str = "total", **_state) -> html.Div:
    controls = html.Div([
        metric_picker("metric", metric, lang),
        html.Label([t("measure", lang), dcc.RadioItems(
            id=state_id("measure"), options=[{"label": t(f"measure_{m}", lang), "value": m} for m in MEASURES],
            value=measure if measure in MEASURES else "total", inline=True)], className="control"),
    ], className="page-controls")
    return html.Div([
        controls,
        html.P(id=Ids.DENOMINATOR, className="note denominator"),
        html.Div(id=TargetIds.REGIONS, className="card targets-strip"),
        html.Div([
            chart_card(title=t("tile_map", lang), graph_id=Ids.MAP, page=PAGE, chart="map", lang=lang,
                       extra=html.P(t("click_to_drill", lang), className="hint")),
            html.Div([html.Div([html.H3(t("ranking", lang), className="card-title"),
                                html.Div(csv_button(PAGE, "ranking", lang), className="card-tools")],
                               className="card-head"),
                      described_graph(dcc.Graph(id=Ids.RANKING, config=graph_config(f"{PAGE}-ranking")),
                                      title=t("ranking", lang), lang=lang)],
                     className="card ranking-card"),
        ], className="regions-grid"),
        html.Div([html.Div([html.H3(t("sub_bureaus", lang) + " / " + t("unit_trend", lang), className="card-title"),
                            html.Div(csv_button(PAGE, "drill", lang), className="card-tools")],
                           className="card-head"),
                  html.Div([drill_graph(Ids.SUB_BUREAUS, "sub-bureaus", t("sub_bureaus", lang), lang),
                            drill_graph(Ids.UNIT_TREND, "unit-trend", t("drill_trend", lang), lang)],
                           id=Ids.DRILL, className="drill-grid")], className="card"),
        page_download(PAGE),
    ], className="regions")
