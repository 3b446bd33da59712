"""Overview: headline figures per direction, progress against published figures, data freshness."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import pandas as pd
from dash import ALL, Input, Output, ctx, dcc, html, no_update

from metrics.api import (ALL_METRICS, CAMPAIGN_START, DIRECTIONS, METRICS, MetricsQuery, SeriesRequest,
                         TotalsRequest, Window, pct_change)

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import data_end, page_inputs, uncategorised, URL_STATE, view_of
from dashboard.components.ids import csv_button_id, download_id
from dashboard.components.kpi import kpi_card
from dashboard.data import freshness, get_query
from figures.base import DIRECTION_COLOURS
from figures.overview import build_progress_figure, build_sparkline_figure
from figures.formatting import format_amount
from dashboard.i18n import direction_name, metric_name, published_figure, t
from dashboard.state import NATION, GlobalView

PAGE = "overview"
# The joint progress report of 2025-12-25 gives national totals for this window (shared/domain.md).
PUBLISHED_WINDOW = Window(dt.date(2023, 6, 1), dt.date(2025, 11, 30))


class Ids(StrEnum):
    PERIOD_LABEL = "overview-period-label"
    DIRECTIONS = "overview-directions"
    PROGRESS = "overview-progress"
    FRESHNESS = "overview-freshness"
    FRESHNESS_TIMER = "overview-freshness-timer"


def sparkline_grain(window: Window) -> str:
    return "week" if window.days <= 120 else "month"


def comparable(window: Window) -> Window | None:
    """A comparison window, or None when it reaches back before the campaign (not like for like)."""
    return window if window.start >= CAMPAIGN_START else None


def headline_frame(query: MetricsQuery, view: GlobalView) -> pd.DataFrame:
    """One row per metric: chosen period, previous period, same period last year, campaign to date."""
    def totals(window: Window | None) -> pd.Series:
        if window is None:
            return pd.Series(pd.NA, index=list(ALL_METRICS), dtype="Int64")
        req = TotalsRequest(window, unit=view.unit, category=view.category)
        return query.totals(req).frame.set_index("metric")["value"].astype("Int64")

    w = view.window
    now, prev, year = totals(w), totals(comparable(w.previous())), totals(comparable(w.year_ago()))
    ctd = totals(Window.campaign_to_date(max(view.as_of, w.end)))
    frame = pd.DataFrame({"metric": list(ALL_METRICS)})
    frame["unit"] = frame["metric"].map(lambda m: METRICS[m].unit)
    frame["direction"] = frame["metric"].map(lambda m: int(METRICS[m].direction))
    for column, values in (("value", now), ("previous", prev), ("year_ago", year), ("campaign_to_date", ctd)):
        frame[column] = frame["metric"].map(values).astype("Int64")
    frame["pct_vs_previous"] = [_pct(v, b, u) for v, b, u in zip(frame["value"], frame["previous"], frame["unit"])]
    frame["pct_vs_year_ago"] = [_pct(v, b, u) for v, b, u in zip(frame["value"], frame["year_ago"], frame["unit"])]
    frame["published_over"] = frame["metric"].map(lambda m: METRICS[m].published_over)
    frame.attrs.update(window=w.label(), unit=view.unit or NATION,
                       previous_comparable=comparable(w.previous()) is not None,
                       year_ago_comparable=comparable(w.year_ago()) is not None)
    return frame


def _pct(value, base, unit: str) -> float | None:
    return None if pd.isna(base) else pct_change(int(value), int(base), unit)


def direction_sections(frame: pd.DataFrame, series: pd.DataFrame, lang: str, *, grain: str = "month",
                       end: dt.date | None = None, missing: frozenset[str] = frozenset()) -> list:
    """`frame.attrs` says which comparisons have no period to compare with; `missing`: metrics with no figure
    under the chosen category."""
    no_previous = None if frame.attrs.get("previous_comparable", True) else t("growth_needs_previous", lang)
    no_year_ago = None if frame.attrs.get("year_ago_comparable", True) else t("year_ago_needs_campaign", lang)
    # Each frame split once: a boolean mask per card cost more than building the card.
    by_metric = dict(tuple(series.groupby("metric", sort=False)))
    records = frame.to_dict("records")
    sections = []
    for info in DIRECTIONS:
        number = int(info.number)
        cards = [kpi_card(metric_id=r["metric"], name=metric_name(r["metric"], lang), unit=r["unit"], lang=lang,
                          period_value=int(r["value"]), ctd_value=int(r["campaign_to_date"]),
                          pct_previous=r["pct_vs_previous"], pct_year_ago=r["pct_vs_year_ago"],
                          sparkline=build_sparkline_figure(by_metric.get(r["metric"], series.iloc[0:0]),
                                                           colour=DIRECTION_COLOURS[number], grain=grain,
                                                           data_end=end),
                          no_previous=no_previous, no_year_ago=no_year_ago,
                          unavailable=t("not_for_category", lang) if r["metric"] in missing else None)
                 for r in records if r["direction"] == number]
        sections.append(html.Section([html.H2(f"{number}. {direction_name(info.number, lang)}",
                                              className="direction-title"),
                                      html.Div(cards, className="kpi-grid")],
                                     className=f"direction direction-{number}"))
    return sections


def progress_frame(query: MetricsQuery, lang: str) -> pd.DataFrame:
    """National totals over the window the published figures cover, against those figures."""
    metrics = tuple(m.id for m in METRICS.values() if m.published_over)
    rows = query.totals(TotalsRequest(PUBLISHED_WINDOW, metrics)).frame
    rows["name"] = rows["metric"].map(lambda m: metric_name(m, lang))
    rows["published_over"] = rows["metric"].map(lambda m: METRICS[m].published_over)
    rows["published"] = rows["metric"].map(lambda m: published_figure(m, PUBLISHED_WINDOW.end, lang))
    rows["text"] = [t("published_against", lang, value=format_amount(v, lang, u), published=p)
                    for v, u, p in zip(rows["value"], rows["unit"], rows["published"])]
    return rows[["metric", "name", "unit", "value", "published_over", "published", "text", "from", "to"]]


@callback(Output(Ids.DIRECTIONS, "children"), Output(Ids.PROGRESS, "figure"), Output(Ids.PERIOD_LABEL, "children"),
          *page_inputs(PAGE))
def update_overview(_ready, search):
    view, _ = view_of(search)
    query = get_query()
    nation = view.unit is None and view.category is None
    with query.connection():  # the page's five or six reads on one pooled connection
        frame = headline_frame(query, view)
        grain = sparkline_grain(view.window)
        series = query.series(SeriesRequest(view.window, grain=grain, unit=view.unit, category=view.category)).frame
        end = data_end(query, view)
        missing = frozenset(uncategorised(query, view, ALL_METRICS))
        published = progress_frame(query, view.lang) if nation else None
    progress = (build_progress_figure(published, lang=view.lang, title=None) if nation else
                build_progress_figure(pd.DataFrame(), lang=view.lang, title=t("published_nation_only", view.lang)))
    label = t("period_label", view.lang, start=view.window.start.isoformat(), end=view.window.end.isoformat())
    return direction_sections(frame, series, view.lang, grain=grain, end=end, missing=missing), progress, label


def freshness_items(status: pd.DataFrame, lang: str) -> list:
    if status.empty:
        return [html.Span(t("no_sources", lang), className="fresh-item")]
    items = []
    for r in status.itertuples(index=False):
        when = (t("never_loaded", lang) if r.last_success_at is None or pd.isna(r.last_success_at) else
                t("hours_ago", lang, n=f"{r.age_hours:.0f}"))
        cls = "fresh-item stale" if r.stale else "fresh-item ok"
        items.append(html.Span([html.B(r.source), f" {t('last_success', lang)}: {when} · ",
                                t("stale" if r.stale else "fresh", lang)], className=cls,
                               **{"data-source": r.source, "data-stale": str(bool(r.stale)).lower()}))
    return items


@callback(Output(Ids.FRESHNESS, "children"), Input(Ids.FRESHNESS_TIMER, "n_intervals"), URL_STATE)
def update_freshness(_, search):
    lang = view_of(search)[0].lang
    return [html.Span(t("freshness", lang) + ": ", className="fresh-title"), *freshness_items(freshness(), lang)]


@callback(Output(download_id(PAGE), "data"), Input(csv_button_id(PAGE, ALL), "n_clicks"), URL_STATE,
          prevent_initial_call=True)
def download_overview(clicks, search):
    if not any(clicks or []):
        return no_update
    view, _ = view_of(search)
    query = get_query()
    frame = progress_frame(query, view.lang) if ctx.triggered_id["chart"] == "progress" else headline_frame(query, view)
    if "name" not in frame:
        frame.insert(1, "name", frame["metric"].map(lambda m: metric_name(m, view.lang)))
    return dcc.send_data_frame(frame.to_csv, f"{PAGE}-{ctx.triggered_id['chart']}-{view.window.label()}.csv",
                               index=False)
