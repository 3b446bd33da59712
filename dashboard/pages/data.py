"""Data: where the figures come from and how far to trust them (runs, freshness, coverage, anomalies,
quarantine, the referral funnel)."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.backups_note import backup_note
from dashboard.callbacks.data import PAGE, Ids, label
from dashboard.components.charts import chart_card, page_download, table_card

dash.register_page(__name__, path="/data", name="Data", order=6)

SOURCES = ("regulator_clues", "police_intake", "institution_reports", "publications", "activity_sheets",
           "documents", "inspections")


def layout(lang: str = "zh", **_state) -> html.Div:
    return html.Div([
        table_card(title=label("runs", lang), body_id=Ids.RUNS, page=PAGE, chart="runs", lang=lang),
        chart_card(title=label("coverage", lang), graph_id=Ids.COVERAGE, page=PAGE, chart="coverage", lang=lang,
                   extra=html.P(id=Ids.COVERAGE_NOTE, className="note")),
        chart_card(title=label("anomalies", lang), graph_id=Ids.ANOMALY_FIGURE, page=PAGE, chart="anomalies",
                   lang=lang, extra=dcc.Dropdown(id=Ids.ANOMALY_PICK, clearable=False)),
        html.Div(id=Ids.ANOMALY_TABLE, className="table-wrap"),
        table_card(title=label("quarantine", lang), body_id=Ids.QUARANTINE_SUMMARY, page=PAGE, chart="quarantine",
                   lang=lang, note=dcc.Dropdown(id=Ids.QUARANTINE_SOURCE, options=list(SOURCES), value=None,
                                                placeholder="source")),
        html.Div(id=Ids.QUARANTINE_ROWS, className="table-wrap"),
        chart_card(title=label("funnel", lang), graph_id=Ids.FUNNEL, page=PAGE, chart="funnel", lang=lang),
        html.Div(id=Ids.FUNNEL_TABLE, className="table-wrap"),
        table_card(title=label("unmatched", lang), body_id=Ids.UNMATCHED, page=PAGE, chart="unmatched", lang=lang),
        page_download(PAGE),
        html.P(backup_note(lang), id="data-backups", className="note"),
    ], className="data-page")
