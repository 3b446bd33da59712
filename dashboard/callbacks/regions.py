"""Regions: the tile map and ranking of the 36 bureaus; a click drills into one bureau."""
from __future__ import annotations

import functools
from dataclasses import replace
from enum import StrEnum
from typing import NamedTuple

import pandas as pd
from dash import ALL, Input, Output, ctx, dcc, no_update

from metrics.api import (METRICS, BreakdownRequest, CoverageRequest, MetricsQuery, SeriesRequest, bureaus, check_lang,
                         children, get_unit, pct_change)

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import data_end, has_previous, page_inputs, uncategorised, URL_STATE, view_of
from dashboard.components.ids import UNIT_ID, csv_button_id, download_id
from dashboard.data import get_query
from figures.base import empty_figure
from figures.regions import build_ranking_figure, build_tile_map_figure, ranking_height
from figures.trends import build_trend_figure
from figures.formatting import format_amount, format_pct, format_rate
from dashboard.i18n import metric_name, partial_label, t
from dashboard.state import GlobalView, fit_grain

PAGE = "regions"
MEASURES = ("total", "per_capita", "per_gdp", "growth")
MEASURE_COLUMN = {"total": "value", "per_capita": "per_10m_residents", "per_gdp": "per_100b_gdp", "growth": "growth"}


class Ids(StrEnum):
    MAP = "regions-map"
    RANKING = "regions-ranking"
    DENOMINATOR = "regions-denominator"
    DRILL = "regions-drill"
    SUB_BUREAUS = "regions-sub-bureaus"
    UNIT_TREND = "regions-unit-trend"


def _format(values: pd.Series, measure: str, unit: str, lang: str) -> list[str]:
    if measure == "total":
        return [format_amount(v, lang, unit) for v in values]
    if measure == "growth":
        return [format_pct(v, lang) for v in values]
    return [format_rate(v, lang) for v in values]


def region_frame(query: MetricsQuery, view: GlobalView, metric: str, measure: str) -> pd.DataFrame:
    """One row per bureau: value, rates, previous-period growth, and the colour/text of the chosen measure."""
    metric = metric if metric in METRICS else "clue_referrals"
    req = BreakdownRequest(view.window, (metric,), category=view.category)
    now = query.breakdown(req).frame
    prev = query.breakdown(BreakdownRequest(view.window.previous(), (metric,), category=view.category)).frame
    unit_kind = METRICS[metric].unit
    now["previous"] = now["unit_code"].map(prev.set_index("unit_code")["value"])
    now["growth"] = [pct_change(v, p, unit_kind) for v, p in zip(now["value"], now["previous"])]
    tiles = {u.code: u for u in bureaus()}
    now["name"] = [tiles[c].name(view.lang) for c in now["unit_code"]]
    now["short_name"] = now["name"]
    now["tile_row"] = [tiles[c].tile_row for c in now["unit_code"]]
    now["tile_col"] = [tiles[c].tile_col for c in now["unit_code"]]
    now["colour"] = pd.to_numeric(now[MEASURE_COLUMN.get(measure, "value")], errors="coerce").astype(float)
    now["text"] = _format(now["colour"], measure, unit_kind, view.lang)
    # A bureau that has not reported a month of this metric's source: its bar is an undercount, not a low value.
    short = query.quality.below_coverage(CoverageRequest(view.window)).get(METRICS[metric].source_system, set())
    now["coverage_ok"] = ~now["unit_code"].isin(short)
    mark = t("not_reported_mark", view.lang)
    now["text"] = [txt if ok else f"{txt}{mark}" for txt, ok in zip(now["text"], now["coverage_ok"])]
    now.attrs.update(metric=metric, measure=measure, window=view.window.label())
    return now


def denominator_note(measure: str, lang: str) -> str:
    """Which denominator a rate uses: year and source, as shipped with the reference data."""
    sample = next(u for u in bureaus() if u.denominator_year)
    if measure == "per_capita":
        return t("measure_per_capita", lang) + " · " + t("denominator_population", lang, year=sample.denominator_year,
                                                          source=sample.denominator_source)
    if measure == "per_gdp":
        return t("measure_per_gdp", lang) + " · " + t("denominator_gdp", lang, year=sample.denominator_year,
                                                       source=sample.denominator_source)
    return t("growth_note", lang) if measure == "growth" else ""


def unavailable(query: MetricsQuery, view: GlobalView, metric: str, measure: str) -> str | None:
    """Why the view has no figures to show, or None: a category the metric's source does not record, or growth
    asked of a period with no previous one."""
    if uncategorised(query, view, [metric if metric in METRICS else "clue_referrals"]):
        return t("not_for_category", view.lang)
    if measure == "growth" and not has_previous(view.window):
        return t("growth_needs_previous", view.lang)
    return None


@callback(Output(Ids.MAP, "figure"), Output(Ids.RANKING, "figure"), Output(Ids.DENOMINATOR, "children"),
          *page_inputs(PAGE))
