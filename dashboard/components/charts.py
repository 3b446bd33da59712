"""A chart or table with its title and download buttons (CSV via callback, PNG via the modebar camera)."""
from __future__ import annotations

from dash import dcc, html

from dashboard.chart_text import summarise_figure
from dashboard.components.ids import chart_alt_id, chart_box_id, csv_button_id, download_id, ready_id
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
        described_graph(dcc.Graph(id=graph_id, config=graph_config(f"{page}-{chart}")), title=title, lang=lang,
                        loading=True),
    ], className=class_name)


def described_graph(graph: dcc.Graph, *, title: str, lang: str, figure: dict | None = None, loading: bool = False,
                    hidden: bool = False) -> html.Figure:
    """A graph with its text alternative: a caption under it and the container's aria-label.

    Given `figure`, the text is written now; otherwise callbacks/chart_text.py writes it from every figure the
    graph receives (the graph needs an id). `hidden` keeps the caption for screen readers only.
    """
    text = summarise_figure(figure, lang, title) if figure is not None else title
    graph_id = getattr(graph, "id", None)
    ids = ({"id": chart_box_id(graph_id)}, {"id": chart_alt_id(graph_id)}) if graph_id and figure is None else ({}, {})
    body = dcc.Loading(graph, type="dot", delay_show=300) if loading else graph
    caption = html.Figcaption(text, className="chart-alt visually-hidden" if hidden else "chart-alt", **ids[1])
    return html.Figure([body, caption], className="chart-figure",
                       **ids[0], **{"aria-label": text, "data-title": title, "data-lang": lang})


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
