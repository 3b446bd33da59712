"""Data: ETL runs and freshness, the reporting coverage matrix, anomalies, the quarantine and the funnel.

Frame builders take the query object (it carries the principal) and plain values, so tests call them
directly; callbacks only wire the URL to them. Record-level pieces (quarantine rows, unmatched records) go
through the principal: a bureau user sees its own unit's, and a note instead of another's.
"""
from __future__ import annotations

from enum import StrEnum

import pandas as pd
from dash import ALL, Input, Output, callback, ctx, dcc, html, no_update

from metrics.api import (METRICS, AccessDenied, AnomalyRequest, CoverageRequest, FunnelRequest, MetricsQuery,
                         QuarantineRequest, SeriesRequest, Window, bureaus, coverage_share, get_unit)

from dashboard.callbacks.common import URL_STATE, page_inputs, view_of
from dashboard.components.charts import simple_table
from dashboard.components.ids import csv_button_id, download_id
from dashboard.data import freshness, get_query
from figures.data import build_anomaly_figure, build_coverage_figure, build_funnel_figure
from dashboard.i18n import metric_name, t

PAGE = "data"
COVERAGE_SOURCE = "activity_sheets"
TABLE_ROWS = 200


def label(key: str, lang: str) -> str:
    """This page's own strings: data_<key> in dashboard/messages.yaml."""
    return t(f"data_{key}", lang)


class Ids(StrEnum):
    RUNS = "data-runs"
    COVERAGE = "data-coverage"
    COVERAGE_NOTE = "data-coverage-note"
    ANOMALY_PICK = "data-anomaly-pick"
    ANOMALY_FIGURE = "data-anomaly-figure"
    ANOMALY_TABLE = "data-anomaly-table"
    QUARANTINE_SOURCE = "data-quarantine-source"
    QUARANTINE_SUMMARY = "data-quarantine-summary"
    QUARANTINE_ROWS = "data-quarantine-rows"
    FUNNEL = "data-funnel"
    FUNNEL_TABLE = "data-funnel-table"
    UNMATCHED = "data-unmatched"


def unit_names(lang: str) -> dict[str, str]:
    return {b.code: b.name(lang) for b in bureaus()}


def runs_frame() -> pd.DataFrame:
    frame = freshness()
    return frame.assign(age_hours=frame["age_hours"].round(1))


def coverage_frame(query: MetricsQuery, window: Window) -> pd.DataFrame:
    return query.quality.coverage_matrix(CoverageRequest(window))


def anomaly_frame(query: MetricsQuery, window: Window) -> pd.DataFrame:
    months = sorted({d.replace(day=1) for d in pd.date_range(window.start, window.end, freq="D").date})
    req = AnomalyRequest(tuple(METRICS), tuple(months), until=window.end)
    return query.quality.anomalies(req).sort_values("z", key=abs, ascending=False)


