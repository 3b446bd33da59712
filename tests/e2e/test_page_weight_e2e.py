"""What a cold page loads: the dashboard's own plotly.js bundle (assets/vendor) and never Dash's full one, and
every trace a page draws is a type that bundle has registered; the preload hints are used, not fetched twice."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
CHART_PAGES = ("/", "/trends", "/regions", "/compare", "/data", "/scorecard")
PRELOADED = ("_dash-layout", "_dash-dependencies", "async-graph.js")  # dashboard/web/preload.py
FULL_BUNDLE = "plotly/package_data/plotly.min.js"
TRACES = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(g => (g.data || []).map(t => t.type || 'scatter'))"""
DRAWN = """() => document.querySelector('#page-root main') !== null && document.querySelector('.js-plotly-plot .main-svg') !== null
    && !document.querySelector('[data-dash-is-loading="true"]')"""


@pytest.mark.parametrize("lang", ["zh"])
def test_pages_draw_with_the_small_plotly_bundle(page_as, live_server, lang):
    page = page_as("admin")
    urls: list[str] = []
    page.on("request", lambda req: urls.append(req.url))
    drawn: dict[str, set[str]] = {}
    twice: dict[str, list[str]] = {}
    for path in CHART_PAGES:
        start = len(urls)
        page.goto(f"{live_server}{path}?lang={lang}")
        page.wait_for_function(DRAWN, polling=50)
        page.wait_for_load_state("networkidle")
        drawn[path] = set(page.evaluate(TRACES))
        loaded = [u.split("?")[0].rsplit("/", 1)[-1] for u in urls[start:]]
        twice[path] = [name for name in PRELOADED if loaded.count(name) != 1]
    registered = set(page.evaluate("() => Object.keys(window.Plotly.PlotSchema.get().traces)"))
    assert registered <= {"scatter", "bar", "heatmap", "funnel"}, registered  # the small bundle, not the full one
    assert all(drawn.values()), drawn
    missing = {path: types - registered for path, types in drawn.items() if types - registered}
    assert missing == {}, f"trace types not in assets/vendor/plotly-imd.min.js (see vendor/plotly): {missing}"
    assert twice == {path: [] for path in CHART_PAGES}, "a preload hint was not used (or not fetched)"
    assert not [u for u in urls if FULL_BUNDLE in u]
    assert any("/assets/vendor/plotly-imd.min.js" in u for u in urls)
