"""Speed as a person feels it: Playwright on Debian's chromium against the production server (gunicorn, wsgi.py)
over the demo-sized store.

Per page, cold (a new browser context, empty HTTP cache, signed in) and warm (the same page loaded again):
time from navigation start to the first chart drawn (a MutationObserver sees the first graph holding a trace or
an empty state's words), to the last network response (Resource Timing), and the bytes transferred. Then control
changes (period, unit, metric, language) on the Regions page: latency from the press on the option to the last
chart redrawn, once no callback is pending; reported together and per kind.
"""
from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

from bench.demo_store import demo_store
from bench.http import ADMIN_PASSWORD, gunicorn_server
from bench.report import Figure, figure, percentile
from bench.stores import BenchStore
from wiring.settings import web_workers

CHROMIUM = os.environ.get("IMD_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]
PAGES = {"overview": "/", "trends": "/trends", "regions": "/regions", "compare": "/compare", "data": "/data"}
TARGETS = {"cold": "<= 1500", "warm": "<= 800"}
INTERACTION_TARGET = "<= 300"
INTERACTIONS = 32
SETTLE_S = 20
# Installed before any page script: the first chart drawn, the last chart mutation, callbacks in flight.
PROBE = """
window.__imd = {firstChart: null, chartAt: 0, inflight: 0, pressedAt: 0};
// A change is timed from the press on the option (the event's own time), not from when the driver began
// its actionability checks.
document.addEventListener('pointerdown', e => { window.__imd.pressedAt = e.timeStamp; }, true);
// A chart counts as drawn once it shows something: a trace, or the words an empty state puts in its place
// (dcc.Graph mounts an empty plot before its figure arrives).
const drawn = g => g.querySelector('.main-svg') && ((g.data && g.data.length) || (g.layout && g.layout.annotations && g.layout.annotations.length));
const seen = () => {
  const now = performance.now();
  if (window.__imd.firstChart === null && [...document.querySelectorAll('.js-plotly-plot')].some(drawn)) window.__imd.firstChart = now;
};
new MutationObserver(ms => {
  seen();
  for (const m of ms) {
    const t = m.target;
    // Inside a chart, or a container whose new children hold one (not <html>/<body>, whose attributes change
    // for other reasons).
    if (t.nodeType === 1 && t !== document.documentElement && t !== document.body &&
        (t.closest('.js-plotly-plot') || (m.type === 'childList' && t.querySelector('.main-svg')))) {
      window.__imd.chartAt = performance.now(); break;
    }
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
const fetch0 = window.fetch;
window.fetch = (...args) => { window.__imd.inflight++;
  return fetch0(...args).finally(() => { window.__imd.inflight--; }); };
"""
LOAD_FIGURES = """() => {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  return {chart: window.__imd.firstChart, idle: Math.max(...entries.map(e => e.responseEnd)),
          bytes: entries.reduce((s, e) => s + (e.transferSize || 0), 0)};
}"""
SETTLED = "t0 => window.__imd.chartAt > t0 && window.__imd.inflight === 0 && performance.now() - window.__imd.chartAt > 250"


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the section reports itself skipped
    PlaywrightTimeout = TimeoutError


def sign_in(browser, base: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    state = context.storage_state()
    context.close()
    return state


def load(page, url: str) -> dict:
    """Navigate, wait for the first chart, then for the callbacks to settle (no fetch for 500 ms, at most
    SETTLE_S: a page whose callbacks run longer is reported without an idle time)."""
    page.goto(url, wait_until="load")
    page.wait_for_function("() => window.__imd.firstChart !== null", timeout=60_000)
    try:
        page.wait_for_function("() => { const d = window.__imd; if (d.inflight) { d.quiet = null; return false; }"
                               " d.quiet = d.quiet || performance.now(); return performance.now() - d.quiet > 500; }",
                               timeout=SETTLE_S * 1000, polling=50)
        settled = True
    except PlaywrightTimeout:
        settled = False
    got = page.evaluate(LOAD_FIGURES)
    return {**got, "idle": got["idle"] if settled else None}


def page_figures(browser, base: str, state: dict) -> list[Figure]:
    out = []
    for name, path in PAGES.items():
        context = browser.new_context(storage_state=state, viewport={"width": 1400, "height": 1000})
        context.add_init_script(PROBE)
        page = context.new_page()
        for run in ("cold", "warm"):
            try:
                got = load(page, base + path)
            except PlaywrightTimeout as exc:  # reported as a missed target, the other pages still measured
                print(f"browser: {name} {run}: {str(exc).splitlines()[0]}", file=sys.stderr)
                got = {"chart": None, "idle": None, "bytes": 0}
            out.append(figure(f"browser.{name}.chart_ms.{run}", got["chart"], "ms", TARGETS[run],
                              note="navigation start to the first chart drawn"))
            out.append(figure(f"browser.{name}.idle_ms.{run}", got["idle"], "ms",
                              note="navigation start to the last network response"))
            out.append(figure(f"browser.{name}.bytes.{run}", int(got["bytes"]), "B", note="bytes transferred"))
            print(f"browser: {name} {run}: chart {got['chart']} ms, {int(got['bytes']):,} B", file=sys.stderr)
        context.close()
    return out


def _choose(page, key: str, value: str) -> float:
    """Pick `value` in the control `key`; the time the option was pressed."""
    page.locator(f"""[id='{{"key":"{key}","type":"view-state"}}']""").click()
    option = page.locator(f"[role=option]:has(input[value='{value}'])")
    option.wait_for()
    before = page.evaluate("window.__imd.pressedAt")
    option.click()
    pressed = page.evaluate("window.__imd.pressedAt")
    if pressed == before:
        raise RuntimeError(f"no pointerdown seen on the {key} option")
    return pressed


def _change_language(page) -> float:
    """The language link: the time of the press on it (the page is built anew in place, like any change)."""
    before = page.evaluate("window.__imd.pressedAt")
    page.locator(".lang-link").click()
    pressed = page.evaluate("window.__imd.pressedAt")
    if pressed == before:
        raise RuntimeError("no pointerdown seen on the language link")
    return pressed


def interaction_figures(browser, base: str, state: dict, n: int = INTERACTIONS) -> list[Figure]:
    context = browser.new_context(storage_state=state, viewport={"width": 1400, "height": 1000})
    context.add_init_script(PROBE)
    page = context.new_page()
    load(page, base + "/regions")
    changes = [("range", "lq"), ("unit", "440000"), ("metric", "clues_identified"), ("range", "ytd"),
               ("unit", "110000"), ("metric", "institution_reports"), ("range", "ctd"), ("unit", "000000"),
               ("metric", "clue_referrals"), ("lang", None)]
    samples = []
    for i in range(n):
        key, value = changes[i % len(changes)]
        t0 = _change_language(page) if key == "lang" else _choose(page, key, value)
        page.wait_for_function(SETTLED, arg=t0, timeout=30_000, polling=20)
        samples.append(page.evaluate("window.__imd.chartAt") - t0)
    context.close()
    print("browser: interactions (ms): " + ", ".join(f"{k}={v:.0f}" for (k, _), v in
                                                    zip(changes * n, samples)), file=sys.stderr)
    kinds = [k for k, _ in changes * n][:len(samples)]
    controls = [v for k, v in zip(kinds, samples) if k != "lang"]
    languages = [v for k, v in zip(kinds, samples) if k == "lang"]
    return [figure("browser.interaction.p50", statistics.median(samples), "ms", note=f"{len(samples)} changes"),
            figure("browser.interaction.p95", percentile(samples, 95), "ms", INTERACTION_TARGET,
                   note="control change to the chart redrawn: period, unit, metric, language on Regions"),
            figure("browser.interaction.controls.p95", percentile(controls, 95), "ms", INTERACTION_TARGET,
                   note=f"period, unit, metric: {len(controls)} changes, the page stays"),
            figure("browser.interaction.language.max", max(languages), "ms",
                   note=f"{len(languages)} language change{'' if len(languages) == 1 else 's'}: the page is built anew "
                        "in place")]


def browser_figures(workdir: Path) -> list[Figure]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return [Figure("browser", None, "", note=f"chromium not found at {CHROMIUM}")]
    data_dir = demo_store(workdir)
    store = BenchStore("sqlite", f"sqlite:///{data_dir / 'imd.sqlite'}", None, None)
    # As many workers as `serve --prod` starts on this machine: a change's three to five parallel requests then
    # do not queue behind each other.
    with gunicorn_server(store, data_dir, workers=web_workers(), log_name="gunicorn-browser") as base, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            state = sign_in(browser, base)
            return page_figures(browser, base, state) + interaction_figures(browser, base, state)
        finally:
            browser.close()
