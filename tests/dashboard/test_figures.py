"""Figure builders are pure: frames in, figure dicts out. Checked on small hand-made frames, each dict read
through go.Figure, which also validates it (a misspelt or misplaced property raises)."""
from __future__ import annotations

import copy
import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go

from figures.base import CJK_FONT
from figures.compare import build_peer_band_figure, build_percentile_figure
from figures.overview import build_progress_figure, build_sparkline_figure
from figures.regions import MISSING_TILE, build_ranking_figure, build_tile_map_figure
from figures.trends import build_trend_figure


def _series(metric, measure, direction, values, category=None):
    periods = pd.date_range("2024-01-01", periods=len(values), freq="MS")
    frame = pd.DataFrame({"metric": metric, "period": periods, "label": periods.strftime("%Y-%m"),
                          "value": values, "direction": direction, "measure": measure})
    if category is not None:
        frame["category"] = category
    return frame


def test_trend_panels_never_mix_units_and_carry_annotations():
    df = pd.concat([_series("clue_referrals", "count", 1, [1, 2, 3]),
                    _series("clue_referral_amount", "yuan", 1, [10, 20, 30]),
                    _series("risk_warnings", "count", 3, [4, 5, 6])])
    notes = pd.DataFrame({"day": [pd.Timestamp("2024-02-15").date()], "text": ["3·15"]})
    fig = go.Figure(build_trend_figure(df, names={"clue_referrals": "移送"}, facet_titles={}, split="metric",
                                       annotations=notes))
    assert {tr.yaxis for tr in fig.data if tr.name == "移送"} != {tr.yaxis for tr in fig.data if tr.name == "clue_referral_amount"}
    assert len(fig.data) == 3 and sum(len(tr.y) for tr in fig.data) == 9
    assert any(a.text == "3·15" for a in fig.layout.annotations)
    assert fig.layout.font.family == CJK_FONT
    by_direction = go.Figure(build_trend_figure(df, names={}, facet_titles={}, split="direction"))
    assert len({tr.yaxis for tr in by_direction.data}) == 3  # d1 count, d1 yuan, d3 count


def test_trend_split_by_category_draws_a_line_per_category():
    df = pd.concat([_series("clue_referrals", "count", 1, [1, 2], "other"),
                    _series("clue_referrals", "count", 1, [3, 4], "fake_credit_repair")])
    fig = go.Figure(build_trend_figure(df, names={"other": "其他"}, facet_titles={}, split="category"))
    assert sorted(tr.name for tr in fig.data) == ["fake_credit_repair", "其他"]
    empty = go.Figure(build_trend_figure(df.iloc[0:0], names={}, facet_titles={}, empty_message="无"))
    assert list(empty.layout.annotations[0].text) == list("无")


def test_tile_map_puts_each_bureau_on_its_tile_and_greys_missing_values():
    df = pd.DataFrame({"unit_code": ["110000", "440000", "540000"], "short_name": ["北京", "广东", "西藏"],
                       "tile_row": [1, 6, 4], "tile_col": [4, 3, 0], "colour": [5.0, 12.0, math.nan],
                       "text": ["5", "12", "—"]})
    fig = go.Figure(build_tile_map_figure(df, colour_title="t", selected="440000"))
    heat = fig.data[0]
    assert heat.z[6][3] == 12.0 and heat.customdata[1][4] == "110000" and heat.z[4][0] is None
    assert heat.z[0][0] is None and heat.customdata[0][0] == ""  # empty sea tile
    grey, outline = fig.layout.shapes  # a grey tile where there is no value (Tibet), the selection's outline
    assert (grey.fillcolor, round((grey.x0 + grey.x1) / 2, 6), round((grey.y0 + grey.y1) / 2, 6)) == (MISSING_TILE, 0, 4)
    assert (round((outline.x0 + outline.x1) / 2, 6), round((outline.y0 + outline.y1) / 2, 6)) == (3, 6)
    diverging = go.Figure(build_tile_map_figure(df.assign(colour=[-20.0, 10.0, math.nan]), colour_title="g",
                                                diverging=True))
    assert diverging.data[0].zmin == -20 and diverging.data[0].zmax == 20


def test_ranking_is_largest_on_top_and_highlights_the_selection():
    df = pd.DataFrame({"unit_code": ["a", "b", "c"], "name": ["A", "B", "C"], "colour": [2.0, 9.0, math.nan],
                       "text": ["2", "9", "—"]})
    fig = go.Figure(build_ranking_figure(df, value_title="x", selected="a"))
    bar = fig.data[0]
    assert list(bar.y) == ["A", "B"]  # plotly draws the last bar on top
    assert list(bar.marker.color) == ["#d9822b", "#1f5fa8"]


