"""A chart or table with its title and download buttons (CSV via callback, PNG via the modebar camera)."""
from __future__ import annotations

from dash import dcc, html

from dashboard.components.ids import csv_button_id, download_id, ready_id
from figures.base import graph_config
from dashboard.i18n import t


def csv_button(page: str, chart: str, lang: str) -> html.Button:
    return html.Button(t("download_csv", lang), id=csv_button_id(page, chart), className="csv-button", n_clicks=0)


def chart_card(*, title: str, graph_id: str, page: str, chart: str, lang: str, extra=None,
               class_name: str = "card") -> html.Div:
    return html.Div([
        html.Div([html.H3(title, className="card-title"), html.Div([csv_button(page, chart, lang)],
                                                                   className="card-tools")],
                 className="card-head"),
        extra,
        dcc.Loading(dcc.Graph(id=graph_id, config=graph_config(f"{page}-{chart}")), type="dot", delay_show=300),
    ], className=class_name)


def table_card(*, title: str, body_id: str, page: str, chart: str, lang: str, note=None) -> html.Div:
    return html.Div([
        html.Div([html.H3(title, className="card-title"), html.Div([csv_button(page, chart, lang)],
                                                                   className="card-tools")],
                 className="card-head"),
        note,
        html.Div(id=body_id, className="table-wrap", tabIndex="0", role="region", **{"aria-label": title}),  # scrollable: keyboard-reachable
    ], className="card")


def page_download(page: str) -> html.Div:
    """The page's CSV download target and its ready marker."""
    return html.Div([dcc.Download(id=download_id(page)), dcc.Store(id=ready_id(page), data=True)])


def simple_table(columns: list[tuple[str, str]], rows: list[dict], *, class_name: str = "data-table") -> html.Table:
    """Rows of already formatted cells; `columns` is (key, header)."""
    head = html.Thead(html.Tr([html.Th(label) for _, label in columns]))
    body = html.Tbody([html.Tr([html.Td(row.get(key, "")) for key, _ in columns]) for row in rows])
    return html.Table([head, body], className=class_name)
