"""Reading and driving AG Grid data grids in the browser, as a person would (headers, filter box, pager)."""
from __future__ import annotations


def wait_for_rows(page, grid_id: str) -> None:
    # As a person would: a grid below the fold draws its rows and pager text once it is scrolled into view.
    page.locator(f"#{grid_id}").scroll_into_view_if_needed()
    page.wait_for_selector(f"#{grid_id} .ag-center-cols-container .ag-row, #{grid_id} .ag-overlay-no-rows-center")


def grid_cells(page, grid_id: str) -> list[dict]:
    """The rows of the grid's current page, as the grid holds them (rows scrolled out of view included)."""
    return page.evaluate("""id => { const api = dash_ag_grid.getApi(id); const size = api.paginationGetPageSize();
        const first = api.paginationGetCurrentPage() * size; const rows = [];
        for (let i = first; i < Math.min(first + size, api.getDisplayedRowCount()); i++) {
            const node = api.getDisplayedRowAtIndex(i); if (node && node.data) rows.push(node.data); }
        return rows; }""", grid_id)


def row_summary(page, grid_id: str) -> str:
    return page.locator(f"#{grid_id} .ag-paging-row-summary-panel").inner_text()


def sort_by(page, grid_id: str, field: str) -> None:
    page.locator(f"#{grid_id} .ag-header-cell[col-id='{field}'] .ag-header-cell-label").click()


def filter_text(page, grid_id: str, field: str, text: str) -> None:
    """Open the column's menu filter and type into it (the default option, "contains")."""
    header = page.locator(f"#{grid_id} .ag-header-cell[col-id='{field}']")
    header.hover()
    header.locator(".ag-header-cell-filter-button, .ag-header-cell-menu-button").first.click()
    box = page.locator(".ag-filter input.ag-input-field-input").first
    box.fill(text)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def next_page(page, grid_id: str) -> bool:
    """Go to the next page; False when the pager says there is none."""
    button = page.locator(f"#{grid_id} .ag-paging-button[data-ref='btNext']")
    if button.get_attribute("aria-disabled") == "true":
        return False
    button.click()
    return True


def wait_for_count(page, grid_id: str, count: int) -> None:
    """Until the grid holds `count` rows in all and the first of them has arrived."""
    # getApi throws (and logs a browser error) before AG Grid has started; getApiAsync waits for it.
    page.evaluate("id => dash_ag_grid.getApiAsync(id).then(() => true)", grid_id)
    page.wait_for_function("""([id, n]) => { const api = dash_ag_grid.getApi(id);
        return api.getDisplayedRowCount() === n && (n === 0 || !!api.getDisplayedRowAtIndex(0)?.data); }""",
                           arg=[grid_id, count])
