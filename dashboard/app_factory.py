"""Build the Dash app: pages, callbacks, layout skeleton and the data context. No environment reads here."""
from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path

import dash

from metrics.api import MetricsStore
from metrics.config import Settings

from dashboard.web.admin_routes import audit_briefing_downloads, audit_callback_downloads, register_admin_routes
from dashboard.web.api import register_api
from dashboard.web.auth import init_auth
from dashboard.web.hardening import register_hardening
from dashboard.web.briefing_routes import register_briefing_routes
from dashboard.callbacks.registry import attach as attach_callbacks
from dashboard.web.briefing_text_routes import register_text_routes
from dashboard.web.returns_api import install_returns
from dashboard.components.shell import app_layout
from dashboard.data import DashboardContext, install, utc_now
from dashboard.i18n import t
from dashboard.compression import enable_compression
from dashboard.web.static_cache import cache_fingerprinted_assets
from dashboard.web.preload import add_preloads
from dashboard.web.warmup import warm_up
from dashboard.outage import register_outage_handlers

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def _import_pages() -> None:
    """Import every page module (each registers itself) and the shell callbacks."""
    import dashboard.pages

    importlib.import_module("dashboard.callbacks.shell")
    importlib.import_module("dashboard.callbacks.url_notices")
    for info in sorted(pkgutil.iter_modules(dashboard.pages.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"dashboard.pages.{info.name}")
        page = dash.page_registry.get(module.__name__)
        if page is not None and "layout" not in page:  # what Dash's own page loader would fill in
            page["layout"] = module.layout


def create_app(settings: Settings | None, store: MetricsStore, *, clock: Callable[[], dt.datetime] | None = None,
               expected_every: dict[str, dt.timedelta] | None = None,
               run_etl: Callable[[], list[dict]] | None = None, returns=None) -> dash.Dash:
    """The dashboard over a metrics store, every route behind sign-in (dashboard/web/auth.py).

    `clock` returns the current aware datetime (its Asia/Shanghai date anchors the date presets);
    `expected_every` maps source names to their expected load interval, for the freshness banner;
    `run_etl` runs every source once for the admin's "run ETL now" (app.py wires etl in);
    `returns` is the metrics.api.ReturnsDesk behind the Returns page and /api/v1/returns (app.py builds it).
    """
    app = dash.Dash(__name__, use_pages=False, assets_folder=str(ASSETS), suppress_callback_exceptions=True,
                    title=t("app_title", "zh"), update_title=None, serve_locally=True, enable_mcp=False)
    install(app.server, DashboardContext(store=store, clock=clock or utc_now,
                                         expected_every=dict(expected_every or {}), settings=settings))
    init_auth(app.server, store.accounts, settings)
    register_api(app.server)
    if returns is not None:
        install_returns(app.server, returns)
    register_admin_routes(app.server, store.accounts, run_etl)
    register_text_routes(app.server, store.accounts)
    register_outage_handlers(app.server)
    enable_compression(app.server)
    cache_fingerprinted_assets(app.server)
    if settings is not None:  # brief files live under the settings' data folder
        register_briefing_routes(app.server, settings)
        audit_briefing_downloads(app.server, store.accounts)
    audit_callback_downloads(app.server, store.accounts)
    _import_pages()
    attach_callbacks(app)
    app.index_string = app.index_string.replace("<html>", '<html lang="zh-CN">', 1)  # assets/lang.js follows ?lang
    add_preloads(app)
    app.layout = app_layout
    register_hardening(app)  # after the pages: it needs their paths
    warm_up()
    return app
