"""The felt-speed section of the bench (bench/browser.py) against the test server: its probe must see each kind
of change and each page's first chart, or `make bench` reports nothing worth reading."""
from __future__ import annotations

from bench import browser as felt
from tests.e2e.conftest import sign_in


def _signed_in_state(browser, base: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, base, "lead")
    state = context.storage_state()
    context.close()
    return state


def test_every_kind_of_change_is_timed_from_the_press_to_the_last_chart(browser, live_server):
    state = _signed_in_state(browser, live_server)
    got = {f.name: f for f in felt.interaction_figures(browser, live_server, state, n=11)}
    overall, controls = got["browser.interaction.p95"], got["browser.interaction.controls.p95"]
    assert overall.target == controls.target == "<= 300" and isinstance(overall.ok, bool)
    assert "10 changes" in controls.note and "1 language change:" in got["browser.interaction.language.max"].note
    # Each sample ends at a chart redrawn after the press (the probe waits at most 30 s per change).
    assert 0 < got["browser.interaction.p50"].value <= overall.value < 30_000
    assert 0 < controls.value < 30_000 and 0 < got["browser.interaction.language.max"].value < 30_000


def test_a_page_reports_its_first_chart_and_reloads_from_the_cache(browser, live_server, monkeypatch):
    monkeypatch.setattr(felt, "PAGES", {"regions": "/regions"})
    got = {f.name: f for f in felt.page_figures(browser, live_server, _signed_in_state(browser, live_server))}
    cold, warm = got["browser.regions.chart_ms.cold"], got["browser.regions.chart_ms.warm"]
    assert cold.value > 0 and warm.value > 0 and cold.target == "<= 1500" and warm.target == "<= 800"
    # The second load takes the scripts from the browser's cache: a small share of the first load's bytes.
    assert got["browser.regions.bytes.warm"].value < 0.2 * got["browser.regions.bytes.cold"].value
