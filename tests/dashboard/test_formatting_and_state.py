"""Number formatting per language, URL state round trips and date presets."""
from __future__ import annotations

import datetime as dt

import pytest

from figures.formatting import format_amount, format_pct, format_rate
from dashboard.i18n import MESSAGES, t
from dashboard.state import (DEFAULTS, build_search, fit_grain, from_control, parse_search, preset_window,
                             to_control)
from metrics.api import Window

D = dt.date


@pytest.mark.parametrize("value, unit, lang, expected", [
    (21_000_000_000, "yuan", "zh", "210亿元"),
    (21_345_000_000, "yuan", "zh", "213.45亿元"),
    (21_345_000_000, "yuan", "en", "21.34 billion yuan"),
    (4_512, "count", "zh", "4,512"),
    (4_512, "count", "en", "4,512"),
    (6_080_000, "people", "zh", "608万人次"),
    (6_080_000, "people", "en", "6.08 million people"),
    (250_000, "count", "zh", "25万"),
    (45_000, "yuan", "zh", "4.5万元"),
    (None, "count", "en", "—"),
])
def test_amounts_use_wan_yi_in_chinese_and_million_billion_in_english(value, unit, lang, expected):
    assert format_amount(value, lang, unit) == expected


def test_percentages_and_rates():
    assert format_pct(None, "zh") == "—"  # a tiny base never shows as 0%
    assert format_pct(12.345, "en") == "+12.3%"
    assert format_pct(-5, "zh") == "−5%"
    assert format_rate(38.6612, "en") == "38.7"
    assert format_rate(0.4567, "zh") == "0.46"


def test_every_string_has_both_languages():
    for key in MESSAGES.keys():
        assert MESSAGES.raw(key, "zh") and MESSAGES.raw(key, "en"), key
    assert t("as_of", "en", day="2025-11-30") == "Data as of 2025-11-30"


def test_url_state_round_trips_and_drops_defaults():
    state = parse_search("?lang=en&unit=440000&metrics=clue_referrals%2Crisk_warnings&bogus=1&grain=week")
    assert state["lang"] == "en" and state["unit"] == "440000" and state["grain"] == "week"
    assert set(state) == set(DEFAULTS)
    assert to_control("metrics", state["metrics"]) == ["clue_referrals", "risk_warnings"]
    assert from_control("metrics", ["a", "b"]) == "a,b"
    search = build_search(state)
    assert search == "?lang=en&unit=440000&metrics=clue_referrals%2Crisk_warnings&grain=week"
    assert parse_search(search) == state
    assert build_search(parse_search("")) == ""
    assert parse_search("?lang=fr&range=forever")["lang"] == "zh"


@pytest.mark.parametrize("preset, custom, expected", [
    ("ctd", ("", ""), Window(D(2023, 6, 1), D(2025, 11, 20))),
    ("tq", ("", ""), Window(D(2025, 10, 1), D(2025, 11, 20))),
    ("lq", ("", ""), Window(D(2025, 7, 1), D(2025, 9, 30))),
    ("ytd", ("", ""), Window(D(2025, 1, 1), D(2025, 11, 20))),
    ("custom", ("2024-02-03", "2024-05-06"), Window(D(2024, 2, 3), D(2024, 5, 6))),
    ("custom", ("2024-02-30", "2024-05-06"), Window(D(2023, 6, 1), D(2025, 11, 20))),  # bad date: fall back
    ("custom", ("2020-01-01", "2023-07-01"), Window(D(2023, 6, 1), D(2023, 7, 1))),  # clipped to the campaign
])
def test_presets_resolve_against_the_injected_today(preset, custom, expected):
    assert preset_window(preset, D(2025, 11, 20), custom) == expected


def test_last_quarter_in_january_is_the_previous_year():
    assert preset_window("lq", D(2025, 1, 10)) == Window(D(2024, 10, 1), D(2024, 12, 31))


def test_grain_is_coarsened_to_stay_under_the_point_budget():
    window = Window(D(2023, 6, 1), D(2025, 11, 30))
    assert fit_grain(window, "day", 15) == "day"  # 914 days x 15 lines < 50k
    assert fit_grain(window, "day", 135) == "week"
    assert fit_grain(window, "month", 1) == "month"
    assert fit_grain(window, "day", 4_000) == "quarter"
    assert fit_grain(window, "day", 6_000) == "year"