def test_progress_shows_share_of_published_figure():
    df = pd.DataFrame({"metric": ["m1", "m2"], "name": ["甲", "乙"], "unit": ["count", "yuan"],
                       "value": [4_832, 20_000_000_000], "published_over": [4_500, 21_000_000_000]})
    fig = go.Figure(build_progress_figure(df, lang="zh", title=None))
    bar = fig.data[0]
    assert list(bar.y) == ["乙", "甲"] and list(bar.x) == [95.2, 107.4]
    assert bar.text[1] == "4,832 / 4,500" and bar.text[0] == "200亿元 / 210亿元"


def test_sparkline_and_compare_figures():
    raw = build_sparkline_figure(pd.DataFrame({"label": ["a", "b"], "value": [1, 3]}))
    spark = go.Figure(raw)
    assert list(spark.data[0].y) == [1, 3] and spark.layout.xaxis.visible is False
    assert "template" not in raw["layout"]  # drawn without the theme: fifteen on a page, and nothing shows it
    pct = pd.DataFrame({"metric": ["m", "m"], "rate": ["total", "per_capita"], "percentile": [80.0, 20.0],
                        "rank": [8, 29], "of": [36, 36]})
    fig = go.Figure(build_percentile_figure(pct, metric_names={"m": "指标"}, rate_names={}, title=None))
    assert [list(tr.x) for tr in fig.data] == [[80.0], [20.0]]
    band = pd.DataFrame({"label": ["2024-01", "2024-02"], "p25": [1, 2], "median": [2, 3], "p75": [3, 4],
                         "own": [5, 1]})
    fig = go.Figure(build_peer_band_figure(band, own_name="浙江", band_name="b", median_name="m", value_title="v"))
    assert [tr.name for tr in fig.data][1:] == ["b", "m", "浙江"] and list(fig.data[-1].y) == [5, 1]


def test_figures_look_as_go_figure_drew_them_and_share_nothing():
    """go.Figure's default theme and plotly.py's "Blues" stops (plotly.js has its own "Blues") are in the dicts,
    and every call hands out fresh dicts: changing one figure leaves the next one untouched."""
    df = pd.concat([_series("clue_referrals", "count", 1, [1, 2, 3]), _series("risk_warnings", "yuan", 3, [4, 5, 6])])
    first = build_trend_figure(df, names={}, facet_titles={})
    assert first["layout"]["template"] == go.Figure().layout.template.to_plotly_json()
    expected = copy.deepcopy(first)
    first["layout"]["xaxis"]["domain"][0] = first["layout"]["yaxis"]["domain"][0] = 0.5
    first["layout"]["template"]["layout"]["font"] = {"size": 99}
    assert build_trend_figure(df, names={}, facet_titles={}) == expected
    tiles = pd.DataFrame({"unit_code": ["110000"], "short_name": ["北京"], "tile_row": [1], "tile_col": [4],
                          "colour": [5.0], "text": ["5"]})
    heat = go.Figure(build_tile_map_figure(tiles, colour_title="t")).data[0]
    assert heat.colorscale == go.Heatmap(colorscale="Blues").colorscale


def test_the_peer_band_draws_a_cut_last_period_as_partial():
    band = pd.DataFrame({"period": pd.to_datetime(["2025-10-01", "2025-11-01", "2025-12-01", "2026-01-01"]),
                         "label": ["2025-10", "2025-11", "2025-12", "2026-01"], "p25": [1, 2, 1, 0],
                         "median": [2, 3, 1, 0], "p75": [3, 4, 2, 0], "own": [5, 6, 1, 0]})
    kwargs = {"own_name": "浙江", "band_name": "b", "median_name": "m", "value_title": "v"}
    fig = go.Figure(build_peer_band_figure(band, data_end=dt.date(2025, 12, 4), partial_label="截至12月4日", **kwargs))
    assert list(fig.data[0].x) == ["2025-10", "2025-11", "2025-12 (截至12月4日)"]  # January is not loaded, not 0
    solid, dotted = [tr for tr in fig.data if tr.name == "浙江" or tr.line.dash == "dot"]
    assert solid.marker.symbol[-1] == "circle-open" and list(solid.y)[-2:] == [None, 1]
    assert dotted.line.dash == "dot" and list(dotted.x) == ["2025-11", "2025-12 (截至12月4日)"]
    whole = go.Figure(build_peer_band_figure(band, data_end=dt.date(2025, 12, 31), partial_label="x", **kwargs))
    assert [tr.name for tr in whole.data][1:] == ["b", "m", "浙江"] and list(whole.data[-1].y) == [5, 6, 1]
