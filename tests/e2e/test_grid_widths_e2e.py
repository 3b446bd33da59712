"""Grids size their columns from the text they hold (components/grid.py: column_width) instead of AG Grid's
autosize, which measures every cell with forced layouts. In the browser, every header and value must still show
whole, and no column be much wider than its widest text (a header that wraps: half of it, or its longest word)."""
from __future__ import annotations

import pytest

from dashboard.components.grid import CELL_PAD, HEADER_PAD, MAX_WIDTH, MIN_WIDTH

# Clipping is read off the drawn cells; the widest value is measured over every row (pages not shown too), in
# the cells' own font.
MEASURE = r"""id => {
  const root = document.getElementById(id);
  const textWidth = el => { const r = document.createRange(); r.selectNodeContents(el);
                            return r.getBoundingClientRect().width; };
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = getComputedStyle(root.querySelector('.ag-cell')).font;
  const data = []; dash_ag_grid.getApi(id).forEachNode(n => n.data && data.push(n.data));
  const headFont = document.createElement('canvas').getContext('2d');
  headFont.font = getComputedStyle(root.querySelector('.ag-header-cell-text')).font;
  return [...root.querySelectorAll('.ag-header-cell')].map(h => {
    const col = h.getAttribute('col-id');
    const head = h.querySelector('.ag-header-cell-text');
    const values = [...root.querySelectorAll(`.ag-cell[col-id="${col}"]`)]
      .map(c => c.querySelector('.ag-cell-value') || c).filter(v => v.textContent.trim() !== '');
    return {col, width: h.getBoundingClientRect().width,
            wrapped: getComputedStyle(head).whiteSpace !== 'nowrap',
            headText: headFont.measureText(head.textContent).width,
            longestWord: Math.max(...head.textContent.split(/\s+/).map(w => headFont.measureText(w).width)),
            head: textWidth(head), headClipped: head.scrollWidth > head.clientWidth + 1,
            widest: Math.max(0, ...data.map(d => d[col] == null ? 0 : canvas.measureText(String(d[col])).width)),
            clipped: values.filter(v => v.scrollWidth > v.clientWidth + 1).map(v => v.textContent)};
  });
}"""
GRIDS = [("/data", "data-runs-grid"), ("/data", "data-anomaly-grid"), ("/data", "data-lags-grid"),
         ("/compare?unit=440000", "compare-grid"), ("/admin", "admin-users-grid")]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path, grid", GRIDS)
def test_every_header_and_value_shows_whole_in_a_column_that_fits_it(page_as, live_server, path, grid, lang):
    page = page_as("admin")
    page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
    # The shell rewrites "?unit=440000&lang=zh" to its canonical form and the views draw again: a grid found
    # before that can be detached while it is scrolled to (seen once in CI).
    page.wait_for_load_state("networkidle")
    page.locator(f"#{grid}").scroll_into_view_if_needed()
    page.wait_for_selector(f"#{grid} .ag-center-cols-container .ag-row")
    columns = page.evaluate(MEASURE, grid)
    assert len(columns) >= 3 and any(c["widest"] > 0 for c in columns), columns
    for c in columns:
        if c["width"] < MAX_WIDTH:  # a capped column may cut its longest values; it can be widened by hand
            assert c["clipped"] == [] and not c["headClipped"], c
        head = max(c["longestWord"], c["headText"] / 2) if c["wrapped"] else c["head"]
        needed = max(MIN_WIDTH, c["widest"] + CELL_PAD, head + HEADER_PAD)
        assert c["width"] <= 1.15 * needed + 8, (c, columns)  # the estimate wastes little room
