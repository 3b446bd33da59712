"""Data: where the figures come from and how far to trust them (runs, freshness, coverage, anomalies,
quarantine, the referral funnel). Summaries first; record-level rows page through the query layer."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.callbacks.data_records import quarantine_grid
from dashboard.callbacks.data_returns import GRAPH as RETURNS_GRAPH
from dashboard.callbacks.data import PAGE, Ids
from dashboard.backups_note import backup_note
from dashboard.components.charts import chart_card, page_download, table_card
from dashboard.i18n import t
from dashboard.components.controls import dropdown_labels

dash.register_page(__name__, path="/data", name="Data", order=6)


def layout(lang: str = "zh", **_state) -> html.Div:
    return html.Div([
        table_card(title=t("data_runs", lang), body_id=Ids.RUNS, page=PAGE, chart="runs", lang=lang),
        chart_card(title=t("data_coverage", lang), graph_id=Ids.COVERAGE, page=PAGE, chart="coverage", lang=lang,
                   extra=html.P(id=Ids.COVERAGE_NOTE, className="note")),
        chart_card(title=t("data_returns_coverage", lang), graph_id=RETURNS_GRAPH, page=PAGE, chart="returns_coverage",
                   lang=lang, extra=html.P(t("data_returns_coverage_note", lang), className="note")),
        chart_card(title=t("data_anomalies", lang), graph_id=Ids.ANOMALY_FIGURE, page=PAGE, chart="anomalies",
                   lang=lang, extra=dcc.Dropdown(id=Ids.ANOMALY_PICK, clearable=False, labels=dropdown_labels(lang))),
        html.Div(id=Ids.ANOMALY_TABLE, className="grid-wrap"),
        table_card(title=t("data_quarantine", lang), body_id=Ids.QUARANTINE_SUMMARY, page=PAGE, chart="quarantine",
                   lang=lang),
        html.Div(quarantine_grid(lang), id=Ids.QUARANTINE_ROWS, className="grid-wrap"),
        html.Div(id=Ids.QUARANTINE_RAW, className="grid-wrap", **{"aria-live": "polite"}),
        chart_card(title=t("data_funnel", lang), graph_id=Ids.FUNNEL, page=PAGE, chart="funnel", lang=lang),
        html.Div(id=Ids.FUNNEL_TABLE, className="grid-wrap"),
        table_card(title=t("data_unmatched", lang), body_id=Ids.UNMATCHED, page=PAGE, chart="unmatched", lang=lang,
                   note=html.Button(t("data_show_records", lang), id=Ids.UNMATCHED_SHOW, n_clicks=0,
                                    className="csv-button")),
        html.Div(id=Ids.UNMATCHED_ROWS, className="grid-wrap"),
        page_download(PAGE),
        html.P(backup_note(lang), id="data-backups", className="note"),
    ], className="data-page")
