"""Callbacks called directly over a seeded store, on SQLite and PostgreSQL; expectations come from the seed facts."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from tests.dashboard import seed_data
from dashboard.callbacks import compare as compare_cb
from dashboard.callbacks import overview as overview_cb
from dashboard.callbacks import regions as regions_cb
from dashboard.callbacks import shell as shell_cb
from dashboard.callbacks import trends as trends_cb
from dashboard.chart_text import summarise_figure
from dashboard.components.ids import ShellIds
from dashboard.data import as_of
from dashboard.state import preset_window
from metrics.api import bureaus, get_unit

D = dt.date


def _sum(facts: pd.DataFrame, metric: str, start: dt.date, end: dt.date, units=None) -> int:
    rows = facts[(facts["metric_id"] == metric) & (facts["day"] >= start) & (facts["day"] <= end)]
    if units is not None:
        rows = rows[rows["unit_code"].isin(units)]
    return int(rows["value"].sum())


def _bureau_units(code: str) -> list[str]:
    return [code] + [u.code for u in seed_data.children(code)]


def _trigger(prop_id: str, value=None):
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": value}]))


def _find(component, predicate):
    """Walk a Dash component tree depth first."""
    if predicate(component):
        yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children] if children is not None else []:
        if hasattr(child, "to_plotly_json"):
            yield from _find(child, predicate)


def test_overview_headlines_match_the_facts(request_ctx, facts):
    sections, progress, label = overview_cb.update_overview(True, "?range=lq")
    cards = {c.id: c for s in sections for c in _find(s, lambda c: str(getattr(c, "id", "")).startswith("kpi-"))}
    assert len(cards) == 15
    value = next(_find(cards["kpi-clue_referrals"], lambda c: getattr(c, "className", "") == "kpi-value"))
    assert int(value.to_plotly_json()["props"]["data-value"]) == _sum(facts, "clue_referrals", D(2025, 7, 1), D(2025, 9, 30))
    assert label == "2025-07-01 至 2025-09-30"
    bars = go.Figure(progress).data[0]  # figures are plain dicts; go.Figure reads and validates them
    share = dict(zip(bars.y, bars.x))["移送公安线索"]
    expected = _sum(facts, "clue_referrals", D(2023, 6, 1), D(2025, 11, 30)) / 4500 * 100
    assert share == pytest.approx(expected, abs=0.1)


def test_overview_changes_hide_tiny_bases_and_non_comparable_periods(request_ctx):
    frame = overview_cb.headline_frame(overview_cb.get_query(), overview_cb.view_of("?range=lq")[0])
    major = frame.set_index("metric").loc["major_cases"]
    assert pd.isna(major["pct_vs_previous"]) and pd.isna(major["pct_vs_year_ago"])  # tiny base: no percentage
    assert not pd.isna(frame.set_index("metric").loc["clue_referrals", "pct_vs_previous"])
    ctd = overview_cb.headline_frame(overview_cb.get_query(), overview_cb.view_of("")[0])
    assert ctd["pct_vs_year_ago"].isna().all()  # a year before the campaign start is not like for like


def test_freshness_flags_the_stale_source(request_ctx):
    items = overview_cb.update_freshness(0, "?lang=en")
    flags = {i.to_plotly_json()["props"].get("data-source"): i.to_plotly_json()["props"].get("data-stale")
             for i in items[1:]}
    assert flags == {"regulator_clues": "false", "activity_sheets": "true"}


def test_trend_series_sum_to_the_facts_and_cumulative_ends_at_the_total(request_ctx, facts):
    figure, note = trends_cb.update_trend(True, "?metrics=clue_referrals%2Crisk_warnings&grain=quarter&range=ytd")
    by_name = {tr.name: tr for tr in go.Figure(figure).data}
    line = by_name["移送公安线索"]  # Q4 is cut at the last loaded day: a hollow point, after a gap in the solid line
    last = max(facts["day"])
    assert line.marker.symbol[-1] == "circle-open"
    assert f"截至11月{last.day}日" in [a.text for a in go.Figure(figure).layout.annotations]
    assert sum(y for y in line.y if y is not None) == _sum(facts, "clue_referrals", D(2025, 1, 1), D(2025, 11, 30))
    assert note == ""
    fig = go.Figure(trends_cb.update_trend(True, "?metrics=risk_warnings&mode=cumulative&lang=en")[0])
    assert fig.data[0].y[-1] == _sum(facts, "risk_warnings", D(2023, 6, 1), D(2025, 11, 30))
    assert fig.data[-1].line.dash == "dot" and fig.data[-1].y[-1] == fig.data[0].y[-1]  # cumulative: no drop
    assert any("Campaign starts" == a.text for a in fig.layout.annotations)


def test_trend_by_category_is_coarsened_when_points_would_overflow(request_ctx):
    metrics = "%2C".join(seed_data.CATEGORISED)
    figure, note = trends_cb.update_trend(True, f"?metrics={metrics}&grain=day&split=category")
    assert note.startswith("数据点过多") and sum(len(tr.x) for tr in go.Figure(figure).data) <= 50_000


def test_regions_map_and_ranking_per_capita(request_ctx, facts):
    tile_map, ranking, note = regions_cb.update_regions(True, "?metric=clue_referrals&measure=per_capita&range=lq")
    gd = get_unit("440000")
    expected = _sum(facts, "clue_referrals", D(2025, 7, 1), D(2025, 9, 30), _bureau_units("440000"))
    tile = go.Figure(tile_map).data[0].z[gd.tile_row][gd.tile_col]
    assert tile == pytest.approx(expected / (gd.population_10k / 1000))
    assert len(go.Figure(ranking).data[0].y) == 36
    assert "2023" in note and "Statistical Yearbook" in note  # the denominator's year and source are named


def test_regions_drill_shows_sub_bureaus_and_own_trend(request_ctx, facts):
    drill = regions_cb.update_drill(True, "?unit=440000&range=lq")
    sub_fig, trend_fig = go.Figure(drill.subs_figure), go.Figure(drill.trend_figure)
    assert "合计" in summarise_figure(drill.trend_figure, "zh")  # the caption the page shows under it
    shown = dict(zip(sub_fig.data[0].customdata, sub_fig.data[0].x))
    kid = seed_data.children("440000")[0].code
    assert shown[kid] == _sum(facts, "clue_referrals", D(2025, 7, 1), D(2025, 9, 30), [kid])
    # weekly: the week of 29 Sep is cut at 30 Sep, so it is drawn partial, after a gap in the solid line
    assert trend_fig.data[0].marker.symbol[-1] == "circle-open" and trend_fig.data[1].line.dash == "dot"
    assert sum(y for y in trend_fig.data[0].y if y is not None) == _sum(
        facts, "clue_referrals", D(2025, 7, 1), D(2025, 9, 30), _bureau_units("440000"))
    nation = regions_cb.update_drill(True, "")  # no bureau chosen: how to choose one, and the nation's trend
    assert "点击" in go.Figure(nation.subs_figure).layout.annotations[0].text
    nation_trend = go.Figure(nation.trend_figure)
    assert nation_trend.layout.annotations[0].text == "全国趋势"
    ctd = preset_window("ctd", as_of())
    assert sum(y for y in nation_trend.data[0].y if y is not None) == _sum(facts, "clue_referrals", ctd.start, ctd.end)


def test_clicking_a_tile_selects_the_bureau():
    _trigger(f"{regions_cb.Ids.MAP}.clickData")
    assert regions_cb.drill_into({"points": [{"customdata": "510000"}]}, None) == "510000"


def test_compare_table_rank_and_band(request_ctx, facts):
    notice, table, percentiles, band = compare_cb.update_compare(True, "?unit=330000&lang=en&range=lq")
    rows = table.rowData
    assert len(rows) == 15
    values = {b.code: _sum(facts, "clue_referrals", D(2025, 7, 1), D(2025, 9, 30), _bureau_units(b.code))
              for b in bureaus()}
    rank = 1 + sum(v > values["330000"] for v in values.values())
    referral_row = next(r for r in rows if r["metric"] == "Clues referred to police")
    assert referral_row["rank_total"] == f"{rank}/36" and referral_row["rank_total_n"] == rank
    assert table.columnDefs[0]["pinned"] == "left" and table.dashGridOptions["pagination"]
    assert "Peer group" in notice[-1] and go.Figure(percentiles).data
    # band, median, Zhejiang's line; the week of 29 Sep is cut at 30 Sep: dotted to a hollow point, and said so
    band = go.Figure(band)
    assert [tr.name for tr in band.data][1:4] == ["Peers, 25th-75th percentile", "Peer median", "Zhejiang"]
    assert band.data[3].marker.symbol[-1] == "circle-open" and band.data[4].line.dash == "dot"
    assert band.data[0].x[-1].endswith("(to 30 Sep)")
    fallback, *_ = compare_cb.update_compare(True, "")
    assert "Beijing" in fallback[0] or "北京" in fallback[0]


def test_downloads_return_the_chart_data_as_csv(request_ctx, facts):
    _trigger('{"chart":"series","page":"trends","type":"csv"}.n_clicks', 1)
    sent = trends_cb.download_trend([1], "?metrics=clue_referrals&grain=year")
    csv = pd.read_csv(pd.io.common.StringIO(sent["content"]))
    assert csv["value"].sum() == _sum(facts, "clue_referrals", D(2023, 6, 1), D(2025, 11, 30))
    assert sent["filename"].endswith(".csv")
    _trigger('{"chart":"headlines","page":"overview","type":"csv"}.n_clicks', 1)
    sent = overview_cb.download_overview([1, 0], "?lang=en")
    assert "Clues referred to police" in sent["content"]


def test_router_renders_every_page_and_falls_back_to_overview(request_ctx):
    for path in ("/", "/trends", "/regions", "/compare", "/missing"):
        header, main = shell_cb.render_page(path, "?lang=en")
        page = json.dumps(main.to_plotly_json(), cls=PlotlyJSONEncoder)
        expected = {"/": "overview", "/missing": "overview"}.get(path, path.strip("/"))
        assert f'"className": "{expected}"' in page
        assert "Joint crackdown" in json.dumps(header.to_plotly_json(), cls=PlotlyJSONEncoder)


def test_url_sync_writes_controls_to_the_url_and_back(request_ctx):
    ids = [{"type": "view-state", "key": k} for k in ("range", "unit", "cat", "grain")]
    _trigger('{"key":"unit","type":"view-state"}.value', "440000")
    search, values, starts, ends = shell_cb.sync_url_state("?lang=en", ["ctd", "440000", "all", "month"],
                                                           ["2023-06-01"], ["2025-11-30"], ids)
    assert search == "?lang=en&unit=440000"
    _trigger('{"key":"range","type":"view-state"}.value', "lq")
    search, values, starts, ends = shell_cb.sync_url_state("?unit=440000", ["lq", "440000", "all", "month"],
                                                           ["2023-06-01"], ["2025-11-30"], ids)
    assert search == "?range=lq&unit=440000" and (starts, ends) == (["2025-07-01"], ["2025-09-30"])
    _trigger('{"key":"window","type":"view-dates"}.start_date', "2024-01-01")
    search, *_ = shell_cb.sync_url_state("", ["ctd", "nation", "all", "month"], ["2024-01-01"], ["2024-03-31"], ids)
    assert search == "?range=custom&from=2024-01-01&to=2024-03-31"
    _trigger(f"{ShellIds.URL}.search", "?range=lq&grain=week")  # Back: the URL drives the controls
    search, values, starts, ends = shell_cb.sync_url_state("?range=lq&grain=week", ["ctd", "nation", "all", "month"],
                                                           ["2023-06-01"], ["2025-11-30"], ids)
    assert values[0] == "lq" and values[3] == "week" and starts == ["2025-07-01"]


def test_every_app_built_in_one_process_gets_every_callback(app, seeded):
    from dashboard import create_app
    from metrics.api import MetricsStore

    from tests.auth_helpers import signed_in_client

    other = create_app(None, MetricsStore(seeded[0]))
    deps = [signed_in_client(a, "lead").get("/_dash-dependencies").json for a in (app, other)]
    assert len(deps[0]) == len(deps[1]) >= 15
