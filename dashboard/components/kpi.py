"""KPI cards for the overview: headline value, campaign-to-date value, changes and a sparkline."""
from __future__ import annotations

from dash import dcc, html

from dashboard.components.charts import described_graph
from figures.formatting import format_amount, format_pct
from dashboard.i18n import t


def _change(label: str, pct: float | None, lang: str, why_none: str | None = None) -> html.Span:
    """A change, or a dash whose title says why there is none (a tiny base, or no period to compare with)."""
    cls = "chg-none" if pct is None else "chg-up" if pct > 0 else "chg-down" if pct < 0 else "chg-flat"
    title = (why_none or t("base_too_small", lang)) if pct is None else None
    return html.Span([html.Span(label, className="chg-label"), html.Span(format_pct(pct, lang), className=cls)],
                     className="chg", title=title)


def kpi_card(*, metric_id: str, name: str, unit: str, lang: str, period_value: int, ctd_value: int,
             pct_previous: float | None, pct_year_ago: float | None, sparkline: dict,
             no_previous: str | None = None, no_year_ago: str | None = None,
             unavailable: str | None = None) -> html.Div:
    """`no_previous` / `no_year_ago`: why there is no such period to compare with; `unavailable`: why the
    metric has no figure at all (a category its source does not record), shown instead of a zero."""
    if unavailable:
        return html.Div([html.Div(name, className="kpi-name"),
                         html.Div("—", className="kpi-value kpi-unavailable",
                                  **{"data-metric": metric_id, "data-value": ""}),
                         html.Div(unavailable, className="kpi-sub kpi-unavailable-note")],
                        className="kpi-card kpi-card-unavailable", id=f"kpi-{metric_id}")
    return html.Div([
        html.Div(name, className="kpi-name"),
        html.Div(format_amount(period_value, lang, unit), className="kpi-value",
                 **{"data-metric": metric_id, "data-value": str(period_value)}),
        html.Div([html.Span(t("campaign_to_date", lang) + " "),
                  html.Span(format_amount(ctd_value, lang, unit), className="kpi-ctd",
                            **{"data-value": str(ctd_value)})], className="kpi-sub"),
        html.Div([_change(t("vs_previous", lang), pct_previous, lang, no_previous),
                  _change(t("vs_year_ago", lang), pct_year_ago, lang, no_year_ago)], className="kpi-changes"),
        described_graph(dcc.Graph(figure=sparkline, config={"staticPlot": True, "displayModeBar": False},
                                  className="kpi-spark"), title=name, lang=lang, figure=sparkline, hidden=True),
    ], className="kpi-card", id=f"kpi-{metric_id}")
