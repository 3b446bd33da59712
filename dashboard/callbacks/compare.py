"""Compare: a bureau's rank, percentile and gap to the median on every metric; its trend against its peers."""
from __future__ import annotations

from enum import StrEnum

import pandas as pd
from dash import ALL, Input, Output, ctx, dcc, no_update

from metrics.api import (CAMPAIGN_START, METRICS, CompareRequest, MetricsQuery, PeerBandRequest, Window, get_unit,
                         similar_size_peers)

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import data_end, page_inputs, URL_STATE, page_value, view_of
from dashboard.components.grid import data_grid
from dashboard.components.ids import csv_button_id, download_id
from dashboard.data import get_query
from figures.compare import build_peer_band_figure, build_percentile_figure
from figures.formatting import format_amount, format_gap, format_pct, format_percentile
from dashboard.i18n import metric_name, partial_label, t
from dashboard.state import GlobalView, fit_grain

PAGE = "compare"
RATES = ("total", "per_capita", "per_gdp")
FALLBACK_BUREAU = "110000"


class Ids(StrEnum):
    NOTICE = "compare-notice"
    TABLE = "compare-table"
    GRID = "compare-grid"
    PERCENTILES = "compare-percentiles"
    BAND = "compare-band"


def chosen_bureau(view: GlobalView) -> str:
    """Comparison is between bureaus: the selected unit when it is one, else a fixed default."""
    if view.unit and get_unit(view.unit).kind == "bureau":
        return view.unit
    return FALLBACK_BUREAU


def peer_group(bureau: str, peers: list[str] | None) -> tuple[str, ...]:
    chosen = tuple(p for p in (peers or []) if p != bureau)
    return (bureau, *chosen) if chosen else similar_size_peers(bureau)


def compare_frame(query: MetricsQuery, view: GlobalView, peers: list[str] | None) -> pd.DataFrame:
    bureau = chosen_bureau(view)
    req = CompareRequest(bureau, view.window, peer_group(bureau, peers), category=view.category)
    frame = query.compare(req).frame
    frame.attrs.update(unit=bureau, peers=peer_group(bureau, peers))
    return frame


def rank_text(rank, of, lang: str) -> str:
    """'3/36', or a mark where the rank is withheld because the bureau has not reported (metrics.coverage)."""
    return t("rank_withheld", lang) if rank is None or pd.isna(rank) else f"{int(rank)}/{int(of)}"


def _number(value):
    return None if value is None or pd.isna(value) else float(value)


def comparison_rows(frame: pd.DataFrame, rate: str, lang: str, window: Window | None = None) -> list[dict]:
    """One row per metric: each cell as text, and beside it (`<column>_n`) the number it sorts and filters by.

    A change against a period reaching back before the campaign is not like for like: shown as a dash.
    The gap to the median is in the metric's own unit (万/亿元 or million/billion yuan, people, counts).
    """
    fair_prev = window is None or window.previous().start >= CAMPAIGN_START
    fair_year = window is None or window.year_ago().start >= CAMPAIGN_START
    # Plain dict lookups: .loc on a small frame costs more than the formatting, and there are ~200 of them.
    cell = {(r["metric"], r["rate"]): r for r in frame.to_dict("records")}
    rows = []
    for metric in dict.fromkeys(frame["metric"]):
        by_rate = {r: cell[(metric, r)] for r in RATES}
        unit, total = METRICS[metric].unit, by_rate["total"]
        row = {"metric": metric_name(metric, lang), "value": format_amount(total["value"], lang, unit),
               "value_n": _number(total["value"])}
        for r in RATES:
            row[f"rank_{r}"] = rank_text(by_rate[r]["rank"], by_rate[r]["of"], lang)
            row[f"rank_{r}_n"] = _number(by_rate[r]["rank"])
            row[f"pct_{r}"] = format_percentile(by_rate[r]["percentile"], lang)
            row[f"pct_{r}_n"] = _number(by_rate[r]["percentile"])
        row["peer_rank"] = rank_text(by_rate[rate]["peer_rank"], by_rate[rate]["peer_of"], lang)
        row["peer_rank_n"] = _number(by_rate[rate]["peer_rank"])
        row["gap"] = format_gap(by_rate[rate]["gap_to_median"], lang, unit=unit, rate=rate)
        row["gap_n"] = _number(by_rate[rate]["gap_to_median"])
        for key, fair in (("vs_previous", fair_prev), ("vs_year_ago", fair_year)):
            change = _number(total[f"pct_{key}"]) if fair else None
            row[key], row[f"{key}_n"] = format_pct(change, lang), change
        rows.append(row)
    return rows


