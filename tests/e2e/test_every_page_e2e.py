"""Every page as an administrator, a leader and a bureau user, in both languages: drawn within 2 s, no console
error (the page_as fixture fails on any), and no serious or critical axe-core accessibility violation."""
from __future__ import annotations

import pytest

from dashboard.page_access import PAGES_BY_ROLE

ROLES = {"admin": "admin", "lead": "leadership", "gd": "bureau"}
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
    mine = [path for path in PAGES if path in PAGES_BY_ROLE[ROLES[user]]]  # the others are refused (403)
    slow = {path: round(seconds, 2) for path in mine
            if (seconds := draw(page, f"{live_server}{path}?lang={lang}")) > DRAW_SECONDS}
    assert slow == {}, f"pages over {DRAW_SECONDS} s for {user}/{lang}: {slow}"


# Dash 4's own dropdown, radio and date-picker markup (a hidden focus target, aria-expanded on a div, a
# focusable input inside role=option): not in this
# project's code; reported upstream-worthy, excluded by rule AND element so nothing else can hide behind them.
DASH_INTERNAL = {"aria-hidden-focus": "dash-dropdown-focus-target", "aria-allowed-attr": "dash-datepicker-inpu",
                 "nested-interactive": "dash-options-list-option",
                 # RadioItems' list takes no aria props; ours sit inside a <label> naming them (seen on /briefings)
                 "aria-input-field-name": "dash-radioitems"}


def _dash_internal(rule: str, html: str) -> bool:
    return rule in DASH_INTERNAL and DASH_INTERNAL[rule] in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_serious_accessibility_violation(page_as, live_server, lang):
    from axe_playwright_python.sync_playwright import Axe

    axe, page, found = Axe(), page_as("admin"), {}
    for path in PAGES:
        draw(page, f"{live_server}{path}?lang={lang}")
        results = axe.run(page)
        bad = [f"{v['id']} ({v['impact']}): {nodes}" for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")
               and (nodes := [n["html"][:80] for n in v["nodes"] if not _dash_internal(v["id"], n["html"])])]
        if bad:
            found[path] = bad
    assert found == {}
