"""Briefings page and download routes over a published brief and a later correction."""
from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest

from metrics.api import BriefingPeriod, MetricsStore, Principal
from metrics.config import Settings, StoreSettings
from metrics.db import make_engine, upgrade
from metrics.models import utcnow
from metrics.snapshots import BriefingStore
from metrics.users import add_user
from tests.auth_helpers import acting_as, add_test_users, password, signed_in_client
from tests.briefing.seed import COLUMNS, D, load, seed, seed_rows


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from dashboard.app_factory import create_app

    root = tmp_path_factory.mktemp("data")
    engine = make_engine(f"sqlite:///{root / 'imd.sqlite'}")
    upgrade(engine)
    seed(engine)
    first = BriefingStore(engine).publish(BriefingPeriod.for_as_of(D(2025, 11, 30)), now=utcnow()).briefing
    rows = pd.DataFrame(seed_rows(), columns=COLUMNS)
    fix = rows[(rows["day"] == D(2025, 10, 15)) & (rows["metric_id"] == "education_events")].copy()
    fix.loc[fix["unit_code"] == "330000", "value"] += 10
    load(engine, "activity_sheets", fix, D(2025, 10, 15), D(2025, 10, 15), run=True)
    settings = Settings(data_dir=root, store=StoreSettings(url=str(engine.url)), sources_path=root / "none.yaml")
    app = create_app(settings, MetricsStore(engine))  # registers the download routes, behind sign-in
    add_test_users(engine)
    add_user(engine, "ed", "editor", password("ed"))
    yield app, first
    engine.dispose()


def test_downloads(served):
    app, first = served
    assert app.server.test_client().get(f"/briefings/files/{first.id}/zh.pdf").status_code == 401
    client = signed_in_client(app, "gd")
    pdf = client.get(f"/briefings/files/{first.id}/zh.pdf")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    payload = client.get(f"/briefings/files/{first.id}/payload.json")
    assert payload.headers["X-Content-SHA256"] == first.content_hash
    assert json.loads(payload.data)["content"]["period"] == "2025-11-30"
    assert client.get(f"/briefings/files/{first.id}/charts/progress_zh.png").data[:4] == b"\x89PNG"
    assert client.get("/briefings/files/999/zh.pdf").status_code == 404
    assert client.get(f"/briefings/files/{first.id}/fr.pdf").status_code == 404


def test_page_shows_brief_against_now(served):
    from dashboard.pages import briefings

    app, first = served
    with acting_as(app, app.server.extensions["imd_dashboard"].store.accounts, "lead", "/briefings"):
        page = str(briefings.layout(lang="en"))
        assert f"/briefings/files/{first.id}/zh.pdf" in page
        table, revision = briefings.update_compare(first.id, "education_events", "330000", "quarter", "en")
        cells = [str(c) for c in table.children[1].children]
        frozen = first.content["figures"]["quarter"]["units"]["330000"]["education_events"]
        assert f"{frozen:,}" in cells[0] and f"{frozen + 10:,}" in cells[1] and "+10" in cells[2]
        assert "First version." in str(revision)
        metrics, scopes = briefings.update_choices(first.id, "zh")
        assert {"label": "全国", "value": "CN"} in scopes and len(scopes) == 38


def test_an_editor_writes_brief_text_and_a_bureau_user_cannot(served):
    """The staff-text route: an editor (a national reader who writes briefs) saves through the real form
    route with its CSRF token; a bureau user is refused and nothing is written."""
    app, first = served
    store = app.server.extensions["imd_dashboard"].store
    editor = signed_in_client(app, "ed")
    page = editor.get("/briefings").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'csrf_token[^>]*value="([^"]+)"', editor.get("/login").get_data(as_text=True))
    saved = editor.post("/briefings/text", data={"quarter": "2025Q4", "text:3:key_work:zh": "联合清理违法广告。",
                                                 "csrf_token": token.group(1)})
    assert saved.status_code == 303 and saved.headers["Location"].endswith("/briefings?quarter=2025Q4")
    again = editor.post("/briefings/text", data={"quarter": "2025Q4", "text:3:key_work:zh": "联合清理违法广告。",
                                                 "lang": "en", "csrf_token": token.group(1)})
    assert again.headers["Location"].endswith("/briefings?quarter=2025Q4&lang=en")  # a page in English stays so
    reads = store.query(Principal("ed", "editor")).briefings
    assert reads.texts("2025Q4") == {("3", "key_work", "zh"): "联合清理违法广告。"}
    draft = reads.build(BriefingPeriod.for_as_of(D(2025, 11, 30)), now=utcnow())
    assert draft.payload["staff"]["zh"]["directions"]["3"]["key_work"] == "联合清理违法广告。"

    bureau = signed_in_client(app, "gd")
    refused = bureau.post("/briefings/text", data={"quarter": "2025Q4", "text:3:key_work:zh": "x"})
    assert refused.status_code == 403
    assert reads.texts("2025Q4") == {("3", "key_work", "zh"): "联合清理违法广告。"}
