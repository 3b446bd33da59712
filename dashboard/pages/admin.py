"""Administration: sign-in users and the manual ETL run. Administrators only (checked below the page too)."""
from __future__ import annotations

import dash
from dash import html

from dashboard.web.admin_routes import ETL_PATH
from dashboard.components.charts import simple_table
from dashboard.components.forms import post_form
from dashboard.data import admin_users, current_principal, freshness

dash.register_page(__name__, path="/admin", name="Admin", order=8, admin_only=True)


def _zh(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def admins_only(lang: str) -> html.Div:
    return html.Div(html.P(_zh(lang, "此页面仅供管理员使用。", "This page is for administrators only."),
                           className="note"), className="admin")


def users_table(lang: str) -> html.Table:
    columns = [("name", _zh(lang, "用户", "User")), ("role", _zh(lang, "角色", "Role")),
               ("unit", _zh(lang, "单位", "Unit")), ("state", _zh(lang, "状态", "State"))]
    rows = [{"name": u.name, "role": u.role, "unit": u.unit_code or "—",
             "state": _zh(lang, "启用", "active") if u.active else _zh(lang, "停用", "disabled")}
            for u in admin_users()]
    return simple_table(columns, rows)


def sources_table(lang: str) -> html.Table:
    status = freshness()
    columns = [("source", _zh(lang, "数据源", "Source")), ("status", _zh(lang, "最近运行", "Last run")),
               ("last_success_at", _zh(lang, "最近成功", "Last success")),
               ("rows_quarantined", _zh(lang, "隔离行数", "Rows quarantined"))]
    rows = [{k: ("—" if v is None else str(v)) for k, v in r.items()} for r in status.to_dict("records")]
    return simple_table(columns, rows)


def layout(lang: str = "zh", **_state) -> html.Div:
    if not current_principal().is_admin:
        return admins_only(lang)
    return html.Div([
        html.H2(_zh(lang, "数据加载", "Data loads")),
        html.P(_zh(lang, "立即运行全部数据源的增量加载（操作记入审计日志）。",
                   "Run every source's incremental load now (recorded in the audit log)."), className="note"),
        post_form(ETL_PATH, _zh(lang, "立即运行 ETL", "Run ETL now"), form_id="admin-etl-form"),
        sources_table(lang),
        html.H2(_zh(lang, "用户", "Users")),
        html.P(_zh(lang, "用命令行管理用户：python app.py users add|list|disable|token。",
                   "Manage users from the command line: python app.py users add|list|disable|token."),
               className="note"),
        users_table(lang),
    ], className="admin")
