"""Browser tests: the dashboard served from a background thread over a seeded SQLite store, driven by
Debian's chromium through Playwright. IMD_REQUIRE_E2E=1 turns a missing browser into a failure."""
from __future__ import annotations

import io
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard import create_app
from metrics.api import MetricsStore
from metrics.config import Settings, StoreSettings, WebSettings
from metrics.db import make_engine, upgrade
from tests.auth_helpers import add_test_users, password
from tests.dashboard import seed_data

CHROMIUM = os.environ.get("IMD_CHROMIUM", "/usr/bin/chromium")
REQUIRE_E2E = os.environ.get("IMD_REQUIRE_E2E") == "1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]




def _unavailable(reason: str):
    if REQUIRE_E2E:
        pytest.fail(f"IMD_REQUIRE_E2E=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def e2e_store(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'imd.sqlite'}")
    upgrade(engine)
    seed_data.seed_store(engine)
    add_test_users(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def live_server(e2e_store, tmp_path_factory):
    # Settings give the app a data folder, so published briefs can be downloaded as files.
    root = tmp_path_factory.mktemp("e2e-data")
    settings = Settings(data_dir=root, store=StoreSettings(url=str(e2e_store.url)), sources_path=root / "none.yaml",
                        web=WebSettings(secret_key="an-e2e-test-secret-key"))
    app = create_app(settings, MetricsStore(e2e_store), clock=lambda: seed_data.CLOCK_NOW, expected_every=seed_data.EXPECTED_EVERY)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def sign_in(page, base_url: str, name: str = "lead") -> None:
    """Through the real form, as a person would: the page asks for sign-in first."""
    page.goto(base_url + "/")
    page.wait_for_url("**/login?next=/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password(name))
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/")


@pytest.fixture
def page_as(browser, live_server):
    """A fresh browser context signed in through the form as the given user; fails on any browser error."""
    opened = []

    def open_as(name: str):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.set_default_timeout(15_000)
        sign_in(page, live_server, name)
        opened.append((context, errors))
        return page

    yield open_as
    for context, errors in opened:
        context.close()
        assert not errors, f"browser errors: {errors[:3]}"


@pytest.fixture
def page(page_as):
    return page_as("lead")


def _looks_the_same(old: Path, new: bytes, changed_share: float = 0.01) -> bool:
    """Under 1 % of pixels changed: anti-aliasing and clock text, not a different page."""
    from PIL import Image, ImageChops

    if not old.exists():
        return False
    with Image.open(old) as before, Image.open(io.BytesIO(new)) as after:
        if before.size != after.size:
            return False
        diff = ImageChops.difference(before.convert("RGB"), after.convert("RGB")).convert("L")
        changed = sum(diff.point(lambda v: 255 if v > 24 else 0).histogram()[255:])
        return changed <= changed_share * before.size[0] * before.size[1]


@pytest.fixture(scope="session")
def screenshot():
    """Save a screenshot for the README (the full page, or the first screen), rewriting the file only when the
    page looks different."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, *, full_page: bool = True) -> None:
        target = SCREENSHOTS / name
        image = page.screenshot(full_page=full_page)
        if not _looks_the_same(target, image):
            target.write_bytes(image)

    return save
