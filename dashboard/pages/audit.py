"""Audit log: sign-ins, downloads, API use, briefing publications and manual ETL runs. Administrators only."""
from __future__ import annotations

import datetime as dt

import dash
from dash import html

from dashboard.components.charts import simple_table
from dashboard.data import admin_audit_log, current_principal
from dashboard.pages.admin import admins_only

dash.register_page(__name__, path="/audit", name="Audit", order=9, admin_only=True)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
SHOWN = 500


def _zh(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def audit_rows(limit: int = SHOWN) -> list[dict]:
    frame = admin_audit_log(limit)
    rows = []
    for r in frame.to_dict("records"):
        at = r["at"]
        when = at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if isinstance(at, dt.datetime) else str(at)
        rows.append({"at": when, "actor": r["actor"] or "—", "action": r["action"],
                     "detail": (r["detail"] or "")[:300], "remote_addr": r["remote_addr"] or "—"})
    return rows


def layout(lang: str = "zh", **_state) -> html.Div:
    if not current_principal().is_admin:
        return admins_only(lang)
    columns = [("at", _zh(lang, "时间（北京）", "Time (Beijing)")), ("actor", _zh(lang, "用户", "User")),
               ("action", _zh(lang, "操作", "Action")), ("detail", _zh(lang, "详情", "Detail")),
               ("remote_addr", _zh(lang, "来源地址", "From"))]
    return html.Div([
        html.H2(_zh(lang, f"审计日志（最近{SHOWN}条）", f"Audit log (latest {SHOWN})")),
        simple_table(columns, audit_rows(), class_name="data-table audit-table"),
    ], className="audit")
