"""The Audit and Compare grids in a real browser: sorted, filtered and paged as a person would. The audit
grid's pages come from the query layer, for administrators only; the Compare grid sorts by the number behind
each formatted cell, not by its text."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from metrics.models import AuditEvent
from tests.auth_helpers import dash_request
from tests.e2e.grid_helpers import filter_text, grid_cells, next_page, row_summary, sort_by, wait_for_count, wait_for_rows

pytestmark = pytest.mark.e2e
AUDIT = "audit-grid"
COMPARE = "compare-grid"
ACTOR = "e2e-auditee"
EVENTS = 130  # 65 API calls and 65 downloads: three pages of 50


@pytest.fixture(scope="module")
def audited(e2e_store):
    start = dt.datetime(2025, 11, 20, 1, 0, 0, 654321, tzinfo=dt.timezone.utc)
    with Session(e2e_store) as s, s.begin():
        s.add_all([AuditEvent(at=start + dt.timedelta(minutes=i), actor=ACTOR, action="api" if i % 2 else "download",
                              detail=json.dumps({"path": f"/p/{i:03d}"}), remote_addr="10.9.9.9")
                   for i in range(EVENTS)])
    yield e2e_store
    with Session(e2e_store) as s, s.begin():
        s.execute(delete(AuditEvent).where(AuditEvent.actor == ACTOR))


def pick(page, dropdown_id: str, value: str) -> None:
    page.locator(f"#{dropdown_id}").click()
    page.locator(f"[role=option]:has(input[value='{value}'])").click()
    page.keyboard.press("Escape")


def _paths(page) -> list[str]:
    return [r["detail"].removeprefix("path: ") for r in grid_cells(page, AUDIT)]


def test_an_admin_filters_sorts_and_pages_the_audit_log(page_as, live_server, audited):
    page = page_as("admin")
    page.goto(live_server + "/audit?lang=en")
    wait_for_rows(page, AUDIT)
    assert page.locator(".global-controls").count() == 0
    pick(page, "audit-user", ACTOR)
    wait_for_count(page, AUDIT, EVENTS)
    page.wait_for_function("id => /1 to 50 of 130/.test(document.querySelector('#' + id + "
                           "' .ag-paging-row-summary-panel')?.innerText || '')", arg=AUDIT)
    first = grid_cells(page, AUDIT)
    assert first[0]["detail"] == "path: /p/129" and first[0]["at"] == "2025-11-20 11:09:00"  # Beijing, to the second
    assert {r["action"] for r in first} == {"API call", "Download"}

    pick(page, "audit-event", "api")  # the event menu: the query filters, the count follows
    wait_for_count(page, AUDIT, EVENTS // 2)
    assert {r["action"] for r in grid_cells(page, AUDIT)} == {"API call"}

    sort_by(page, AUDIT, "detail")  # ascending, in SQL
    page.wait_for_function("id => document.querySelector('#' + id + \" .ag-row[row-index='0'] [col-id='detail']\")"
                           "?.innerText.trim() === 'path: /p/001'", arg=AUDIT)
    seen, pages = list(_paths(page)), 1
    while next_page(page, AUDIT):
        page.wait_for_function("id => dash_ag_grid.getApi(id).getDisplayedRowAtIndex("
                               "dash_ag_grid.getApi(id).paginationGetCurrentPage() * 50)?.data", arg=AUDIT)
        seen += _paths(page)
        pages += 1
    assert pages == 2 and seen == [f"/p/{i:03d}" for i in range(1, EVENTS, 2)]
    assert re.search(r"\b51 to 65 of 65\b", row_summary(page, AUDIT)), row_summary(page, AUDIT)

    filter_text(page, AUDIT, "detail", "/p/11")  # a column filter, also in SQL: 111, 113, 115, 117, 119
    wait_for_count(page, AUDIT, 5)
    assert _paths(page) == ["/p/111", "/p/113", "/p/115", "/p/117", "/p/119"]

    page.locator("#audit-clear").click()  # every filter off: the whole trail again, other users' sign-ins too
    page.wait_for_function("([id, n]) => dash_ag_grid.getApi(id).getDisplayedRowCount() > n", arg=[AUDIT, EVENTS])
    assert page.locator("#audit-user").inner_text().strip() in ("All users", "")


@pytest.mark.parametrize("user", ["gd", "lead"])
def test_no_one_else_gets_a_page_of_the_audit_log(page_as, live_server, audited, user):
    page = page_as(user)
    refused_page = page.context.new_page()  # same sign-in; its expected 403 is not one of page_as' browser errors
    answer = refused_page.goto(live_server + "/audit?lang=en")
    assert answer.status == 403
    refused_page.get_by_text("Your role may not open this page.", exact=True).wait_for()
    assert refused_page.locator(f"#{AUDIT}").count() == 0 and refused_page.locator(".global-controls").count() == 0
    # The grid's request crafted by hand, as a page the browser never showed: refused on the server.
    body = dash_request("audit-grid.getRowsResponse", {"id": AUDIT, "property": "getRowsResponse"},
                        [{"id": AUDIT, "property": "getRowsRequest", "value": {"startRow": 50, "endRow": 100}}],
                        ["audit-grid.getRowsRequest"],
                        [{"id": "audit-event", "property": "value", "value": None},
                         {"id": "audit-user", "property": "value", "value": ACTOR},
                         {"id": "audit-days", "property": "start_date", "value": None},
                         {"id": "audit-days", "property": "end_date", "value": None},
                         {"id": "url", "property": "search", "value": "?lang=en"}])
    answer = page.context.request.post(live_server + "/_dash-update-component", data=body)  # the session's cookie
    assert answer.status == 403 and ACTOR not in answer.text() and answer.json()["error"] == "forbidden"


def _metrics(page) -> list[str]:
    return [r["metric"] for r in grid_cells(page, COMPARE)]


def test_a_bureau_user_sorts_filters_and_pages_the_compare_grid(page_as, live_server):
    page = page_as("gd")
    page.goto(live_server + "/compare?lang=en&unit=440000&range=lq")
    wait_for_rows(page, COMPARE)
    assert re.search(r"\b1 to 10 of 15\b", row_summary(page, COMPARE)), row_summary(page, COMPARE)
    header = page.locator(f"#{COMPARE} .ag-header-cell[col-id='gap'] .ag-header-cell-text").inner_text()
    assert header == "Gap · Per capita"
    pinned = page.locator(f"#{COMPARE} .ag-pinned-left-cols-container [col-id='metric']").first
    assert pinned.inner_text()  # the metric column stays in view when the grid scrolls sideways

    sort_by(page, COMPARE, "rank_total")  # by the rank's number: 2/36 before 10/36, withheld ranks first
    page.wait_for_function("id => dash_ag_grid.getApi(id).getColumnState().some(c => c.colId === 'rank_total' "
                           "&& c.sort === 'asc')", arg=COMPARE)
    ranks, pages = [r["rank_total_n"] for r in grid_cells(page, COMPARE)], 1
    while next_page(page, COMPARE):
        ranks += [r["rank_total_n"] for r in grid_cells(page, COMPARE)]
        pages += 1
    assert pages == 2 and len(ranks) == 15
    known = [r for r in ranks if r is not None]
    assert known == sorted(known) and len(set(known)) > 1

    filter_text(page, COMPARE, "metric", "referr")  # the metric names, as shown
    page.wait_for_function("id => dash_ag_grid.getApi(id).getDisplayedRowCount() < 15", arg=COMPARE)
    assert _metrics(page) and all("referr" in m.lower() for m in _metrics(page))
    gaps = page.locator(f"#{COMPARE} .ag-center-cols-container [col-id='gap']").all_inner_texts()
    assert gaps and all(g == "—" or re.match(r"^[+−]?[\d,.]+( (million|billion))?( yuan| people)?$", g) for g in gaps), gaps
