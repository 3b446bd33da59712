"""Data page: the returns' coverage cells (unit × period), from the coverage matrix the brief also reads.

The cells are decided in metrics (metrics/returns/coverage_cells.py): covered, pending with the return's state,
or missing (late once past the deadline). Drawn for the chosen bureau's units (a bureau or sub-bureau user:
its own); the CSV holds every cell the principal may see.
"""
from __future__ import annotations

import pandas as pd
from dash import Output

from metrics.api import RETURN_CELLS, CoverageRequest, MetricsQuery, Window, all_units, bureau_of, get_unit

from dashboard.callbacks.common import page_inputs, view_of
from dashboard.callbacks.registry import callback
from dashboard.data import get_query
from dashboard.i18n import t
from figures.data import RETURN_CELL_COLOURS, build_coverage_figure

PAGE = "data"
GRAPH = "data-returns-coverage"


def returns_coverage_frame(query: MetricsQuery, window: Window, unit: str | None) -> pd.DataFrame:
    """The return rows of the coverage matrix, narrowed to a bureau's own units when one is chosen."""
    cells = query.quality.return_coverage(CoverageRequest(window))
    if unit and get_unit(unit).kind == "bureau":
        cells = cells[cells["unit_code"].map(bureau_of) == unit]
    return cells.reset_index(drop=True)


def cell_names(lang: str) -> dict[str, str]:
    return {c: t(f"return_cell_{c}", lang) for c in RETURN_CELLS}


def returns_coverage_figure(cells: pd.DataFrame, lang: str, *, pick_bureau: bool = False) -> dict:
    """The heatmap of one bureau's units; across bureaus (hundreds of rows) it asks for a bureau instead (the
    CSV has every cell)."""
    units = all_units()
    pick_bureau = pick_bureau or cells["unit_code"].map(bureau_of).nunique() > 1
    names = {c: units[c].name(lang) for c in set(cells["unit_code"])}
    return build_coverage_figure(cells.iloc[0:0] if pick_bureau else cells, unit_names=names,
                                 state_names=cell_names(lang), title=t("data_returns_coverage", lang),
                                 empty_message=t("data_returns_pick_bureau" if pick_bureau else "data_no_returns",
                                                 lang), column="cell", colours=RETURN_CELL_COLOURS)


@callback(Output(GRAPH, "figure"), *page_inputs(PAGE), with_page=False)
def update_returns_coverage(_ready, search):
    view, _ = view_of(search)
    query = get_query()
    if (not view.unit or get_unit(view.unit).kind != "bureau") and not query.principal.is_local:
        empty = pd.DataFrame(columns=["unit_code", "month", "cell"])  # national: nothing drawn, so nothing read
        return returns_coverage_figure(empty, view.lang, pick_bureau=True)
    return returns_coverage_figure(returns_coverage_frame(query, view.window, view.unit), view.lang)
