"""Data: ETL runs and freshness, the reporting coverage matrix, anomalies and the funnel, summarised.

Frame builders take the query object (it carries the principal) and plain values, so tests call them
directly; callbacks only wire the URL to them. Record-level pieces (quarantine rows, unmatched records) are
in callbacks/data_records.py: paged through the query layer and fetched on demand.
"""
from __future__ import annotations

from enum import StrEnum

import pandas as pd
from dash import ALL, Input, Output, ctx, dcc, html, no_update

from metrics.api import (METRICS, AccessDenied, AnomalyRequest, CoverageRequest, FunnelRequest, MetricsQuery,
                         QuarantineRequest, SeriesRequest, Window, bureaus, coverage_share, get_unit)

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import URL_STATE, page_inputs, view_of
from dashboard.components.grid import data_grid, grid_rows
from dashboard.components.ids import csv_button_id, download_id
from dashboard.data import freshness, get_query
from figures.data import build_anomaly_figure, build_coverage_figure, build_funnel_figure
from dashboard.i18n import known, metric_name, t

PAGE = "data"
COVERAGE_SOURCE = "activity_sheets"
ANOMALY_ROWS = 200  # the largest deviations; the CSV has them all
STATES = ("reported", "reported_zero", "late", "not_reported", "not_due")


class Ids(StrEnum):
    RUNS = "data-runs"
    COVERAGE = "data-coverage"
    COVERAGE_NOTE = "data-coverage-note"
    ANOMALY_PICK = "data-anomaly-pick"
    ANOMALY_FIGURE = "data-anomaly-figure"
    ANOMALY_TABLE = "data-anomaly-table"
    QUARANTINE_SUMMARY = "data-quarantine-summary"
    QUARANTINE_ROWS = "data-quarantine-rows"
    QUARANTINE_GRID = "data-quarantine-grid"
    QUARANTINE_RAW = "data-quarantine-raw"
    FUNNEL = "data-funnel"
    FUNNEL_TABLE = "data-funnel-table"
    UNMATCHED = "data-unmatched"
    UNMATCHED_SHOW = "data-unmatched-show"
    UNMATCHED_ROWS = "data-unmatched-rows"


def unit_names(lang: str) -> dict[str, str]:
    return {b.code: b.name(lang) for b in bureaus()}


def unit_label(code, lang: str) -> str:
    if not isinstance(code, str) or not code:
        return ""
    try:
        return f"{get_unit(code).name(lang)} ({code})"
    except Exception:  # a code the store holds but the reference data no longer knows: show it as is
        return code


def named(key: str, value, lang: str) -> str:
    """A stored word (a state, a source, a stage) in the reader's language; unknown words as stored."""
    return t(f"{key}_{value}", lang) if isinstance(value, str) and known(f"{key}_{value}") else value


def runs_frame() -> pd.DataFrame:
    frame = freshness()
    return frame.assign(age_hours=frame["age_hours"].round(1))


