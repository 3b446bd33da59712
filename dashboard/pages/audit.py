"""Audit log: sign-ins, downloads, API use, briefing publications and manual ETL runs. Administrators only."""
from __future__ import annotations

import datetime as dt

import dash
from dash import html

from metrics.api import TZ

from dashboard.components.charts import simple_table
from dashboard.data import admin_audit_log, current_principal
from dashboard.i18n import t
from dashboard.pages.admin import admins_only

dash.register_page(__name__, path="/audit", name="Audit", order=9, admin_only=True)
SHOWN = 500


def audit_rows(limit: int = SHOWN) -> list[dict]:
    frame = admin_audit_log(limit)
    rows = []
    for r in frame.to_dict("records"):
        at = r["at"]
        when = at.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S") if isinstance(at, dt.datetime) else str(at)
        rows.append({"at": when, "actor": r["actor"] or "—", "action": r["action"],
                     "detail": (r["detail"] or "")[:300], "remote_addr": r["remote_addr"] or "—"})
    return rows


def layout(lang: str = "zh", **_state) -> html.Div:
    if not current_principal().is_admin:
        return admins_only(lang)
    columns = [("at", t("audit_at", lang)), ("actor", t("audit_actor", lang)),
               ("action", t("audit_action", lang)), ("detail", t("audit_detail", lang)),
               ("remote_addr", t("audit_from", lang))]
    return html.Div([
        html.H2(t("audit_title", lang, shown=SHOWN)),
        simple_table(columns, audit_rows(), class_name="data-table audit-table"),
    ], className="audit")
