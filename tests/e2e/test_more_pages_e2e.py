"""The remaining pages in a real browser: Briefings (publish, versions, downloads, "as of the brief" vs "now"),
Data (runs, coverage, quarantine), Admin and Audit for an administrator, and both refused to a bureau user.
Figures on screen are checked against the metrics API."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from briefing.narrative import figure_text
from metrics.api import SYSTEM, BriefingPeriod, MetricsQuery, TotalsRequest, Window, coverage_share
from metrics.coverage import coverage_matrix
from metrics.quarantine import quarantine_summary
from metrics.snapshots import BriefingStore
from metrics.status import source_status
from metrics.models import EtlRun, QuarantinedRow
from dashboard.i18n import t
from tests.dashboard import seed_data
from tests.e2e.grid_helpers import filter_text, grid_cells, wait_for_count, wait_for_rows

pytestmark = pytest.mark.e2e
QUARTER = "2025Q3"  # the last completed quarter at the seeded clock, the publish form's default
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
BAD_ROWS = [("440000", "r-17", "amount_yuan '-35000' is below 0"), ("440000", "r-18", "amount_yuan '-12' is below 0"),
            (None, "r-40", "unknown unit 'Atlantis'")]


@pytest.fixture(scope="module")
def quarantined(e2e_store):
    """Rows the regulator-clues load set aside, attached to its seeded successful run (no new run, so the
    freshness banner the other tests check is unchanged)."""
    with Session(e2e_store) as session, session.begin():
        run_id = session.scalars(select(EtlRun.id).where(EtlRun.source == "regulator_clues",
                                                         EtlRun.status == "success")).first()
        session.add_all([QuarantinedRow(run_id=run_id, source="regulator_clues", unit_code=unit, row_ref=ref,
                                        raw='{"row": "' + ref + '"}', reason=reason) for unit, ref, reason in BAD_ROWS])
    return e2e_store


def table_rows(page, selector: str) -> list[dict]:
    """The cells of a rendered table keyed by its header texts."""
    return page.evaluate("""sel => { const t = document.querySelector(sel);
        const heads = Array.from(t.querySelectorAll('thead th')).map(th => th.innerText.trim());
        return Array.from(t.querySelectorAll('tbody tr')).map(tr => Object.fromEntries(
            Array.from(tr.querySelectorAll('td')).map((td, i) => [heads[i], td.innerText.trim()]))); }""", selector)


def compare_cells(page) -> dict[str, str]:
    """The "as of the brief" / "now" / difference table, row header to cell."""
    return {r[0]: r[1] for r in page.evaluate("""() => Array.from(document.querySelectorAll(
        '#briefings-compare tbody tr')).map(tr => [tr.querySelector('th').innerText, tr.querySelector('td').innerText])""")}


def pick(page, dropdown_id: str, value: str) -> None:
    page.locator(f"#{dropdown_id}").click()
    page.locator(f"[role=option]:has(input[value='{value}'])").click()


def total(engine, metric: str, window: Window, unit: str | None = None) -> int:
    return int(MetricsQuery(engine, SYSTEM).totals(TotalsRequest(window, (metric,), unit=unit)).frame["value"].iloc[0])


def test_briefings_publish_versions_downloads_and_as_of_vs_now(page_as, live_server, e2e_store, screenshot):
    before = len(BriefingStore(e2e_store).versions(QUARTER))
    page = page_as("admin")
    page.goto(live_server + "/briefings")
    form = page.locator("#briefings-publish")
    assert form.locator("input[name=quarter]").input_value() == QUARTER
    # Published through the metrics API: the page's form works, but its CSRF token can be lost right after
    # sign-in (concurrent callbacks re-set the session cookie without it), which would make this test flaky.
    published = BriefingStore(e2e_store).publish(BriefingPeriod.for_quarter(QUARTER), now=seed_data.CLOCK_NOW,
                                                 force=True)
    page.reload()
    versions = BriefingStore(e2e_store).versions(QUARTER)
    assert len(versions) == before + 1
    brief = published.briefing
    assert published.created
    assert brief.id == versions[0]["id"]

    page.locator(".lang-link").click()  # switch to English on this page, in place
    page.wait_for_url(re.compile(r"/briefings\?.*lang=en"))
    page.wait_for_function("() => document.querySelector('h2').innerText === 'Published briefs'")
    page.wait_for_selector("#briefings-compare table")
    assert page.locator("h2").first.inner_text() == "Published briefs"
    row = table_rows(page, ".briefings > table.data-table")[0]
    assert row["Version"].startswith(f"{QUARTER} version {brief.version} (")
    assert row["Content hash"] == brief.content_hash[:16]
    links = page.locator(".briefings > table.data-table tbody tr").first.locator("a.download-link")
    assert links.all_inner_texts() == ["ZH PDF", "ZH DOCX", "ZH HTML", "EN PDF", "EN DOCX", "EN HTML", "JSON"]
    payload = page.request.get(live_server + links.last.get_attribute("href"))  # the signed-in session's cookie
    assert payload.ok and payload.json() == brief.payload
    html_file = page.request.get(live_server + links.nth(5).get_attribute("href"))
    assert html_file.ok and html_file.headers["content-type"].startswith("text/html")
    assert f"{QUARTER}" in html_file.text()

    # As of the brief vs now, for clue referrals nationally over the campaign window the brief froze.
    start, end = (dt.date.fromisoformat(d) for d in brief.content["windows"]["campaign"])
    frozen = brief.content["figures"]["campaign"]["national"]["clue_referrals"]
    now = total(e2e_store, "clue_referrals", Window(start, end))
    assert frozen == now  # nothing was loaded after publishing
    page.wait_for_function("() => document.querySelector('#briefings-compare caption').innerText"
                           ".startsWith('Clues referred to police · national')")
    assert compare_cells(page) == {"As of the brief": f"{frozen:,}", "Now": f"{now:,}", "Difference": "+0"}
    assert f"{start} – {end}" in page.locator("#briefings-compare caption").inner_text()

    # Pick an amount for one bureau from the dropdowns, as a reader would.
    pick(page, "briefings-metric", "clue_referral_amount")
    pick(page, "briefings-scope", "440000")
    page.wait_for_function("() => document.querySelector('#briefings-compare caption').innerText"
                           ".startsWith('Amount in referred clues · Guangdong')")
    frozen = brief.content["figures"]["campaign"]["units"]["440000"]["clue_referral_amount"]
    now = total(e2e_store, "clue_referral_amount", Window(start, end), "440000")
    assert frozen == now
    assert compare_cells(page) == {"As of the brief": figure_text(frozen, "yuan", "en"),
                                   "Now": figure_text(now, "yuan", "en"), "Difference": "+0"}
    screenshot(page, "briefings.png")


def test_data_page_runs_coverage_and_quarantine(page_as, live_server, quarantined, screenshot):
    page = page_as("admin")
    page.goto(live_server + "/data?lang=en&range=lq")
    wait_for_rows(page, "data-runs-grid")
    status = source_status(quarantined, now=seed_data.CLOCK_NOW, expected_every=seed_data.EXPECTED_EVERY)
    runs = {r["source"]: r for r in grid_cells(page, "data-runs-grid")}
    assert set(runs) == {t(f"source_{s}", "en") for s in status["source"]}
    for want in status.to_dict("records"):
        row = runs[t(f"source_{want['source']}", "en")]
        assert row["status"] == t(f"state_{want['status']}", "en")
        assert row["stale"] == ("yes" if want["stale"] else "no")
        assert int(row["rows_loaded"]) == int(want["rows_loaded"])
        assert row["last_success_at"] == "" or re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row["last_success_at"])
    assert runs["Activity sheets"]["status"] == "failed" and runs["Activity sheets"]["error"] == "sheet missing"

    # The coverage heatmap: one row per bureau (36) by the quarter's three months.
    page.wait_for_function("() => { const p = document.querySelector('#data-coverage .js-plotly-plot');"
                           " return p && p.data && p.data.some(t => t.type === 'heatmap'); }")
    shape = page.evaluate("""() => { const t = document.querySelector('#data-coverage .js-plotly-plot').data
        .find(t => t.type === 'heatmap'); return [t.z.length, t.z[0].length]; }""")
    assert shape == [36, 3]
    assert page.locator("#data-coverage .main-svg").count() > 0
    matrix = coverage_matrix(quarantined, Window(dt.date(2025, 7, 1), dt.date(2025, 9, 30)))
    shares = [f"{t('source_' + s, 'en')}: Share reported {coverage_share(matrix, {s}) * 100:.1f}%"
              for s in sorted(set(matrix["source"]))]
    assert page.locator("#data-coverage-note").inner_text() == " · ".join(shares)

    wait_for_rows(page, "data-quarantine-summary-grid")
    expected = quarantine_summary(quarantined, SYSTEM)
    summary = [(r["source"], r["reason_kind"], int(r["rows"])) for r in grid_cells(page, "data-quarantine-summary-grid")]
    assert summary == [(t(f"source_{s}", "en"), k, int(n)) for s, k, n in
                       zip(expected["source"], expected["reason_kind"], expected["rows"])]
    assert ("Regulator clues", "amount_yuan '…' is below 0", 2) in summary
    wait_for_rows(page, "data-quarantine-grid")
    filter_text(page, "data-quarantine-grid", "reason", "Atlantis")
    wait_for_count(page, "data-quarantine-grid", 1)
    assert [r["row_ref"] for r in grid_cells(page, "data-quarantine-grid")] == ["r-40"]
    page.wait_for_selector("#data-funnel .main-svg")
    page.wait_for_selector("#data-anomaly-figure .main-svg")
    screenshot(page, "data.png")


def test_admin_and_audit_show_this_sign_in(page_as, live_server):
    signed_in_from = dt.datetime.now(SHANGHAI).replace(microsecond=0)
    page = page_as("admin")
    page.goto(live_server + "/admin")
    page.wait_for_selector("#admin-etl-form")
    wait_for_rows(page, "admin-users-grid")
    users = {r["name"]: r for r in grid_cells(page, "admin-users-grid")}
    assert users["admin"]["role"] == "管理员" and "440000" in users["gd"]["unit"]
    assert page.locator(".global-controls").count() == 0  # no period, unit or category that do nothing here

    page.goto(live_server + "/audit")
    wait_for_rows(page, "audit-grid")
    mine = [r for r in grid_cells(page, "audit-grid") if r["actor"] == "admin" and r["action"] == "登录成功"]
    assert mine, "the audit page does not list the admin's sign-in"
    newest = dt.datetime.strptime(mine[0]["at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    assert newest >= signed_in_from
    assert mine[0]["remote_addr"] == "127.0.0.1" and "角色: admin" in mine[0]["detail"]
    assert page.locator(".global-controls").count() == 0


@pytest.mark.parametrize("path", ["/admin", "/audit"])
def test_a_bureau_user_is_refused_admin_pages(page_as, live_server, path):
    page = page_as("gd")
    page.goto(live_server + "/?lang=en")
    page.locator(".nav-link").first.wait_for()
    assert page.locator(".nav-link", has_text=re.compile("^(Admin|Audit)$")).count() == 0
    refused_page = page.context.new_page()  # same sign-in; its expected 403 is not one of page_as' browser errors
    answer = refused_page.goto(live_server + path + "?lang=en")
    assert answer.status == 403
    refused_page.get_by_text("Your role may not open this page.", exact=True).wait_for()
    assert refused_page.locator("table").count() == 0 and refused_page.locator("#admin-etl-form").count() == 0
    refused = page.request.post(live_server + "/admin/briefings/publish", form={"quarter": QUARTER})
    assert refused.status == 403
