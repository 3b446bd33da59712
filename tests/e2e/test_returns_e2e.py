"""The returns loop in a real browser: a sub-bureau fills in October's return, its bureau sends it back with a
reason, the sub-bureau corrects and re-submits, the bureau approves, HQ approves; the education figure of that
sub-bureau moves only after the last approval and the next ETL run (the admin's "Run ETL now")."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from werkzeug.serving import make_server

from dashboard import create_app
from metrics.api import MetricsStore
from etl.jobs import run_sources
from metrics.config import Settings, StoreSettings, WebSettings
from metrics.db import make_engine, upgrade
from tests.dashboard.returns_app import RETURN_USERS, password
from tests.e2e.conftest import LAUNCH_ARGS  # noqa: F401  (same browser settings)
from tests.etl.test_returns_source import events, spec
from tests.metrics.returns_fixtures import GUANGZHOU, desk
from metrics.users import add_user

pytestmark = pytest.mark.e2e
NOW = dt.datetime(2025, 11, 5, 2, 0, tzinfo=dt.timezone.utc)  # October is done, due on 10 November


@pytest.fixture(scope="module")
def returns_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("returns-e2e")
    engine = make_engine(f"sqlite:///{root / 'imd.sqlite'}")
    upgrade(engine)
    for name, (role, unit) in RETURN_USERS.items():
        add_user(engine, name, role, password(name), unit_code=unit)

    def run_etl() -> list[dict]:
        return [{"source": r.source, "status": r.status} for r in run_sources(engine, [spec()], trigger="manual")]

    settings = Settings(data_dir=root, store=StoreSettings(url=str(engine.url)), sources_path=root / "none.yaml",
                        web=WebSettings(secret_key="a-returns-e2e-secret-key"))
    app = create_app(settings, MetricsStore(engine), clock=lambda: NOW, returns=desk(engine, now=NOW), run_etl=run_etl)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", engine
    server.shutdown()
    thread.join(timeout=5)
    engine.dispose()


@pytest.fixture
def open_as(browser, returns_server):
    base, _ = returns_server
    opened = []

    def open_page(name: str):
        context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="zh-CN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_default_timeout(15_000)
        page.goto(base + "/login")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", password(name))
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
        page.goto(base + "/returns?lang=en")
        page.wait_for_selector("#returns-due")
        opened.append((context, errors))
        return page

    yield open_page
    for context, errors in opened:
        context.close()
        assert not errors, f"browser errors: {errors[:3]}"


def cell(page, row: int, field: int):
    return page.locator("#returns-grid tbody tr").nth(row).locator("input").nth(field)


def fill_all(page, first_events: str) -> None:
    for row in range(5):
        for field in range(3):
            cell(page, row, field).fill("0")
    cell(page, 0, 0).fill(first_events)
    cell(page, 0, 1).fill("1,200")


def review(page, action: str, reason: str = "") -> None:
    page.wait_for_selector("#returns-review-table")
    if reason:
        page.locator("#returns-review-table input").first.fill(reason)
    page.locator("#returns-review-table button", has_text=action).first.click()
    page.wait_for_selector("#returns-review-result:not(:empty)")


def run_etl_as_admin(open_as) -> None:
    admin = open_as("admin")
    admin.goto(admin.url.split("/returns")[0] + "/admin")
    admin.locator("#admin-etl-form button").click()
    # The form posts, the run finishes, then the server redirects here: "networkidle" alone can be reached
    # before the post has even started on a busy machine.
    admin.wait_for_url("**/admin?etl=*", timeout=60_000)


def test_fill_send_back_correct_approve_twice_then_the_etl_moves_the_figure(open_as, returns_server, browser):
    _, engine = returns_server
    clerk = open_as("gz_clerk")
    clerk.wait_for_selector("#returns-grid")
    fill_all(clerk, "3")
    cell(clerk, 1, 1).fill("若干")  # checked as typed: the row says why, the total ignores it
    clerk.wait_for_function("() => document.querySelector('#returns-grid tbody tr:nth-child(2) .row-message')"
                            ".innerText.includes('is not a number')")  # a function: a bare string needs eval (CSP)
    cell(clerk, 1, 1).fill("1.2万")
    clerk.wait_for_function("() => document.querySelectorAll('#returns-grid .return-total')[1].innerText === '13,200'")
    assert clerk.locator("#returns-grid tbody tr:nth-child(2) .row-message").inner_text() == ""
    clerk.click("#returns-submit")
    clerk.wait_for_selector("#returns-result:has-text('submitted')")

    reviewer = open_as("gd_reviewer")
    review(reviewer, "Send back", "活动场次与台账不符")
    clerk.reload()
    clerk.wait_for_selector("#returns-status:has-text('活动场次与台账不符')")
    clerk.wait_for_function("() => document.querySelector('#returns-grid input').value === '3'")
    cell(clerk, 0, 0).fill("4")
    clerk.click("#returns-submit")
    clerk.wait_for_selector("#returns-result:has-text('submitted')")

    reviewer.reload()
    review(reviewer, "Approve")
    assert "approved at bureau" in reviewer.locator("#returns-review-result").inner_text()
    run_etl_as_admin(open_as)
    assert events(engine, GUANGZHOU) == 0  # approved at the bureau only: no dashboard number moves

    hq = open_as("hq_lead")
    review(hq, "Approve")
    assert events(engine, GUANGZHOU) == 0  # approved, not loaded yet
    run_etl_as_admin(open_as)
    assert events(engine, GUANGZHOU) == 4
    summary = hq.request.get(hq.url.split("/returns")[0] + "/api/v1/summary?from=2025-10-01&to=2025-10-31"
                             f"&unit={GUANGZHOU}&metrics=education_events").json()
    assert summary[0]["value"] == 4  # what the dashboard's figure reads
