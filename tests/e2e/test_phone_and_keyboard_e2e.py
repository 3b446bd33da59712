"""A phone (390x844), the keyboard and a screen reader: every page fits the screen, the nav stays one row, the
first chart fits; Tab reaches the skip link, the nav and the controls with a visible focus ring; every chart
has a text alternative; axe-core finds nothing serious at the phone size either."""
from __future__ import annotations

import pytest

from tests.auth_helpers import password
from tests.e2e.test_every_page_e2e import _dash_internal, draw

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
ALL_PAGES = ("/", "/trends", "/regions", "/compare", "/scorecard", "/targets", "/notices", "/briefings", "/data",
             "/returns", "/admin", "/audit")
BUREAU_PAGES = tuple(p for p in ALL_PAGES if p not in ("/admin", "/audit"))
LAYOUT = """() => {
    const nav = document.querySelector('nav.nav').getBoundingClientRect();
    const graph = [...document.querySelectorAll('#page-root main .js-plotly-plot')].find(g => !g.closest('.kpi-card'));
    const box = graph && graph.getBoundingClientRect();
    return {scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth, height: window.innerHeight,
            navHeight: nav.height, active: document.querySelector('.nav-link.active').getBoundingClientRect().right,
            graph: box && {left: box.left, right: box.right, width: box.width, height: box.height}};
}"""


@pytest.fixture
def phone_as(browser, live_server):
    """Like page_as, on a phone-sized screen: signed in through the form, failing on any browser error."""
    opened = []

    def open_as(name: str):
        context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                                      has_touch=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.set_default_timeout(20_000)
        page.goto(live_server + "/")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", password(name))
        page.click("button[type=submit]")
        page.wait_for_url(live_server + "/")
        opened.append((context, errors))
        return page

    yield open_as
    for context, errors in opened:
        context.close()
        assert not errors, f"browser errors: {errors[:3]}"


def _phone_problems(page) -> list[str]:
    m = page.evaluate(LAYOUT)
    problems = []
    if m["scrollWidth"] > m["width"]:
        problems.append(f"page is {m['scrollWidth']} px wide on a {m['width']} px screen")
    if m["navHeight"] >= 0.25 * m["height"]:
        problems.append(f"nav is {m['navHeight']} px tall")
    if m["active"] > m["width"]:
        problems.append("the current page's nav link is scrolled out of view")
    graph = m["graph"]
    if graph is not None and (graph["left"] < 0 or graph["right"] > m["width"] or graph["height"] < 100):
        problems.append(f"first chart does not fit: {graph}")
    return problems


@pytest.mark.parametrize("user, pages", [("admin", ALL_PAGES), ("gd", BUREAU_PAGES)])
def test_every_page_fits_a_phone(phone_as, live_server, user, pages):
    page = phone_as(user)
    found = {}
    for path in pages:
        draw(page, f"{live_server}{path}?lang=zh")
        if problems := _phone_problems(page):
            found[path] = problems
    for path in ("/", "/regions"):
        draw(page, f"{live_server}{path}?lang=en")
        if problems := _phone_problems(page):
            found[f"{path}?lang=en"] = problems
    assert found == {}


def test_phone_filters_fold_away_and_charts_are_in_view(phone_as, live_server, screenshot):
    page = phone_as("admin")
    draw(page, f"{live_server}/?lang=zh")
    toggle = page.locator(".filters-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(".global-controls").is_visible()
    # Folded, the header leaves the screen to the page: the first figures start in its top quarter.
    assert page.locator("nav.nav").bounding_box()["y"] < 100
    assert page.locator(".kpi-card").first.bounding_box()["y"] < 844
    toggle.click()
    page.wait_for_function("() => document.querySelector('.filters-toggle').getAttribute('aria-expanded') === 'true'")
    assert page.locator(".global-controls").is_visible()
    toggle.click()
    page.wait_for_function("() => document.querySelector('.filters-toggle').getAttribute('aria-expanded') === 'false'")
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, "phone-overview.png", full_page=False)  # the first screen: what a phone shows on arrival
    draw(page, f"{live_server}/regions?lang=zh")
    tile_map = page.locator("#regions-map .main-svg").first.bounding_box()
    assert tile_map["width"] >= 340, tile_map  # the whole card, not a thumbnail
    assert page.locator("#regions-map .modebar-container").is_hidden()  # no toolbar over the title
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, "phone-regions.png", full_page=False)


