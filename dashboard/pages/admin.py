"""Administration: sign-in users and the manual ETL run. Administrators only (checked below the page too).

No global filter bar: nothing here depends on the period, unit or category. Times are Beijing time to the
second (components/grid.beijing_time, the one formatter shared with the Audit and Data pages).
"""
from __future__ import annotations

import dash
from dash import html

from dashboard.web.admin_routes import ETL_PATH
from dashboard.callbacks.data import named, unit_label
from dashboard.components.forms import post_form
from dashboard.components.grid import beijing_time, data_grid
from dashboard.data import admin_users, current_principal, freshness
from dashboard.i18n import known, t

dash.register_page(__name__, path="/admin", name="Admin", order=8, admin_only=True, global_filters=False)
USER_COLUMNS = ("name", "role", "unit", "state")
SOURCE_COLUMNS = ("source", "status", "last_success_at", "rows_quarantined")


def admins_only(lang: str) -> html.Div:
    return html.Div(html.P(t("admin_only", lang), className="note"), className="admin")


def _role(role: str, lang: str) -> str:
    return t(f"role_{role}", lang) if known(f"role_{role}") else role


def user_rows(lang: str) -> list[dict]:
    return [{"name": u.name, "role": _role(u.role, lang), "unit": unit_label(u.unit_code, lang) or "—",
             "state": t("admin_active", lang) if u.active else t("admin_disabled", lang)} for u in admin_users()]


def source_rows(lang: str) -> list[dict]:
    return [{"source": named("source", r["source"], lang), "status": named("state", r["status"], lang) or "—",
             "last_success_at": beijing_time(r["last_success_at"]) or "—",
             "rows_quarantined": "—" if r["rows_quarantined"] is None else int(r["rows_quarantined"])}
            for r in freshness().to_dict("records")]


def _grid(grid_id: str, columns: tuple[str, ...], keys: tuple[str, ...], rows: list[dict], lang: str, height: int):
    return data_grid(grid_id, list(columns), lang, rows=rows, height=height,
                     headers={c: t(k, lang) for c, k in zip(columns, keys)})


def layout(lang: str = "zh", **_state) -> html.Div:
    if not current_principal().is_admin:
        return admins_only(lang)
    return html.Div([
        html.H2(t("admin_data_loads", lang)),
        html.P(t("admin_run_note", lang), className="note"),
        post_form(ETL_PATH, t("admin_run_etl", lang), form_id="admin-etl-form"),
        _grid("admin-sources-grid", SOURCE_COLUMNS, ("admin_source", "admin_last_run", "admin_last_success",
                                                     "admin_rows_quarantined"), source_rows(lang), lang, 300),
        html.H2(t("admin_users", lang)),
        html.P(t("admin_users_note", lang), className="note"),
        _grid("admin-users-grid", USER_COLUMNS, ("admin_user", "admin_role", "admin_unit", "admin_state"),
              user_rows(lang), lang, 360),
    ], className="admin")
