"""In the browser: Trends draws the partial last month as partial (dotted, hollow, labelled), its event labels
do not overlap, the metric picker speaks Chinese, and the Regions tiles and colour bar read as they should."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

PLOT = "document.querySelector('{graph} .js-plotly-plot')"


def _boxes(page, graph: str, which: str) -> list[dict]:
    """Screen boxes of the graph's annotations that `which` (a JS predicate on the layout annotation) picks."""
    return page.evaluate(f"""() => {{ const p = {PLOT.format(graph=graph)};
        return p.layout.annotations.map((a, i) => [a, i]).filter(([a]) => {which}).map(([a, i]) => {{
            const r = p.querySelector(`g.annotation[data-index="${{i}}"] rect.bg`).getBoundingClientRect();
            return {{text: a.text, l: r.left, r: r.right, t: r.top, b: r.bottom}}; }}); }}""")


def _overlap(a: dict, b: dict) -> bool:
    return a["l"] < b["r"] - 1 and b["l"] < a["r"] - 1 and a["t"] < b["b"] - 1 and b["t"] < a["b"] - 1


def test_trends_partial_month_event_labels_and_picker(page, live_server, screenshot):
    page.goto(live_server + "/trends")
    page.wait_for_function(f"() => {{ const p = {PLOT.format(graph='#trends-graph')};"
                           " return p && p.data && p.data.some(t => t.line && t.line.dash === 'dot'); }")
    assert "已选4项" in page.locator("#trends-graph").evaluate(
        "() => document.querySelector('.page-controls').innerText")
    partial = _boxes(page, "#trends-graph", "a.text && a.text.startsWith('截至11月')")
    assert partial, "the partial month carries its label"
    events = _boxes(page, "#trends-graph", "a.hovertext && a.text !== '●'")
    assert len(events) >= 2
    screenshot(page, "trends-partial.png")
    assert not [(a["text"], b["text"]) for i, a in enumerate(events) for b in events[i + 1:] if _overlap(a, b)]
    screenshot(page, "trends-partial.png")


def test_regions_tiles_fit_and_the_colour_bar_title_is_horizontal(page, live_server):
    page.goto(live_server + "/regions?measure=per_capita&lang=en")
    page.wait_for_selector("#regions-map .main-svg")
    page.wait_for_function(f"() => {{ const p = {PLOT.format(graph='#regions-map')};"
                           " return p && p.data && p.data[0] && p.data[0].z[6][3] !== null; }")
    fits = page.evaluate("""() => {
        const p = document.querySelector('#regions-map .js-plotly-plot');
        const xa = p._fullLayout.xaxis;  // one tile is one unit of x
        const tile = Math.abs(xa.l2p(1) - xa.l2p(0));
        return Array.from(p.querySelectorAll('g.textpoint text, .hm text, text.textpoint')).map(t => {
            const w = t.getBBox().width; return [t.textContent, w, tile]; }); }""")
    assert fits and all(w <= tile for _text, w, tile in fits), [f for f in fits if f[1] > f[2]]
    title = page.locator("#regions-map .cbtitle text").first
    transform = title.get_attribute("transform") or ""
    assert "rotate" not in transform, transform


@pytest.mark.parametrize("path, notice, unit_text", [
    ("/?unit=江苏", "", "江苏"),
    ("/?unit=Atlantis&lang=en", "Unknown unit 'Atlantis': showing the nation", "Nation"),
    ("/trends?range=custom&from=2025-02-30&to=2025-03-31", "无效日期 2025-02-30，显示开展以来的数据", "全国"),
    ("/regions?range=custom&from=2025-05-01&to=2025-03-01&lang=en",
     "The period starts (2025-05-01) after it ends (2025-03-01): showing the campaign to date", "Nation"),
])
def test_the_url_states_say_what_they_show(page, live_server, path, notice, unit_text):
    page.goto(live_server + path)
    page.wait_for_selector(".main-svg")
    unit_box = page.locator("""[id='{"key":"unit","type":"view-state"}']""")
    page.wait_for_function("t => document.querySelector(`[id='{\"key\":\"unit\",\"type\":\"view-state\"}']`)"
                           ".innerText.includes(t)", arg=unit_text)
    assert unit_text in unit_box.inner_text()
    if notice:
        page.wait_for_function("t => document.getElementById('view-notice').innerText === t", arg=notice)
    else:
        page.wait_for_timeout(300)
        assert page.locator("#view-notice").inner_text() == ""


def test_another_bureaus_tile_says_so_and_shows_its_trend(page_as, live_server):
    page = page_as("gd")
    page.goto(live_server + "/regions?unit=510000&lang=en")
    # Said in words where the sub-bureau ranking would be (the chart's caption repeats it).
    page.get_by_text("Its sub-bureaus are not yours to see: showing Sichuan at bureau level", exact=True).wait_for()
    page.wait_for_selector("#regions-unit-trend .main-svg")
    title = page.locator("#regions-unit-trend .annotation-text").first.text_content()
    assert title.startswith("Sichuan")
