"""The language link works in place: one request builds the page anew in the other language, with its figures
in it (callbacks/shell.py: show_page, callbacks/prefill.py), and the page's views do not redraw it after."""
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
