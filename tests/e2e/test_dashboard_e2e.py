"""Every page in a real browser: presets, unit, language, drill-down, shared links and Back, with the numbers
on screen checked against the query API."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from figures.formatting import format_amount
from metrics.api import SYSTEM, CompareRequest, MetricsQuery, TotalsRequest, Window

from tests.e2e.grid_helpers import grid_cells, wait_for_rows

pytestmark = pytest.mark.e2e
D = dt.date
CTD = Window(D(2023, 6, 1), D(2025, 11, 30))
Q3 = Window(D(2025, 7, 1), D(2025, 9, 30))


def sid(kind: str, key: str) -> str:
    """CSS selector of a pattern-matching id as Dash writes it into the DOM."""
    return f"""[id='{{"key":"{key}","type":"{kind}"}}']"""


def total(engine, metric: str, window: Window, unit: str | None = None) -> int:
    frame = MetricsQuery(engine, SYSTEM).totals(TotalsRequest(window, (metric,), unit=unit)).frame
    return int(frame["value"].iloc[0])


def kpi_value(page, metric: str) -> int:
    return int(page.locator(f"#kpi-{metric} .kpi-value").get_attribute("data-value"))


def wait_kpi(page, metric: str, expected: int) -> None:
    page.wait_for_function(
        "([m, v]) => { const e = document.querySelector(`#kpi-${m} .kpi-value`);"
        " return e && e.dataset.value === String(v); }", arg=[metric, expected])


def choose(page, key: str, value: str) -> None:
    page.locator(sid("view-state", key)).click()
    page.locator(f"[role=option]:has(input[value='{value}'])").click()


def test_overview_presets_unit_back_and_language(page, live_server, e2e_store, screenshot):
    page.goto(live_server + "/")
    wait_kpi(page, "clue_referrals", total(e2e_store, "clue_referrals", CTD))
    shown = page.locator("#kpi-clue_referral_amount .kpi-value").inner_text()
    assert shown == format_amount(total(e2e_store, "clue_referral_amount", CTD), "zh", "yuan")
    assert page.locator(".fresh-item.stale").count() == 1
    screenshot(page, "overview.png")

    choose(page, "range", "lq")
    page.wait_for_url(re.compile(r"range=lq"))
    wait_kpi(page, "clue_referrals", total(e2e_store, "clue_referrals", Q3))
    page.wait_for_function("() => document.getElementById('overview-period-label').innerText"
                           " === '2025-07-01 至 2025-09-30'")
    dates = page.evaluate("() => Array.from(document.querySelectorAll('.control-dates input')).map(i => i.value)")
    assert dates == ["2025-07-01", "2025-09-30"]

    choose(page, "unit", "440000")
    page.wait_for_url(re.compile(r"range=lq&unit=440000"))
    wait_kpi(page, "clue_referrals", total(e2e_store, "clue_referrals", Q3, "440000"))

    page.go_back()  # Back restores the previous view from the URL
    page.wait_for_url(re.compile(r"\?range=lq$"))
    wait_kpi(page, "clue_referrals", total(e2e_store, "clue_referrals", Q3))

    page.locator(".lang-link").click()  # in place: the router builds the page anew in English
    page.wait_for_url(re.compile(r"lang=en"))
    page.wait_for_function("() => document.querySelector('.app-title').innerText.startsWith('Joint crackdown')")
    assert page.evaluate("document.documentElement.lang") == "en"
    wait_kpi(page, "clue_referrals", total(e2e_store, "clue_referrals", Q3))
    amount = page.locator("#kpi-clue_referral_amount .kpi-value").inner_text()
    assert amount == format_amount(total(e2e_store, "clue_referral_amount", Q3), "en", "yuan")
    assert "billion" in amount or "million" in amount


def test_trends_keeps_global_state_across_pages(page, live_server, e2e_store, screenshot):
    page.goto(live_server + "/?range=ytd&lang=en")
    page.wait_for_selector("#kpi-clue_referrals")
    page.locator(".nav-link", has_text="Trends").click()
    page.wait_for_url(re.compile(r"/trends\?range=ytd&lang=en|/trends\?lang=en&range=ytd"))
    page.wait_for_selector("#trends-graph .main-svg")
    page.locator(sid("view-state", "mode")).get_by_text("Cumulative").click()
    page.wait_for_url(re.compile(r"mode=cumulative"))
    expected = total(e2e_store, "clue_referrals", Window(D(2025, 1, 1), D(2025, 11, 30)))
    # The cumulative line of clue referrals ends at the year-to-date total from the query API.
    page.wait_for_function("v => { const p = document.querySelector('#trends-graph .js-plotly-plot');"
                           " const t = p && p.data && p.data.find(t => t.name === 'Clues referred to police');"
                           " return t && t.y[t.y.length - 1] === v && p.data.filter(t => t.showlegend !== false).length === 4; }", arg=expected)
    screenshot(page, "trends.png")


def test_regions_click_a_tile_to_drill_in(page, live_server, e2e_store, screenshot):
    page.goto(live_server + "/regions?measure=per_capita")
    page.wait_for_selector("#regions-map .main-svg")
    page.wait_for_function("() => { const p = document.querySelector('#regions-map .js-plotly-plot');"
                           " return p && p.data && p.data[0] && p.data[0].z[6][3] !== null; }")
    # Click Guangdong's tile (row 6, col 3) through Plotly's own event, as a mouse click would.
    page.evaluate("""() => { const gd = document.querySelector('#regions-map .js-plotly-plot');
        gd.emit('plotly_click', {points: [{customdata: '440000', x: 3, y: 6}]}); }""")
    page.wait_for_url(re.compile(r"unit=440000"))
    page.wait_for_selector("#regions-sub-bureaus .main-svg")
    assert "广东" in page.locator(sid("view-state", "unit")).inner_text()
    assert "Statistical Yearbook" in page.locator("#regions-denominator").inner_text()
    screenshot(page, "regions.png")


def test_a_shared_compare_link_reproduces_the_view(page, live_server, e2e_store, screenshot):
    page.goto(live_server + "/compare?range=lq&unit=330000&lang=en&rate=per_gdp")
    wait_for_rows(page, "compare-grid")
    assert page.locator(sid("view-state", "rate") + " input[value='per_gdp']").is_checked()
    frame = MetricsQuery(e2e_store, SYSTEM).compare(CompareRequest("330000", Q3)).frame
    rank = frame[(frame["metric"] == "clue_referrals") & (frame["rate"] == "total")].iloc[0]
    index = [r["metric"] for r in grid_cells(page, "compare-grid")].index("Clues referred to police")
    cell = page.locator(f"#compare-grid .ag-center-cols-container .ag-row[row-index='{index}'] [col-id='rank_total']")
    assert cell.inner_text() == f"{int(rank['rank'])}/{int(rank['of'])}"  # the text, sorted by the number behind it
    page.wait_for_selector("#compare-band .main-svg")
    screenshot(page, "compare.png")


def test_csv_download(page, live_server):
    page.goto(live_server + "/trends?metrics=clue_referrals&grain=year")
    page.wait_for_selector("#trends-graph .main-svg")
    with page.expect_download() as info:
        page.locator(".csv-button").first.click()
    assert info.value.suggested_filename.startswith("trends-series")
