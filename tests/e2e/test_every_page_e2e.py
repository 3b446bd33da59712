"""Every page as an administrator, a leader and a bureau user, in both languages: drawn within 2 s, no console
error (the page_as fixture fails on any), and no serious or critical axe-core accessibility violation."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
PAGES = ("/", "/trends", "/regions", "/compare", "/briefings", "/data", "/admin", "/audit")
DRAW_SECONDS = 2.0
DRAWN = """() => document.querySelector('#page-root main') !== null
    && !document.querySelector('[data-dash-is-loading="true"]')"""


def draw(page, url: str) -> float:
    """Seconds from navigation to the last response the page needed, once the page is drawn and the network
    has been quiet (Playwright's networkidle waits 500 ms of quiet, which is not part of the drawing)."""
    page.goto(url)
    page.wait_for_function(DRAWN, polling=50)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(DRAWN, polling=50)
    return page.evaluate("""() => Math.max(performance.timing.domContentLoadedEventEnd - performance.timing.navigationStart,
        ...performance.getEntriesByType('resource').map(e => e.responseEnd)) / 1000""")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("user", ["admin", "lead", "gd"])
def test_every_page_draws_in_time_without_errors(page_as, live_server, user, lang):
    page = page_as(user)
    draw(page, f"{live_server}/?lang={lang}")  # first visit warms the browser's script cache
    slow = {path: round(seconds, 2) for path in PAGES
            if (seconds := draw(page, f"{live_server}{path}?lang={lang}")) > DRAW_SECONDS}
    assert slow == {}, f"pages over {DRAW_SECONDS} s for {user}/{lang}: {slow}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_serious_accessibility_violation(page_as, live_server, lang):
    from axe_playwright_python.sync_playwright import Axe

    axe, page, found = Axe(), page_as("admin"), {}
    for path in PAGES:
        draw(page, f"{live_server}{path}?lang={lang}")
        results = axe.run(page)
        bad = [f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes" for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
        if bad:
            found[path] = bad
    assert found == {}
