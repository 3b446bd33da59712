"""The Data page's quarantine grid in a real browser: a bureau user sorts, filters and pages it, and no page,
sort or filter reaches another bureau's rows (the paging runs in the query layer)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from metrics.models import EtlRun, QuarantinedRow
from tests.e2e.test_dashboard_e2e import choose
from tests.e2e.grid_helpers import filter_text, grid_cells, next_page, row_summary, sort_by, wait_for_count, wait_for_rows

pytestmark = pytest.mark.e2e
GRID = "data-quarantine-grid"
GD_ROWS = 120  # Guangdong: more than two pages of 50
SC_ROWS = 80  # Sichuan: another bureau's rows, never on a Guangdong user's screen


@pytest.fixture(scope="module")
def many_quarantined(e2e_store):
    with Session(e2e_store) as session, session.begin():
        run_id = session.scalars(select(EtlRun.id).where(EtlRun.status == "success")).first()
        rows = [("440100" if i % 4 == 0 else "440000", f"gd-{i:03d}", f"cited_referral_no '{i}' is malformed")
                for i in range(GD_ROWS)]
        rows += [("510000", f"sc-{i:03d}", f"cited_referral_no '{i}' is malformed") for i in range(SC_ROWS)]
        added = [QuarantinedRow(run_id=run_id, source="police_intake", unit_code=u, row_ref=r, raw='{"r": "%s"}' % r,
                                reason=why) for u, r, why in rows]
        session.add_all(added)
    yield e2e_store
    with Session(e2e_store) as session, session.begin():
        session.execute(delete(QuarantinedRow).where(QuarantinedRow.row_ref.like("gd-%") | QuarantinedRow.row_ref.like("sc-%")))


def _refs(page) -> list[str]:
    return [r.get("row_ref", "") for r in grid_cells(page, GRID)]


def test_a_bureau_user_sorts_filters_and_pages_only_its_own_quarantine(page_as, live_server, many_quarantined):
    page = page_as("gd")
    page.goto(live_server + "/data?lang=en")
    wait_for_rows(page, GRID)
    page.wait_for_function("id => !!dash_ag_grid.getApi(id).getDisplayedRowAtIndex(49)?.data", arg=GRID)
    page.wait_for_function("id => /of 12\\d/.test(document.querySelector('#' + id + ' .ag-paging-row-summary-panel')"
                           "?.innerText || '')", arg=GRID)
    first = _refs(page)
    assert len(first) == 50 and all(not r.startswith("sc-") for r in first)
    assert re.search(r"\b1 to 50 of 12\d\b", row_summary(page, GRID)), row_summary(page, GRID)

    sort_by(page, GRID, "row_ref")  # ascending
    page.wait_for_function("id => document.querySelector('#' + id + \" .ag-row[row-index='0'] [col-id='row_ref']\")"
                           "?.innerText.trim() === 'gd-000'", arg=GRID)
    seen = set(_refs(page))
    pages = 1
    while next_page(page, GRID):  # to the last page: the pager stops at Guangdong's rows
        page.wait_for_function("id => dash_ag_grid.getApi(id).getDisplayedRowAtIndex("
                               "dash_ag_grid.getApi(id).paginationGetCurrentPage() * 50)?.data", arg=GRID)
        seen |= set(_refs(page))
        pages += 1
    assert pages == 3
    assert {f"gd-{i:03d}" for i in range(GD_ROWS)} <= seen
    assert not any(r.startswith("sc-") for r in seen)

    filter_text(page, GRID, "row_ref", "sc-0")  # another bureau's reference: nothing, not its rows
    assert page.evaluate("id => dash_ag_grid.getApi(id).getFilterModel()", GRID) == {
        "row_ref": {"filterType": "text", "type": "contains", "filter": "sc-0"}}
    wait_for_count(page, GRID, 0)
    assert _refs(page) == []
    filter_text(page, GRID, "row_ref", "gd-11")
    wait_for_count(page, GRID, 10)
    assert sorted(_refs(page)) == [f"gd-11{i}" for i in range(10)]


def test_a_bureau_user_cannot_ask_the_grid_for_another_bureau(page_as, live_server, many_quarantined):
    page = page_as("gd")
    page.goto(live_server + "/data?lang=en&unit=510000")
    page.get_by_text("Record-level data of this unit is not yours to see").first.wait_for()
    page.locator(f"#{GRID}").wait_for(state="hidden")
    wait_for_count(page, GRID, 0)  # and the rows it asked for, for that unit, were none


def test_the_grid_follows_the_unit_chosen_on_the_page(page_as, live_server, many_quarantined):
    """The grid is built with the page and stays while the view changes: a new unit empties it, and it asks
    for that unit's rows."""
    page = page_as("lead")
    page.goto(live_server + "/data?lang=en")
    wait_for_rows(page, GRID)
    page.wait_for_function("id => /of (\\d+)/.exec(document.querySelector('#' + id + ' .ag-paging-row-summary-panel')"
                           "?.innerText || '')?.[1] >= 200", arg=GRID)  # Guangdong's and Sichuan's rows at least
    page.evaluate("() => window.__sameGrid = dash_ag_grid.getApi('data-quarantine-grid')")
    choose(page, "unit", "510000")
    page.wait_for_url(re.compile(r"unit=510000"))
    wait_for_count(page, GRID, SC_ROWS)
    refs = _refs(page)
    assert len(refs) == 50 and all(r.startswith("sc-") for r in refs), refs
    assert page.evaluate("() => window.__sameGrid === dash_ag_grid.getApi('data-quarantine-grid')")


def test_clicking_a_row_shows_its_source(page_as, live_server, many_quarantined):
    page = page_as("lead")
    page.goto(live_server + "/data?lang=en")
    wait_for_rows(page, GRID)
    page.locator(f"#{GRID} .ag-center-cols-container .ag-row[row-index='0'] [col-id='reason']").click()
    page.locator("#data-quarantine-raw pre").wait_for()
    assert '"r":' in page.locator("#data-quarantine-raw pre").inner_text()