def test_keyboard_reaches_skip_link_nav_and_controls_with_a_visible_focus(page, live_server):
    draw(page, f"{live_server}/?lang=zh")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    first = page.evaluate("() => ({cls: document.activeElement.className, text: document.activeElement.textContent})")
    assert first == {"cls": "skip-link", "text": "跳到主要内容"}
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown once focused
    reached, outlines = [], []
    for _ in range(20):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            const label = e.closest('label'); const style = getComputedStyle(e);
            return {tag: e.tagName, cls: String(e.className), text: e.textContent.trim().slice(0, 20),
                    control: label ? String(label.className) : '', outline: style.outlineStyle,
                    width: parseFloat(style.outlineWidth)}; }""")
        reached.append(info)
        outlines.append(info["outline"] != "none" and info["width"] >= 2)
    nav = [r["text"] for r in reached if "nav-link" in r["cls"]]
    assert nav[:3] == ["总览", "趋势", "地区"]
    controls = {c for r in reached for c in ("control-range", "control-dates", "control-unit", "control-category")
                if c in r["control"]}
    assert controls == {"control-range", "control-dates", "control-unit", "control-category"}, reached
    assert all(outlines), [r for r, ok in zip(reached, outlines) if not ok]
    # Enter on a focused nav link follows it.
    page.locator(".nav-link", has_text="趋势").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/trends**")
    page.wait_for_selector("#trends-graph .main-svg")


def test_the_skip_link_moves_focus_to_the_main_content(page, live_server):
    draw(page, f"{live_server}/regions?lang=en")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main-content'")


@pytest.mark.parametrize("path, lang", [("/", "zh"), ("/trends", "zh"), ("/regions", "en")])
def test_every_chart_has_a_text_alternative(page, live_server, path, lang):
    draw(page, f"{live_server}{path}?lang={lang}")
    page.wait_for_function("""() => [...document.querySelectorAll('figure.chart-figure')].every(f =>
        f.querySelector('figcaption').textContent.length > 0 && f.getAttribute('aria-label'))""")
    charts = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(g => {
        const f = g.closest('figure.chart-figure');
        return f && {label: f.getAttribute('aria-label'), caption: f.querySelector('figcaption').textContent,
                     title: f.dataset.title}; })""")
    assert charts and None not in charts
    drawn = [c for c in charts if c["label"] != c["title"]]  # rewritten from the figure, not the placeholder
    assert all(c["label"].endswith(c["caption"]) for c in charts)  # the title, then the caption
    if path != "/":  # the overview's sparklines carry their text from the start; its progress chart is updated
        assert drawn, charts
    assert any(("合计" in c["label"] or "共" in c["label"] or "highest" in c["label"]) for c in charts), charts


def test_trend_caption_follows_the_figure(page, live_server):
    draw(page, f"{live_server}/trends?lang=zh")
    page.wait_for_function("() => document.querySelector('#trends-graph-alt').textContent.includes('合计')")
    caption = page.locator("#trends-graph-alt").text_content()
    assert page.locator("#trends-graph-figure").get_attribute("aria-label").endswith(caption)
    assert caption.startswith(page.locator("#trends-graph .legendtext").first.text_content())


@pytest.mark.parametrize("path", ["/", "/regions"])
def test_no_serious_accessibility_violation_on_a_phone(phone_as, live_server, path):
    from axe_playwright_python.sync_playwright import Axe

    page = phone_as("admin")
    for lang in ("zh", "en"):
        draw(page, f"{live_server}{path}?lang={lang}")
        results = Axe().run(page)
        bad = [f"{v['id']} ({v['impact']}): {nodes}" for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")
               and (nodes := [n["html"][:80] for n in v["nodes"] if not _dash_internal(v["id"], n["html"])])]
        assert bad == [], lang