def table_columns(rate: str, lang: str) -> list[tuple[str, str]]:
    cols = [("metric", t("metric", lang)), ("value", t("value", lang))]
    for r in RATES:
        cols += [(f"rank_{r}", f"{t('rank', lang)} · {t(r, lang)}"),
                 (f"pct_{r}", f"{t('percentile', lang)} · {t(r, lang)}")]
    return cols + [("peer_rank", f"{t('peer_rank', lang)} · {t(rate, lang)}"),
                   ("gap", t("gap_header", lang, rate=t(rate, lang))),
                   ("vs_previous", t("vs_previous", lang)), ("vs_year_ago", t("vs_year_ago", lang))]


NUMBER_FILTERS = ["greaterThan", "lessThan", "equals", "notEqual"]


def comparison_grid(rows: list[dict], rate: str, lang: str):
    """The rows in a client-side grid (15 metrics): cells show the text, sort and filter by the number."""
    columns = table_columns(rate, lang)
    wrap = {"wrapHeaderText": True, "autoHeaderHeight": True}
    overrides = {key: {**wrap, "headerTooltip": label} for key, label in columns}
    overrides["gap"]["headerTooltip"] = t("gap_header_tip", lang, rate=t(rate, lang))
    for key, _ in columns[1:]:
        overrides[key] |= {"valueGetter": {"function": f"params.data.{key}_n"},
                           "valueFormatter": {"function": f"params.data.{key}"},
                           "filter": "agNumberColumnFilter",
                           "filterParams": {"filterOptions": NUMBER_FILTERS, "maxNumConditions": 1},
                           "type": "rightAligned"}
    return data_grid(Ids.GRID, [k for k, _ in columns], lang, rows=rows, height=540, page_size=10,
                     headers=dict(columns), overrides=overrides)


def band_frame(query: MetricsQuery, view: GlobalView, peers: list[str] | None, metric: str, rate: str):
    bureau = chosen_bureau(view)
    grain = fit_grain(view.window, "month" if view.window.days > 120 else "week", 9)
    req = PeerBandRequest(bureau, metric if metric in METRICS else "clue_referrals", view.window,
                          peer_group(bureau, peers), grain, rate if rate in RATES else "per_capita")
    frame = query.peer_band(req).frame
    frame.attrs["grain"] = grain
    return frame


@callback(Output(Ids.NOTICE, "children"), Output(Ids.TABLE, "children"), Output(Ids.PERCENTILES, "figure"),
          Output(Ids.BAND, "figure"), *page_inputs(PAGE))
def update_compare(_ready, search):
    view, state = view_of(search)
    peers, metric, rate = page_value(state, "peers"), state["metric"], state["rate"]
    rate = rate if rate in RATES else "per_capita"
    lang, query = view.lang, get_query()
    with query.connection():  # the comparison and the band on one pooled connection
        frame = compare_frame(query, view, peers)
        band_rows = band_frame(query, view, peers, metric, rate)
        end = data_end(query, view)
    bureau = get_unit(frame.attrs["unit"])
    names = t("list_separator", lang).join(get_unit(p).name(lang) for p in frame.attrs["peers"])
    notice = [t("peer_list", lang, names=names)]
    if bureau.code != view.unit:
        notice.insert(0, t("pick_bureau", lang, name=bureau.name(lang)) + " · ")
    table = comparison_grid(comparison_rows(frame, rate, lang, view.window), rate, lang)
    percentiles = build_percentile_figure(frame, metric_names={m: metric_name(m, lang) for m in METRICS},
                                          rate_names={r: t(f"rate_{r}", lang) for r in RATES},
                                          title=None)
    band = build_peer_band_figure(band_rows, own_name=bureau.name(lang),
                                  band_name=t("band_p25_p75", lang), median_name=t("band_median", lang),
                                  value_title=f"{metric_name(metric, lang)} · {t(f'rate_{rate}', lang)}",
                                  grain=band_rows.attrs["grain"], data_end=end, partial_label=partial_label(end, lang))
    return notice, table, percentiles, band


@callback(Output(download_id(PAGE), "data"), Input(csv_button_id(PAGE, ALL), "n_clicks"), URL_STATE,
          prevent_initial_call=True)
def download_compare(clicks, search):
    if not any(clicks or []):
        return no_update
    view, state = view_of(search)
    peers, metric, rate = page_value(state, "peers"), state["metric"], state["rate"]
    chart = ctx.triggered_id["chart"]
    query = get_query()
    frame = band_frame(query, view, peers, metric, rate) if chart == "band" else compare_frame(query, view, peers)
    return dcc.send_data_frame(frame.to_csv, f"{PAGE}-{chart}-{view.window.label()}.csv", index=False)
