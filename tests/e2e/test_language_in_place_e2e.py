"""The language link works in place: one request builds the page in the other language, with its figures in it
(callbacks/shell.py: show_page, callbacks/prefill.py); the page shown takes its differences by id, its charts stay
mounted (assets/relabel.js), and the page's views do not redraw it after."""
from __future__ import annotations

import json
import re

from tests.e2e.test_dashboard_e2e import choose


def _outputs(requests) -> list[str]:
    return [json.loads(r.post_data or "{}").get("output", "") for r in requests if "_dash-update-component" in r.url]


def test_switching_language_rebuilds_the_page_once_without_a_reload(page, live_server):
    page.goto(live_server + "/regions?unit=440000")
    page.wait_for_function("() => { const g = document.querySelector('#regions-ranking .js-plotly-plot');"
                           " return g && g.data && g.data.length; }")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__sameDocument = true")  # gone if the browser loads a new document
    page.evaluate("document.querySelectorAll('.js-plotly-plot').forEach(g => { g.__before = true; })")
    sent = []
    page.on("request", lambda request: sent.append(request))

    page.locator(".lang-link").click()
    page.wait_for_url(re.compile(r"lang=en"))
    page.wait_for_function("() => document.querySelector('.app-title').innerText.startsWith('Joint crackdown')")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("window.__sameDocument") is True
    assert page.evaluate("document.documentElement.lang") == "en"
    outputs = _outputs(sent)
    assert sum("page-root.children" in o for o in outputs) == 1, outputs
    assert not [o for o in outputs if "regions-map.figure" in o or "regions-sub-bureaus.figure" in o], outputs
    # The figures came with the page, in English.
    ranking = page.evaluate("document.querySelector('#regions-ranking .js-plotly-plot').layout.title.text")
    assert ranking.startswith("Clues referred to police")
    trend = page.evaluate("document.querySelector('#regions-unit-trend .js-plotly-plot').layout.annotations"
                          ".map(a => a.text).join(' ')")
    assert "Guangdong" in trend
    assert page.locator(".lang-link").inner_text() == "中文"
    # The charts were redrawn where they stood, not mounted anew.
    assert page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].map(g => g.__before === true)") == [True] * 4

    # A control after the switch redraws the page's views, in the new language.
    sent.clear()
    choose(page, "unit", "110000")
    page.wait_for_function("() => [...document.querySelector('#regions-unit-trend .js-plotly-plot').layout"
                           ".annotations].some(a => a.text.includes('Beijing'))")
    assert any("regions-map.figure" in o for o in _outputs(sent))

    # Back twice: the unit, then the language, which goes back to Chinese in place.
    page.go_back()
    page.wait_for_url(re.compile(r"unit=440000"))
    sent.clear()
    page.go_back()
    page.wait_for_function("() => !document.querySelector('.app-title').innerText.startsWith('Joint crackdown')")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__sameDocument") is True and page.evaluate("document.documentElement.lang") == "zh-CN"
    assert sum("page-root.children" in o for o in _outputs(sent)) == 1


def _settled_text(page) -> str:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    return page.inner_text("#page-root")


def test_a_page_switched_in_place_reads_exactly_as_the_same_page_loaded_fresh(page, live_server):
    english = "() => (document.querySelector('.app-title') || {innerText: ''}).innerText.startsWith('Joint crackdown')"
    for path in ("/", "/trends", "/regions", "/compare", "/scorecard", "/briefings", "/targets"):
        page.goto(f"{live_server}{path}?unit=440000")
        page.wait_for_function("() => document.querySelector('main.page')")
        _settled_text(page)
        page.locator(".lang-link").click()
        page.wait_for_url(re.compile(r"lang=en"))
        page.wait_for_function(english)
        swapped = _settled_text(page)
        assert not re.findall(r"[\u4e00-\u9fff]+", swapped.replace("中文", "")), (path, swapped[:400])
        page.goto(page.url)  # the same URL, built from scratch
        page.wait_for_function(english)
        assert _settled_text(page) == swapped, path


def test_the_swap_writes_each_difference_into_the_nearest_component_with_an_id(page, live_server):
    page.goto(live_server + "/regions")
    page.wait_for_function("() => window.dash_clientside && window.dash_clientside.imd.reconcile")

    def reconcile(shown, next_):
        return page.evaluate("([a, b]) => window.dash_clientside.imd.reconcile(a, b)", [shown, next_])

    def div(children=None, **props):
        return {"type": "Div", "namespace": "dash_html_components", "props": {"children": children, **props}}

    slot = {"type": "slot", "path": "r.0"}
    # Words in a component with an id: that component's prop, nothing else.
    assert reconcile(div([div("总览", id=slot), div("x")], id="root"),
                     div([div("Overview", id=slot), div("x")], id="root")) == [[slot, {"children": "Overview"}]]
    # Words in a component without one: the nearest ancestor with an id takes the whole prop.
    assert reconcile(div([div(div("总览"))], id="root"),
                     div([div(div("Overview"))], id="root")) == [["root", {"children": [div(div("Overview"))]}]]
    # Pages of another shape: the same, and with no id above, nothing can take it.
    assert reconcile(div([div("a")], id="root"), div([div("a"), div("b")], id="root")) == [
        ["root", {"children": [div("a"), div("b")]}]]
    assert reconcile(div([div("a")]), div([div("b")])) is None
    # A component of another type or id under the same place is not the same component.
    assert reconcile(div([div("a", id="x")], id="root"), div([div("a", id="y")], id="root"))[0][0] == "root"
    # What the shown component holds that the new page does not name (a chart's hover, a click) stays.
    graph = {"type": "Graph", "namespace": "dash_core_components", "props": {"id": "g", "figure": {"data": [1]}}}
    clicked = {**graph, "props": {**graph["props"], "clickData": {"points": [1]}}}
    assert reconcile(div([clicked], id="root"), div([graph], id="root")) == []
    redrawn = {**graph, "props": {**graph["props"], "figure": {"data": [2]}}}
    assert reconcile(div([clicked], id="root"), div([redrawn], id="root")) == [["g", {"figure": {"data": [2]}}]]
