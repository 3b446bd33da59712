"""The one formatting layer: catalog phrases, GB/T 15835 numbers, changes as words, CLDR plurals."""
from __future__ import annotations

import pytest

from metrics.api import CATALOG

from briefing.wording import MESSAGES, changes, metric_figure, names, number

META = {m.id: {"id": m.id, "unit": m.unit, "measure_zh": m.measure_zh, "name_zh": m.name_zh} for m in CATALOG}


@pytest.mark.parametrize("metric", [m.id for m in CATALOG])
def test_chinese_phrases_are_the_catalog_name_whole_with_one_measure_word(metric):
    meta = META[metric]
    suffix = "" if meta["unit"] in ("people", "yuan") else meta["measure_zh"]
    assert MESSAGES.t(f"metric.{metric}", "zh", figure="{figure}", count=2) == meta["name_zh"] + "{figure}" + suffix


@pytest.mark.parametrize("metric, value, zh, en", [
    ("regulatory_documents", 163, "制修订制度文件超过160件", "over 160 regulatory documents issued or revised"),
    ("clue_referrals", 4563, "移送公安线索超过4500条", "over 4,500 clues referred to the police"),
    ("clue_referral_amount", 21_300_000_000, "移送线索涉案金额逾210亿元", "over 21 billion yuan involved in referred clues"),
    ("education_participants", 201_583, "教育活动覆盖人次超过20万", "over 200,000 people reached by consumer education"),
    ("major_cases", 1, "亿元以上大案1起", "1 major case (100 million yuan or more)"),
    ("media_reports", 47, "媒体报道47篇", "47 media reports"),
])
def test_official_figures(metric, value, zh, en):
    assert metric_figure(META[metric], value, "zh", official=True) == zh
    assert metric_figure(META[metric], value, "en", official=True) == en


def test_exact_figures_follow_gbt_15835_and_changes_are_words():
    assert metric_figure(META["clue_referrals"], 1428, "zh") == "移送公安线索1428条"
    assert metric_figure(META["education_participants"], 201_583, "zh") == "教育活动覆盖人次20.16万"
    assert metric_figure(META["clue_referral_amount"], 16_546_400, "zh", paired=True) == "涉案金额1654.64万元"
    assert number(201_583, "en") == "201,583"
    assert changes(1241, 1428, 1109, "count", "zh") == "环比下降13.1%、同比增长11.9%"
    assert changes(100, 100, 100, "count", "zh") == "与上季度同期持平、同比持平"
    assert changes(5, 3, 9, "count", "zh") == ""  # small bases: left out, said once in the methodology
    assert changes(1241, 1428, 1109, "count", "en") == "down 13.1% on the previous quarter, up 11.9% year on year"


def test_lists_are_cut_with_a_count():
    many = [f"u{i}" for i in range(10)]
    assert names(many, "zh") == "u0、u1、u2、u3、u4、u5、u6、u7等10个监管局"
    assert names(many, "en") == "u0, u1, u2, u3, u4, u5, u6, u7 and 2 more"
