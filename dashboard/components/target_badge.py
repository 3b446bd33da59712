"""A target's status as a badge, and a card per target (overview)."""
from __future__ import annotations

from dash import html

from metrics.api import NATION_CODE

from figures.formatting import format_amount
from dashboard.i18n import metric_name, t


def status_badge(status: str, lang: str) -> html.Span:
    return html.Span(t(f"status_{status}", lang), className=f"badge status-{status}", **{"data-status": status})


def target_card(row: dict, unit_kind: str, lang: str) -> html.Div:
    """`row`: one row of metrics.api.target_status."""
    def amount(value) -> str:
        return format_amount(value, lang, unit_kind)

    lines = [html.Div([html.Span(metric_name(row["metric"], lang), className="kpi-name"), " ",
                       status_badge(row["status"], lang)], className="target-head"),
             html.Div(t("target_progress", lang, actual=amount(row["actual"]), target=amount(row["target"]),
                        share=f"{row['share_of_target']:.0%}"), className="target-progress"),
             html.Div(t("target_expected", lang, expected=amount(round(row["expected"])),
                        expected_share=f"{row['expected_share']:.0%}"), className="kpi-sub")]
    if str(row["profile"]).startswith("national") and row["unit_code"] != NATION_CODE:
        lines.append(html.Div(t("target_profile_national", lang), className="kpi-sub"))
    return html.Div(lines, className="target-card", **{"data-metric": row["metric"], "data-status": row["status"]})
