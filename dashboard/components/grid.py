"""Data grids (dash-ag-grid): sortable, filterable, paged, first column pinned, headers and times localized.

Two kinds: a client-side grid for tables of at most a few hundred rows (the rows ship with the page), and a
server-side grid (AG Grid's infinite row model) whose pages, sorts and filters a callback answers through
the query layer, so the browser only ever holds the page it shows.
"""
from __future__ import annotations

import datetime as dt
import math

import dash_ag_grid as dag
import pandas as pd

from metrics.api import TZ, PageRequest

from dashboard.i18n import known, t
from figures.base import text_width

PAGE_SIZE = 50
FONT_SIZE = 14  # px: the grids' text, in the app's font (style.css)
CELL_PAD = 52  # a cell's padding and room to spare, as AG Grid's own autosize leaves
HEADER_PAD = 68  # a header's padding, sort and filter icons
MIN_WIDTH, MAX_WIDTH = 90, 560
SAMPLE_ROWS = 500
TIME_SAMPLE = "2000-01-01 00:00:00"  # what beijing_time writes, to size a time column before its rows arrive
TEXT_FILTERS = ["contains", "notContains", "equals", "notEqual", "startsWith", "endsWith"]
_LOCALE_KEYS = {"page": "grid_page", "of": "grid_of", "to": "grid_to", "more": "grid_more",
                "loadingOoo": "grid_loading", "noRowsToShow": "grid_no_rows", "filterOoo": "grid_filter",
                "contains": "grid_contains", "notContains": "grid_not_contains", "equals": "grid_equals",
                "notEqual": "grid_not_equal", "startsWith": "grid_starts_with", "endsWith": "grid_ends_with",
                "pageSizeSelectorLabel": "grid_page_size", "nextPage": "grid_next", "previousPage": "grid_previous",
                "firstPage": "grid_first", "lastPage": "grid_last",
                "greaterThan": "grid_greater_than", "lessThan": "grid_less_than"}


def header(column: str, lang: str) -> str:
    return t(f"col_{column}", lang) if known(f"col_{column}") else column


def beijing_time(value) -> str:
    """An instant as Beijing wall time to the second (stored times are UTC; naive ones are UTC too)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return aware.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def grid_rows(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready records: times in Beijing time, missing values empty."""
    out = frame.astype(object).where(frame.notna(), None)
    for column in out.columns:
        if any(isinstance(v, (dt.date, pd.Timestamp)) for v in out[column].head(20)):
            out[column] = out[column].map(beijing_time)
    return out.to_dict("records")


def column_width(title: str, values, *, wrapped: bool = False) -> int:
    """Pixels that fit the column's header and its widest value, estimated from their characters.

    AG Grid's autosize measures every cell in the page (forced layouts: a sixth of the Data page's drawing);
    a wrapped header is given two lines, or its longest word."""
    whole = text_width(title, FONT_SIZE)
    head = (max([math.ceil(whole / 2), *(text_width(w, FONT_SIZE) for w in title.split())]) if wrapped
            else whole) + HEADER_PAD
    cells = max((text_width(str(v), FONT_SIZE) for v in values if v is not None), default=0) + CELL_PAD
    return min(MAX_WIDTH, max(MIN_WIDTH, head, cells))


def _column_defs(columns: list[str], lang: str, *, rows: list[dict], filterable: set[str] | None,
                 headers: dict[str, str], overrides: dict[str, dict], typical: dict[str, list],
                 fill: str | None) -> list[dict]:
    defs = []
    sample = rows[:SAMPLE_ROWS]
    for i, column in enumerate(columns):
        can_filter = filterable is None or column in filterable
        title = headers.get(column) or header(column, lang)
        width = column_width(title, [row.get(column) for row in sample] + list(typical.get(column, ())),
                             wrapped=overrides.get(column, {}).get("wrapHeaderText", False))
        size = {"flex": 1, "minWidth": width} if column == fill else {"width": width}
        defs.append({"field": column, "headerName": title, **size, "sortable": True,
                     "filter": "agTextColumnFilter" if can_filter else False,
                     "filterParams": {"filterOptions": TEXT_FILTERS, "maxNumConditions": 1},
                     **({"pinned": "left", "lockPinned": True} if i == 0 else {}), **overrides.get(column, {})})
    return defs


def data_grid(grid_id, columns: list[str], lang: str, *, rows: list[dict] | None = None, server_side: bool = False,
              filterable: set[str] | None = None, page_size: int = PAGE_SIZE, height: int = 420,
              row_id: str | None = None, headers: dict[str, str] | None = None,
              overrides: dict[str, dict] | None = None, typical: dict[str, list] | None = None,
              fill: str | None = None) -> dag.AgGrid:
    """A grid over `columns`; `rows` for a client-side grid, `server_side=True` for paged callbacks.

    `headers` names columns the catalog's col_* keys do not; `overrides` adds to a column's definition.
    Columns are as wide as their header and widest value; a server-side grid has no rows yet, so `typical`
    gives values to size a column by, and the `fill` column takes the width the others leave."""
    options = {"pagination": True, "paginationPageSize": page_size, "paginationPageSizeSelector": False,
               "localeText": {k: t(v, lang) for k, v in _LOCALE_KEYS.items()}, "enableCellTextSelection": True,
               "ensureDomOrder": True, "suppressFieldDotNotation": True,
               "suppressColumnVirtualisation": True}
    extra = {}
    if server_side:
        options |= {"cacheBlockSize": page_size, "maxBlocksInCache": 4, "rowBuffer": 0}
        extra["rowModelType"] = "infinite"
    else:
        extra["rowData"] = rows or []
    if row_id is not None:
        extra["getRowId"] = f"params.data.{row_id}"
    column_defs = _column_defs(columns, lang, rows=[] if server_side else rows or [], filterable=filterable,
                               headers=headers or {}, overrides=overrides or {}, typical=typical or {}, fill=fill)
    return dag.AgGrid(id=grid_id, columnDefs=column_defs, defaultColDef={"resizable": True, "minWidth": MIN_WIDTH},
                      dashGridOptions=options, style={"height": f"{height}px", "width": "100%"},
                      className="data-grid", **extra)


def page_request(grid_request: dict | None, page_size: int = PAGE_SIZE) -> PageRequest:
    """AG Grid's getRowsRequest (startRow, endRow, sortModel, filterModel) as a PageRequest.

    Anything malformed becomes the first page unsorted; column names are checked by the query layer."""
    req = grid_request if isinstance(grid_request, dict) else {}
    start = req.get("startRow") if isinstance(req.get("startRow"), int) and req["startRow"] >= 0 else 0
    end = req.get("endRow") if isinstance(req.get("endRow"), int) and req["endRow"] > start else start + page_size
    sort_model = req.get("sortModel") if isinstance(req.get("sortModel"), list) else []
    filter_model = req.get("filterModel") if isinstance(req.get("filterModel"), dict) else {}
    sort = tuple((s.get("colId"), s.get("sort")) for s in sort_model if isinstance(s, dict)
                 and isinstance(s.get("colId"), str) and s.get("sort") in ("asc", "desc"))
    filters = tuple((str(column), f.get("type"), str(f.get("filter"))) for column, f in filter_model.items()
                    if isinstance(f, dict) and f.get("type") in TEXT_FILTERS and f.get("filter") not in (None, ""))
    return PageRequest(offset=start, limit=min(end - start, 500), sort=sort, filters=filters)
