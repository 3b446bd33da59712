"""Trends: any metrics at any grain, plain or cumulative, split by metric, category or direction."""
from __future__ import annotations

from enum import StrEnum

import pandas as pd
from dash import ALL, Input, Output, ctx, dcc, no_update

from metrics.api import CATEGORIES, METRICS, MetricsQuery, SeriesRequest, check_lang

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import data_end, page_inputs, uncategorised, URL_STATE, page_value, view_of
from dashboard.components.ids import csv_button_id, download_id
from dashboard.data import get_query
from figures.base import empty_figure
from figures.trends import build_trend_figure
from dashboard.i18n import category_name, direction_name, join_names, metric_name, partial_label, t
from dashboard.state import GlobalView, fit_grain

PAGE = "trends"


class Ids(StrEnum):
    GRAPH = "trends-graph"
    NOTE = "trends-note"


def trend_frame(query: MetricsQuery, view: GlobalView, metrics: list[str], grain: str, cumulative: bool,
                split: str) -> pd.DataFrame:
    """The series, at a grain coarse enough to stay under the point budget; attrs['grain'] says which."""
    metrics = [m for m in metrics if m in METRICS] or ["clue_referrals"]
    lines = len(metrics) * (len(CATEGORIES) + 1 if split == "category" else 1)
    used = fit_grain(view.window, grain, lines)
    req = SeriesRequest(view.window, tuple(metrics), used, cumulative, view.unit, view.category, split)
    frame = query.series(req).frame
    frame["measure"] = frame["metric"].map(lambda m: METRICS[m].unit)
    frame.attrs.update(grain=used, requested_grain=grain)
    return frame


def annotation_frame(query: MetricsQuery, view: GlobalView) -> pd.DataFrame:
    notes = query.annotations(view.window)
    notes = notes[notes["unit_code"].isna() | (notes["unit_code"] == view.unit)]
    return pd.DataFrame({"day": notes["day"], "text": notes[f"label_{check_lang(view.lang)}"]})


def facet_titles(frame: pd.DataFrame, split: str, lang: str) -> dict[str, str]:
    if split == "category":
        return {m: metric_name(m, lang) for m in frame["metric"].unique()}
    kinds = {k: t(f"kind_{k}", lang) for k in frame["measure"].unique()}
    if split == "direction":
        return {f"{d}|{k}": f"{d}. {direction_name(d, lang)} · {kinds[k]}"
                for d, k in frame[["direction", "measure"]].drop_duplicates().itertuples(index=False)}
    return kinds


def line_names(frame: pd.DataFrame, split: str, lang: str) -> dict[str, str]:
    if split == "category":
        return {c: category_name(c, lang) for c in frame["category"].unique()}
    return {m: metric_name(m, lang) for m in frame["metric"].unique()}


def trend_options(state: dict[str, str]) -> tuple[list[str], str, bool, str]:
    return page_value(state, "metrics"), state["grain"], state["mode"] == "cumulative", state["split"]


@callback(Output(Ids.GRAPH, "figure"), Output(Ids.NOTE, "children"), *page_inputs(PAGE))
def update_trend(_ready, search):
    view, state = view_of(search)
    metrics, grain, cumulative, split = trend_options(state)
    query = get_query()
    missing = uncategorised(query, view, metrics)  # no figure under this category: named, not drawn as zero
    absent = t("not_for_category_list", view.lang,
               names=join_names((metric_name(m, view.lang) for m in missing), view.lang)) if missing else ""
    if missing and not [m for m in metrics if m not in missing]:
        return empty_figure(t("not_for_category", view.lang)), absent
    frame = trend_frame(query, view, [m for m in metrics if m not in missing], grain, cumulative, split)
    used, end = frame.attrs["grain"], data_end(query, view)
    figure = build_trend_figure(frame, names=line_names(frame, split, view.lang),
                                facet_titles=facet_titles(frame, split, view.lang), split=split,
                                annotations=annotation_frame(query, view), empty_message=t("no_data", view.lang),
                                tick_format="%Y-%m-%d" if used in ("day", "week") else "%Y-%m",
                                grain=used, data_end=end, partial_label=partial_label(end, view.lang))
    note = t("grain_coarsened", view.lang, grain=t(f"grain_{used}", view.lang)) if used != grain else ""
    return figure, " · ".join(n for n in (note, absent) if n)


@callback(Output(download_id(PAGE), "data"), Input(csv_button_id(PAGE, ALL), "n_clicks"), URL_STATE,
          prevent_initial_call=True)
def download_trend(clicks, search):
    if not any(clicks or []):
        return no_update
    view, state = view_of(search)
    frame = trend_frame(get_query(), view, *trend_options(state))
    frame.insert(1, "name", frame["metric"].map(lambda m: metric_name(m, view.lang)))
    return dcc.send_data_frame(frame.to_csv, f"{PAGE}-{ctx.triggered_id['chart']}-{view.window.label()}.csv",
                               index=False)
