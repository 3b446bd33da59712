"""Chart text alternatives are read from the figure the builders make: series, bars, tile map, empty."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.chart_text import summarise_figure
from figures.base import empty_figure
from figures.overview import build_progress_figure
from figures.regions import build_ranking_figure, build_tile_map_figure
from figures.trends import build_trend_figure


def _trend(values: list[int], metrics=("clue_referrals",)) -> dict:
    rows = [{"metric": m, "period": pd.Timestamp(2025, month, 1), "label": f"2025-{month:02d}", "value": v,
             "direction": 1, "measure": "count"}
            for m in metrics for month, v in zip(range(1, len(values) + 1), values)]
    return build_trend_figure(pd.DataFrame(rows), names={"clue_referrals": "移送公安线索", "cases_filed": "立案"},
                              facet_titles={})


def test_a_monthly_series_gives_its_months_total_peak_and_latest():
    text = summarise_figure(_trend([300, 512, 420]), "zh")
    assert text == "移送公安线索，2025-01至2025-03：合计1,232，最高为2025-02（512），最近为420"


def test_the_english_wording_and_the_other_series_are_counted():
    text = summarise_figure(_trend([3, 5], metrics=("clue_referrals", "cases_filed")), "en")
    assert text == "移送公安线索, 2025-01 to 2025-02: total 8, highest in 2025-02 (5), latest 5; and 1 more series"


def test_days_that_are_not_month_starts_keep_the_day():
    fig = {"data": [{"type": "scatter", "name": "x", "x": ["2025-03-03T00:00:00", dt.date(2025, 3, 10)],
                     "y": [1, 2.5]}], "layout": {}}
    assert summarise_figure(fig, "en") == "x, 2025-03-03 to 2025-03-10: total 3.5, highest in 2025-03-10 (2.5), latest 2.5"


def test_horizontal_bars_name_the_highest_and_lowest_with_the_axis_suffix():
    df = pd.DataFrame({"name": ["线索", "报案"], "unit": ["count", "count"], "value": [4832, 900],
                       "published_over": [4500, 1700]})
    text = summarise_figure(build_progress_figure(df, lang="zh", title=None), "zh", title="与公开数据对照")
    assert text == "与公开数据对照：共2项，最高为线索（107.4%），最低为报案（52.9%）"


def test_a_ranking_of_one_bureau_is_singular_in_english():
    df = pd.DataFrame({"unit_code": ["440000"], "name": ["Guangdong"], "colour": [423.0], "text": ["423"]})
    text = summarise_figure(build_ranking_figure(df, value_title="Clues"), "en")
    assert text == "Clues: 1 item, highest Guangdong (423), lowest Guangdong (423)"


def test_the_tile_map_names_its_highest_and_lowest_tile_and_skips_empty_ones():
    df = pd.DataFrame({"unit_code": ["440000", "110000", "650000"], "short_name": ["广东", "北京", "新疆"],
                       "tile_row": [2, 0, 1], "tile_col": [1, 1, 0], "colour": [423.0, 79.0, float("nan")],
                       "text": ["423", "79", "—"]})
    text = summarise_figure(build_tile_map_figure(df, colour_title="总量"), "zh", title="各监管局分布")
    assert text == "各监管局分布：共2格有数值，最高为广东 423，最低为北京 79"


def test_an_empty_chart_says_what_its_message_says():
    assert summarise_figure(empty_figure("所选范围内无数据"), "zh", title="趋势") == "趋势：所选范围内无数据"
    assert summarise_figure(None, "en", title="Trend") == "Trend: No data in this range"
    no_values = {"data": [{"type": "bar", "x": ["a"], "y": [None], "name": "n"}], "layout": {}}
    assert summarise_figure(no_values, "en") == "n: No data in this range"
