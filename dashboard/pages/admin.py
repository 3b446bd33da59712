"""Administration: sign-in users and the manual ETL run. Administrators only (checked below the page too)."""
from __future__ import annotations

import dash
from dash import html

from dashboard.web.admin_routes import ETL_PATH
from dashboard.components.charts import simple_table
from dashboard.components.forms import post_form
from dashboard.data import admin_users, current_principal, freshness
from dashboard.i18n import t

dash.register_page(__name__, path="/admin", name="Admin", order=8, admin_only=True)


def admins_only(lang: str) -> html.Div:
    return html.Div(html.P(t("admin_only", lang), className="note"), className="admin")


def users_table(lang: str) -> html.Table:
    columns = [("name", t("admin_user", lang)), ("role", t("admin_role", lang)),
               ("unit", t("admin_unit", lang)), ("state", t("admin_state", lang))]
    rows = [{"name": u.name, "role": u.role, "unit": u.unit_code or "—",
             "state": t("admin_active", lang) if u.active else t("admin_disabled", lang)}
            for u in admin_users()]
    return simple_table(columns, rows)


def sources_table(lang: str) -> html.Table:
    status = freshness()
    columns = [("source", t("admin_source", lang)), ("status", t("admin_last_run", lang)),
               ("last_success_at", t("admin_last_success", lang)),
               ("rows_quarantined", t("admin_rows_quarantined", lang))]
    rows = [{k: ("—" if v is None else str(v)) for k, v in r.items()} for r in status.to_dict("records")]
    return simple_table(columns, rows)


def layout(lang: str = "zh", **_state) -> html.Div:
    if not current_principal().is_admin:
        return admins_only(lang)
    return html.Div([
        html.H2(t("admin_data_loads", lang)),
        html.P(t("admin_run_note", lang), className="note"),
        post_form(ETL_PATH, t("admin_run_etl", lang), form_id="admin-etl-form"),
        sources_table(lang),
        html.H2(t("admin_users", lang)),
        html.P(t("admin_users_note", lang), className="note"),
        users_table(lang),
    ], className="admin")