def runs_display(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.assign(source=frame["source"].map(lambda s: named("source", s, lang)),
                        status=frame["status"].map(lambda s: named("state", s, lang)),
                        stale=frame["stale"].map(lambda s: t("word_yes" if s else "word_no", lang)))


def coverage_frame(query: MetricsQuery, window: Window) -> pd.DataFrame:
    return query.quality.coverage_matrix(CoverageRequest(window))


def _months(window: Window) -> tuple:
    return tuple(sorted({d.replace(day=1) for d in pd.date_range(window.start, window.end, freq="D").date}))


def anomaly_frame(query: MetricsQuery, window: Window, metrics: tuple[str, ...] = tuple(METRICS)) -> pd.DataFrame:
    req = AnomalyRequest(metrics, _months(window), until=window.end)
    return query.quality.anomalies(req).sort_values("z", key=abs, ascending=False)


def anomaly_display(flagged: pd.DataFrame, lang: str) -> pd.DataFrame:
    return flagged.assign(unit_code=flagged["unit_code"].map(lambda c: unit_label(c, lang)),
                          metric=flagged["metric"].map(lambda m: metric_name(m, lang)),
                          month=flagged["month"].map(lambda m: str(m)[:7]), median=flagged["median"].round(1))


def quarantine_frames(query: MetricsQuery, unit: str | None, source: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Summary and newest rows; raises AccessDenied for another bureau's unit."""
    unit = unit if unit and get_unit(unit).kind != "hq" else None
    req = QuarantineRequest(source=source, unit=unit, limit=ANOMALY_ROWS)
    return query.quality.quarantine_summary(req), query.quality.quarantine_rows(req)


def funnel_result(query: MetricsQuery, window: Window, unit: str | None, *, records: bool = True):
    """The funnel with record lists when asked for and the principal may see them, else counts only."""
    unit = unit if unit and get_unit(unit).kind != "hq" else None
    if records:
        try:
            return query.funnel(FunnelRequest(window, unit, records=True))
        except AccessDenied:
            pass
    return query.funnel(FunnelRequest(window, unit))


@callback(Output(Ids.RUNS, "children"), Output(Ids.COVERAGE, "figure"), Output(Ids.COVERAGE_NOTE, "children"),
          *page_inputs(PAGE), with_page=False)
def update_runs_and_coverage(_ready, search):
    view, _ = view_of(search)
    matrix = coverage_frame(get_query(), view.window)
    one = matrix[matrix["source"] == COVERAGE_SOURCE]
    fig = build_coverage_figure(one, unit_names=unit_names(view.lang),
                                state_names={s: t(f"state_{s}", view.lang) for s in STATES},
                                title=f"{t('data_coverage', view.lang)} · {named('source', COVERAGE_SOURCE, view.lang)}",
                                empty_message=t("no_data", view.lang))
    shares = [f"{named('source', s, view.lang)}: {t('data_share', view.lang)} {v * 100:.1f}%"
              for s in sorted(set(matrix["source"])) if (v := coverage_share(matrix, {s})) is not None]
    runs = runs_display(runs_frame(), view.lang)
    grid = data_grid("data-runs-grid", list(runs.columns), view.lang, rows=grid_rows(runs), height=300)
    return grid, fig, " · ".join(shares)


def anomaly_figure(query: MetricsQuery, view, unit: str, metric: str, flagged: pd.DataFrame | None = None) -> dict:
    """One bureau-month series with its flagged months; `flagged` when the caller already has them."""
    if metric not in METRICS:
        return build_anomaly_figure(pd.DataFrame(), pd.DataFrame(), title="", median=None, flag_name="",
                                    empty_message=t("data_no_anomaly", view.lang))
    history = Window(min(view.window.start, Window.campaign_to_date(view.window.end).start), view.window.end)
    series = query.series(SeriesRequest(history, (metric,), "month", unit=unit)).frame
    if flagged is None:
        flagged = anomaly_frame(query, view.window, (metric,))  # only the picked metric: a twelfth of the work
    flagged = flagged[(flagged["unit_code"] == unit) & (flagged["metric"] == metric)]
    return build_anomaly_figure(series, flagged, title=f"{unit_names(view.lang).get(unit, unit)} · "
                                f"{metric_name(metric, view.lang)}", median=float(series["value"].median()),
                                flag_name=t("data_flagged", view.lang), empty_message=t("no_data", view.lang))


@callback(Output(Ids.ANOMALY_PICK, "options"), Output(Ids.ANOMALY_PICK, "placeholder"),
          Output(Ids.ANOMALY_TABLE, "children"), Output(Ids.ANOMALY_FIGURE, "figure"), *page_inputs(PAGE),
          with_page=False)
def update_anomaly_list(_ready, search):
    """The list, and the largest deviation drawn at once (no second round trip to draw the first figure)."""
    view, _ = view_of(search)
    query = get_query()
    flagged = anomaly_frame(query, view.window).head(ANOMALY_ROWS)
    names = unit_names(view.lang)
    options = [{"label": f"{names.get(u, u)} · {metric_name(m, view.lang)} · {str(mo)[:7]} (z={z})",
                "value": f"{u}|{m}"} for u, m, mo, z in zip(flagged["unit_code"], flagged["metric"],
                                                             flagged["month"], flagged["z"])]
    options = list({o["value"]: o for o in options}.values())
    shown = anomaly_display(flagged, view.lang)
    grid = data_grid("data-anomaly-grid", list(shown.columns), view.lang, rows=grid_rows(shown), height=320)
    unit, _, metric = (options[0]["value"] if options else "").partition("|")
    return options, options[0]["label"] if options else None, grid, anomaly_figure(query, view, unit, metric, flagged)


@callback(Output(Ids.ANOMALY_FIGURE, "figure", allow_duplicate=True), Input(Ids.ANOMALY_PICK, "value"), URL_STATE,
          prevent_initial_call=True)
def update_anomaly_figure(picked, search):
    view, _ = view_of(search)
    unit, _, metric = (picked or "").partition("|")
    return anomaly_figure(get_query(), view, unit, metric)


@callback(Output(Ids.FUNNEL, "figure"), Output(Ids.FUNNEL_TABLE, "children"), Output(Ids.UNMATCHED, "children"),
          *page_inputs(PAGE), with_page=False)
def update_funnel(_ready, search):
    view, _ = view_of(search)
    result = funnel_result(get_query(), view.window, view.unit)  # one pass: counts and how many are unmatched
    fig = build_funnel_figure(result.stages, stage_names={s: t(f"stage_{s}", view.lang) for s in result.stages["stage"]},
                              title=t("data_funnel", view.lang), empty_message=t("no_data", view.lang))
    stage = lambda s: named("stage", s, view.lang)  # noqa: E731
    lags = result.lags.assign(from_stage=result.lags["from_stage"].map(stage), to_stage=result.lags["to_stage"].map(stage))
    return fig, html.Div([
        data_grid("data-lags-grid", list(lags.columns), view.lang, rows=grid_rows(lags), height=220),
        html.P(t("data_matched", view.lang, **result.matched), className="note")]), unmatched_note(result, view.lang)


def unmatched_note(result, lang: str):
    if result.regulator_only is None:
        return html.P(t("data_denied", lang), className="hint")
    return html.P(t("data_unmatched_counts", lang, regulator=len(result.regulator_only), police=len(result.police_only)))


def download_frame(chart: str, query: MetricsQuery, window: Window, unit: str | None, source: str | None):
    if chart == "runs":
        return runs_frame()
    if chart == "coverage":
        return coverage_frame(query, window)
    if chart == "returns_coverage":
        from dashboard.callbacks.data_returns import returns_coverage_frame

        return returns_coverage_frame(query, window, unit)
    if chart == "anomalies":
        return anomaly_frame(query, window)
    if chart == "quarantine":
        unit = unit if unit and get_unit(unit).kind != "hq" else None
        return query.quality.quarantine_rows(QuarantineRequest(source=source, unit=unit, limit=100_000))
    result = funnel_result(query, window, unit, records=chart == "unmatched")
    if chart == "unmatched" and result.regulator_only is not None:
        return pd.concat([result.regulator_only.assign(side="regulator_only"),
                          result.police_only.assign(side="police_only")], ignore_index=True)
    return result.stages.merge(result.lags, left_on="stage", right_on="to_stage", how="left")


@callback(Output(download_id(PAGE), "data"), Input(csv_button_id(PAGE, ALL), "n_clicks"), URL_STATE,
          prevent_initial_call=True)
def download_data(clicks, search):
    if not any(clicks or []) or not isinstance(ctx.triggered_id, dict):
        return no_update
    view, _ = view_of(search)
    chart = ctx.triggered_id["chart"]
    try:
        frame = download_frame(chart, get_query(), view.window, view.unit, None)
    except AccessDenied:
        return no_update
    return dcc.send_data_frame(frame.to_csv, f"{PAGE}-{chart}-{view.window.label()}.csv", index=False)
