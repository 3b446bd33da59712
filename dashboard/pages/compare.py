"""Compare: a bureau against its peers, fairly (per capita and per unit of GDP)."""
from __future__ import annotations

import dash
from dash import dcc, html

from metrics.api import bureaus

from dashboard.callbacks.compare import PAGE, RATES, Ids
from dashboard.callbacks.target_strips import Ids as TargetIds
from dashboard.components.charts import chart_card, page_download, table_card
from dashboard.components.controls import dropdown_labels, metric_picker
from dashboard.components.ids import state_id
from dashboard.i18n import t
from dashboard.state import to_control

dash.register_page(__name__, path="/compare", name="Compare", order=3)


def layout(lang: str = "zh", peers: str = "", metric: str = "clue_referrals", rate: str = "per_capita",
           **_state) -> html.Div:
    controls = html.Div([
        html.Label([t("peers", lang), dcc.Dropdown(
            id=state_id("peers"), options=[{"label": u.name(lang), "value": u.code}
                                           for u in sorted(bureaus(), key=lambda u: u.code)],
            value=to_control("peers", peers), multi=True, placeholder=t("peers_default", lang),
            labels=dropdown_labels(lang))],
            className="control control-wide"),
        metric_picker("metric", metric, lang),
        html.Label([t("band_rate", lang), dcc.RadioItems(
            id=state_id("rate"), options=[{"label": t(f"rate_{r}", lang), "value": r} for r in RATES],
            value=rate if rate in RATES else "per_capita", inline=True)], className="control"),
    ], className="page-controls")
    return html.Div([
        controls,
        html.P(id=Ids.NOTICE, className="note"),
        html.Div(id=TargetIds.COMPARE, className="targets-strip"),
        table_card(title=t("comparison_table", lang), body_id=Ids.TABLE, page=PAGE, chart="table", lang=lang),
        html.Div([
            chart_card(title=t("percentiles", lang), graph_id=Ids.PERCENTILES, page=PAGE, chart="percentiles",
                       lang=lang),
            chart_card(title=t("peer_band", lang), graph_id=Ids.BAND, page=PAGE, chart="band", lang=lang),
        ], className="two-col"),
        page_download(PAGE),
    ], className="compare")
