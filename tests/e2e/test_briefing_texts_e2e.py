"""Staff-written text in a real browser: an administrator types key work, next steps and a case note on the
Briefings page, saves, and after publishing finds them in the published brief, frozen with its figures."""
from __future__ import annotations

import json

import pytest

from metrics.api import SYSTEM, BriefingPeriod
from metrics.snapshots import BriefingStore, BriefingTexts
from tests.dashboard import seed_data

pytestmark = pytest.mark.e2e
QUARTER = "2025Q3"  # the last completed quarter at the seeded clock: the editor's default
KEY_WORK = "会同公安机关建立线索双向移送和会商机制，对非法贷款中介开展专项检查。"
NEXT_STEPS = "Extend the supervisory big-data model to vehicle-insurance fraud."
CASE = "某地非法贷款中介团伙案：监管部门移送线索后公安机关立案侦查。"


def _fresh(page, url: str) -> None:
    """Load the page and let its callbacks settle, then load it again so the form carries a current CSRF token."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.reload()
    page.wait_for_load_state("networkidle")


def test_typed_text_is_published_and_frozen(page_as, live_server, e2e_store):
    page = page_as("admin")
    _fresh(page, live_server + "/briefings")
    form = page.locator("#briefings-texts")
    assert form.locator("input[name=quarter]").input_value() == QUARTER
    page.fill("#brief-text-1-key_work-zh", KEY_WORK)
    page.fill("#brief-text-2-next_steps-en", NEXT_STEPS)
    page.fill("#brief-text-case_notes-case_notes-zh", CASE)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/briefings?quarter={QUARTER}")
    page.wait_for_load_state("networkidle")
    assert page.locator("#brief-text-1-key_work-zh").input_value() == KEY_WORK  # saved and shown again
    assert BriefingTexts(e2e_store).rows(QUARTER, SYSTEM)[("2", "next_steps", "en")] == NEXT_STEPS

    store = BriefingStore(e2e_store)
    published = store.publish(BriefingPeriod.for_quarter(QUARTER), now=seed_data.CLOCK_NOW).briefing
    zh = page.request.get(f"{live_server}/briefings/files/{published.id}/zh.html")
    assert zh.ok
    html = zh.text()
    assert "重点工作" in html and KEY_WORK in html and "典型案例" in html and CASE in html
    en = page.request.get(f"{live_server}/briefings/files/{published.id}/en.html").text()
    assert "Next steps" in en and NEXT_STEPS in en

    # An edit afterwards changes the draft, never the published version; publishing again names the change.
    _fresh(page, live_server + "/briefings")
    page.fill("#brief-text-1-key_work-zh", KEY_WORK + "已完成第一轮。")
    page.locator("#briefings-texts button[type=submit]").click()
    page.wait_for_url(f"**/briefings?quarter={QUARTER}")
    payload = json.loads(page.request.get(f"{live_server}/briefings/files/{published.id}/payload.json").text())
    assert payload["staff"]["zh"]["directions"]["1"]["key_work"] == KEY_WORK
    second = store.publish(BriefingPeriod.for_quarter(QUARTER), now=seed_data.CLOCK_NOW).briefing
    assert second.version == published.version + 1
    assert second.revision_note["text_changes"] == [{"section": "1", "field": "key_work", "lang": "zh"}]
    page.goto(live_server + "/briefings?lang=en")
    page.wait_for_selector("#briefings-revision li")
    assert "Text changed: From divided operations to joint governance · Key work." in \
        page.locator("#briefings-revision").inner_text()


def test_a_non_administrator_cannot_save_text(page_as, live_server, e2e_store):
    page = page_as("lead")
    _fresh(page, live_server + "/briefings")
    assert page.locator("#briefings-texts").count() == 0
    refused = page.request.post(live_server + "/briefings/text", form={"quarter": QUARTER,
                                                                       "text:1:key_work:zh": "x"})
    assert refused.status == 403
    assert ("1", "key_work", "zh") not in BriefingTexts(e2e_store).rows(QUARTER, SYSTEM) or \
        BriefingTexts(e2e_store).rows(QUARTER, SYSTEM)[("1", "key_work", "zh")] != "x"


def test_publishing_from_the_english_page_comes_back_in_english(page_as, live_server):
    page = page_as("admin")
    _fresh(page, live_server + "/briefings?lang=en")
    form = page.locator("#briefings-publish")
    assert form.locator("input[name=lang]").input_value() == "en"
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/briefings?lang=en")
    page.get_by_text("Published briefs").first.wait_for()