def quarantine_frames(query: MetricsQuery, unit: str | None, source: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Summary and newest rows; raises AccessDenied for another bureau's unit."""
    unit = unit if unit and get_unit(unit).kind != "hq" else None
    req = QuarantineRequest(source=source, unit=unit, limit=TABLE_ROWS)
    return query.quality.quarantine_summary(req), query.quality.quarantine_rows(req)


def funnel_result(query: MetricsQuery, window: Window, unit: str | None):
    """The funnel with record lists when the principal may see them, else counts only."""
    unit = unit if unit and get_unit(unit).kind != "hq" else None
    try:
        return query.funnel(FunnelRequest(window, unit, records=True))
    except AccessDenied:
        return query.funnel(FunnelRequest(window, unit))


def _table(frame: pd.DataFrame) -> html.Table:
    cols = [(c, c) for c in frame.columns]
    rows = frame.head(TABLE_ROWS).astype(object).where(frame.head(TABLE_ROWS).notna(), "").to_dict("records")
    return simple_table(cols, [{k: str(v) for k, v in r.items()} for r in rows])


@callback(Output(Ids.RUNS, "children"), Output(Ids.COVERAGE, "figure"), Output(Ids.COVERAGE_NOTE, "children"),
          *page_inputs(PAGE))
def update_runs_and_coverage(_ready, search):
    view, _ = view_of(search)
    matrix = coverage_frame(get_query(), view.window)
    one = matrix[matrix["source"] == COVERAGE_SOURCE]
    states = {s: label(s, view.lang) for s in ("reported", "reported_zero", "late", "not_reported", "not_due")}
    fig = build_coverage_figure(one, unit_names=unit_names(view.lang), state_names=states,
                                title=f"{label('coverage', view.lang)} · {COVERAGE_SOURCE}",
                                empty_message=label("no_data", view.lang))
    shares = [f"{s}: {label('share', view.lang)} {v * 100:.1f}%" for s in sorted(set(matrix["source"]))
              if (v := coverage_share(matrix, {s})) is not None]
    return _table(runs_frame()), fig, " · ".join(shares)


@callback(Output(Ids.ANOMALY_PICK, "options"), Output(Ids.ANOMALY_PICK, "value"), Output(Ids.ANOMALY_TABLE, "children"),
          *page_inputs(PAGE))
def update_anomaly_list(_ready, search):
    view, _ = view_of(search)
    flagged = anomaly_frame(get_query(), view.window).head(TABLE_ROWS)
    names = unit_names(view.lang)
    options = [{"label": f"{names.get(u, u)} · {metric_name(m, view.lang)} · {str(mo)[:7]} (z={z})",
                "value": f"{u}|{m}"} for u, m, mo, z in zip(flagged["unit_code"], flagged["metric"],
                                                             flagged["month"], flagged["z"])]
    options = list({o["value"]: o for o in options}.values())
    return options, options[0]["value"] if options else None, _table(flagged)


@callback(Output(Ids.ANOMALY_FIGURE, "figure"), Input(Ids.ANOMALY_PICK, "value"), URL_STATE)
def update_anomaly_figure(picked, search):
    view, _ = view_of(search)
    if not picked:
        return build_anomaly_figure(pd.DataFrame(), pd.DataFrame(), title="", median=None, flag_name="",
                                    empty_message=label("no_anomaly", view.lang))
    unit, metric = picked.split("|")
    query = get_query()
    history = Window(min(view.window.start, Window.campaign_to_date(view.window.end).start), view.window.end)
    series = query.series(SeriesRequest(history, (metric,), "month", unit=unit)).frame
    flagged = anomaly_frame(query, view.window)
    flagged = flagged[(flagged["unit_code"] == unit) & (flagged["metric"] == metric)]
    return build_anomaly_figure(series, flagged, title=f"{unit_names(view.lang).get(unit, unit)} · "
                                f"{metric_name(metric, view.lang)}", median=float(series["value"].median()),
                                flag_name=label("flagged", view.lang), empty_message=label("no_data", view.lang))


@callback(Output(Ids.QUARANTINE_SUMMARY, "children"), Output(Ids.QUARANTINE_ROWS, "children"),
          Input(Ids.QUARANTINE_SOURCE, "value"), *page_inputs(PAGE))
def update_quarantine(source, _ready, search):
    view, _ = view_of(search)
    try:
        summary, rows = quarantine_frames(get_query(), view.unit, source or None)
    except AccessDenied:
        return html.P(label("denied", view.lang), className="hint"), None
    return _table(summary), _table(rows.drop(columns=["raw"]))


@callback(Output(Ids.FUNNEL, "figure"), Output(Ids.FUNNEL_TABLE, "children"), Output(Ids.UNMATCHED, "children"),
          *page_inputs(PAGE))
def update_funnel(_ready, search):
    view, _ = view_of(search)
    result = funnel_result(get_query(), view.window, view.unit)
    stage_names = {s: label(s, view.lang) for s in result.stages["stage"]}
    fig = build_funnel_figure(result.stages, stage_names=stage_names, title=label("funnel", view.lang),
                              empty_message=label("no_data", view.lang))
    table = html.Div([_table(result.stages), _table(result.lags),
                      html.P(f"matched by number {result.matched['by_number']}, by fallback "
                             f"{result.matched['by_fallback']}", className="note")])
    if result.regulator_only is None:
        return fig, table, html.P(label("denied", view.lang), className="hint")
    return fig, table, html.Div([html.H4(f"regulator_only ({len(result.regulator_only)})"),
                                 _table(result.regulator_only),
                                 html.H4(f"police_only ({len(result.police_only)})"), _table(result.police_only)])


def download_frame(chart: str, query: MetricsQuery, window: Window, unit: str | None, source: str | None):
    if chart == "runs":
        return runs_frame()
    if chart == "coverage":
        return coverage_frame(query, window)
    if chart == "anomalies":
        return anomaly_frame(query, window)
    if chart == "quarantine":
        unit = unit if unit and get_unit(unit).kind != "hq" else None
        return query.quality.quarantine_rows(QuarantineRequest(source=source, unit=unit, limit=100_000))
    result = funnel_result(query, window, unit)
    if chart == "unmatched" and result.regulator_only is not None:
        return pd.concat([result.regulator_only.assign(side="regulator_only"),
                          result.police_only.assign(side="police_only")], ignore_index=True)
    return result.stages.merge(result.lags, left_on="stage", right_on="to_stage", how="left")


@callback(Output(download_id(PAGE), "data"), Input(csv_button_id(PAGE, ALL), "n_clicks"),
          Input(Ids.QUARANTINE_SOURCE, "value"), URL_STATE, prevent_initial_call=True)
def download_data(clicks, source, search):
    if not any(clicks or []) or not isinstance(ctx.triggered_id, dict):
        return no_update
    view, _ = view_of(search)
    chart = ctx.triggered_id["chart"]
    try:
        frame = download_frame(chart, get_query(), view.window, view.unit, source or None)
    except AccessDenied:
        return no_update
    return dcc.send_data_frame(frame.to_csv, f"{PAGE}-{chart}-{view.window.label()}.csv", index=False)
