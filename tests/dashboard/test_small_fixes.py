"""Small things a leader notices (issue 19), each checked on what is built: tile labels that fit, a colour-bar
title set horizontally, the metric picker in Chinese, the published figures in the report's words."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from metrics.api import bureaus
from dashboard.components.controls import metric_picker
from dashboard.i18n import published_figure
from figures.regions import TILE_CHARS, build_tile_map_figure, colourbar_title, tile_label


def _tiles(lang: str) -> pd.DataFrame:
    units = bureaus()
    return pd.DataFrame({"unit_code": [u.code for u in units], "short_name": [u.name(lang) for u in units],
                         "tile_row": [u.tile_row for u in units], "tile_col": [u.tile_col for u in units],
                         "colour": [float(i) for i in range(len(units))], "text": ["12"] * len(units)})


def test_every_tile_label_fits_its_tile():
    assert tile_label("Guangdong") == "Guang-<br>dong" and tile_label("Heilongjiang") == "Heilong-<br>jiang"
    assert tile_label("Inner Mongolia") == "Inner<br>Mongolia" and tile_label("Beijing") == "Beijing"
    assert tile_label("Abcdefghijklmn") == "Abcdefg-<br>hijklmn"  # not pinyin: cut in the middle
    for lang in ("en", "zh"):
        heat = go.Figure(build_tile_map_figure(_tiles(lang), colour_title="x")).data[0]
        names = [cell.split("</b>")[0].removeprefix("<b>") for row in heat.text for cell in row if cell]
        assert len(names) == len(bureaus())
        lines = [line.rstrip("-") for name in names for line in name.split("<br>")]
        assert max(map(len, lines)) <= TILE_CHARS + 1  # 8 letters ("Mongolia") at size 10 is 48 px: it fits
        assert heat.textfont.size == (10 if lang == "en" else 11)


def test_the_colour_bar_title_is_horizontal_and_wrapped():
    for title in ("每千万常住人口", "Per 10 million residents"):
        bar = go.Figure(build_tile_map_figure(_tiles("zh"), colour_title=title)).data[0].colorbar
        assert bar.title.side == "top" and bar.title.text.replace("<br>", " ").replace(" ", "") == title.replace(" ", "")
    assert colourbar_title("每千万常住人口") == "每千万常住人口"
    assert colourbar_title("Per 10 million residents") == "Per 10 million<br>residents"


def test_the_metric_picker_speaks_the_page_language():
    zh = metric_picker("metrics", ["clue_referrals"], "zh", multi=True).children[1]
    assert zh.labels["selected_count"] == "已选{num_selected}项" and zh.labels["search"] == "搜索"
    en = metric_picker("metrics", ["clue_referrals"], "en", multi=True).children[1]
    assert en.labels["selected_count"] == "{num_selected} selected"


def test_published_figures_in_the_reports_words():
    day = dt.date(2025, 11, 30)
    assert published_figure("clue_referrals", day, "zh") == "通报口径：超过4500条（截至2025年11月30日）"
    assert published_figure("clue_referral_amount", day, "zh") == "通报口径：超过210亿元（截至2025年11月30日）"
    assert published_figure("media_reports", day, "zh") == "通报口径：超过300篇（截至2025年11月30日）"
    assert published_figure("clue_referrals", day, "en") == "Published: over 4,500 (as of 30 Nov 2025)"
    assert published_figure("institution_report_amount", day, "en") == \
        "Published: over 17 billion yuan (as of 30 Nov 2025)"


def test_the_overview_compares_in_the_reports_words(request_ctx):
    from dashboard.callbacks import overview as overview_cb

    progress = go.Figure(overview_cb.update_overview(True, "")[1]).data[0]
    assert any(text.endswith("；通报口径：超过4500条（截至2025年11月30日）") for text in progress.text)
    english = go.Figure(overview_cb.update_overview(True, "?lang=en")[1]).data[0]
    assert any(text.endswith("; Published: over 4,500 (as of 30 Nov 2025)") for text in english.text)