def update_regions(_ready, search):
    view, state = view_of(search)
    metric, measure = state["metric"], state["measure"] if state["measure"] in MEASURES else "total"
    query = get_query()
    blocked = unavailable(query, view, metric, measure)
    if blocked:  # said in words, not as every tile grey or every bureau at zero
        return empty_figure(blocked), empty_figure(blocked), blocked
    with query.connection():  # both breakdowns on one pooled connection
        frame = region_frame(query, view, metric, measure)
    title = f"{metric_name(frame.attrs['metric'], view.lang)} · {t(f'measure_{measure}', view.lang)}"
    tile_map = build_tile_map_figure(frame, colour_title=t(f"measure_{measure}", view.lang),
                                     diverging=measure == "growth", selected=view.unit)
    ranking = build_ranking_figure(frame, value_title=title, selected=view.unit, empty_message=t("no_data", view.lang))
    return tile_map, ranking, denominator_note(measure, view.lang)


def sub_bureau_frame(query: MetricsQuery, view: GlobalView, metric: str) -> pd.DataFrame:
    req = BreakdownRequest(view.window, (metric,), level="sub_bureau", parent=view.unit, category=view.category)
    frame = query.breakdown(req).frame
    frame["name"] = frame[f"name_{check_lang(view.lang)}"]
    frame["colour"] = frame["value"].astype(float)
    frame["text"] = [format_amount(v, view.lang, METRICS[metric].unit) for v in frame["value"]]
    return frame


def unit_trend_frame(query: MetricsQuery, view: GlobalView, metric: str) -> pd.DataFrame:
    grain = fit_grain(view.window, "month" if view.window.days > 120 else "week", 1)
    frame = query.series(SeriesRequest(view.window, (metric,), grain, unit=view.unit, category=view.category)).frame
    frame["measure"] = METRICS[metric].unit
    frame.attrs["grain"] = grain
    return frame


class DrillView(NamedTuple):
    """The drill card's two graphs. They stay in the page and only their figures change: a new graph per
    change costs a mount and a full draw, and a hidden one a second draw when it is shown."""

    subs_figure: dict  # the bureau's sub-bureaus, or the reason there are none to show, in words
    trend_figure: dict  # the bureau's own trend; the nation's while no bureau is chosen


@functools.cache
def drill_height() -> int:
    """One height for both drill graphs in every state: the tallest sub-bureau ranking. A graph whose height
    changed is drawn twice (its resize observer redraws it)."""
    return ranking_height(max(len(children(b.code)) for b in bureaus()))


@callback(Output(Ids.SUB_BUREAUS, "figure"), Output(Ids.UNIT_TREND, "figure"), *page_inputs(PAGE))
def update_drill(_ready, search) -> DrillView:
    view, state = view_of(search)
    metric = state["metric"] if state["metric"] in METRICS else "clue_referrals"
    bureau = view.unit is not None and get_unit(view.unit).kind == "bureau"
    query = get_query()
    mine = bureau and query.principal.can_see_detail(view.unit)  # another bureau's sub-bureaus: say so
    absent = bool(uncategorised(query, view, [metric]))  # no figure for this category: no zeros drawn
    with query.connection():  # both reads on one pooled connection
        subs = (sub_bureau_frame(query, view, metric) if mine and children(view.unit) and not absent
                else pd.DataFrame())
        trend = unit_trend_frame(query, view if bureau else replace(view, unit=None), metric)
        end = data_end(query, view)
    grain = trend.attrs["grain"]
    if absent:
        trend = trend.iloc[0:0]
    name = get_unit(view.unit).name(view.lang) if bureau else ""
    title = f"{name} · {t('unit_trend', view.lang)}" if bureau else t("nation_trend", view.lang)
    trend_fig = build_trend_figure(trend, names={metric: metric_name(metric, view.lang)},
                                   facet_titles={METRICS[metric].unit: title}, height=drill_height(), grain=grain,
                                   data_end=end, partial_label=partial_label(end, view.lang),
                                   empty_message=t("not_for_category", view.lang) if absent else "")
    if subs.empty:
        why = ("click_to_drill" if not bureau else "drill_not_yours" if not mine else
               "not_for_category" if absent else "no_sub_bureaus")
        return DrillView(empty_figure(t(why, view.lang, unit=name), height=drill_height()), trend_fig)
    sub_fig = build_ranking_figure(subs, value_title=f"{name} · {t('sub_bureaus', view.lang)}",
                                   height=drill_height(), empty_message=t("no_sub_bureaus", view.lang))
    return DrillView(sub_fig, trend_fig)


@callback(Output(UNIT_ID, "value", allow_duplicate=True), Input(Ids.MAP, "clickData"),
          Input(Ids.RANKING, "clickData"), prevent_initial_call=True)
def drill_into(map_click, ranking_click):
    click = map_click if ctx.triggered_id == Ids.MAP else ranking_click
    code = (click or {}).get("points", [{}])[0].get("customdata")
    return code if code else no_update


@callback(Output(download_id(PAGE), "data"), Input(csv_button_id(PAGE, ALL), "n_clicks"), URL_STATE,
          prevent_initial_call=True)
def download_regions(clicks, search):
    if not any(clicks or []):
        return no_update
    view, state = view_of(search)
    metric, measure = state["metric"], state["measure"]
    chart = ctx.triggered_id["chart"]
    query = get_query()
    if chart == "drill" and view.unit and children(view.unit):
        frame = sub_bureau_frame(query, view, metric if metric in METRICS else "clue_referrals")
    else:
        frame = region_frame(query, view, metric, measure)
    columns = [c for c in frame.columns if c not in ("colour", "text", "short_name", "tile_row", "tile_col")]
    return dcc.send_data_frame(frame[columns].to_csv, f"{PAGE}-{chart}-{view.window.label()}.csv", index=False)
