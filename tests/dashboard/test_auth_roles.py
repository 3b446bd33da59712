"""Roles, enforced below the callbacks: crafted Dash POSTs, admin actions and the admin pages."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from metrics.api import children
from metrics.models import AuditEvent, BriefingSnapshot, EtlRun, QuarantinedRow
from tests.auth_helpers import csrf_token, dash_request, router_request, signed_in_client

READY = {"id": {"page": "regions", "type": "page-ready"}, "property": "data", "value": True}


def drill_request(unit: str) -> dict:
    """What the browser sends when the Regions page shows the drill-down of `unit` (callbacks/regions.py)."""
    outputs = [("regions-sub-bureaus", "figure"), ("regions-unit-trend", "figure")]
    return dash_request(".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
                        [{"id": i, "property": p} for i, p in outputs],
                        [READY, {"id": "url", "property": "search", "value": f"?unit={unit}&metric=clue_referrals"}],
                        ["url.search"])


def drill_csv_request(unit: str) -> dict:
    """The Regions page's CSV button on the drill card: a pattern-matching (ALL) input plus the URL as state."""
    button = {"chart": "drill", "page": "regions", "type": "csv"}
    output = {"page": "regions", "type": "download"}
    return dash_request(json.dumps(output, separators=(",", ":"), sort_keys=True) + ".data",
                        {"id": output, "property": "data"},
                        [[{"id": button, "property": "n_clicks", "value": 1}]],
                        [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
                        [{"id": "url", "property": "search", "value": f"?unit={unit}"}])


def page_request(path: str) -> dict:
    return router_request(path, "?lang=en")


def text_of(response) -> str:
    """The body with non-ASCII unescaped (Dash's JSON writes Chinese names as \\u escapes)."""
    return json.dumps(response.json, ensure_ascii=False) if response.is_json else response.get_data(as_text=True)


def _count(engine, model, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def sub_bureau_names(code: str) -> list[str]:
    return [u.name_en for u in children(code)] + [u.name_zh for u in children(code)]


def test_a_bureau_cannot_drill_into_another_bureau_by_crafting_the_callback(secured):
    gd = signed_in_client(secured.app, "gd")
    other = gd.post("/_dash-update-component", json=drill_request("510000"))
    # Not a bare 403 that leaves the previous drill on screen: the honest state and the bureau-level trend.
    assert other.status_code == 200
    subs = other.json["response"]["regions-sub-bureaus"]["figure"]
    assert "不属于您的查看范围" in json.dumps(subs, ensure_ascii=False) and subs["data"] == []  # the reason, no bars
    assert not any(name in text_of(other) for name in sub_bureau_names("510000"))
    own = gd.post("/_dash-update-component", json=drill_request("440000"))
    subs = own.json["response"]["regions-sub-bureaus"]["figure"]
    assert own.status_code == 200 and subs["data"][0]["type"] == "bar"
    assert any(name in json.dumps(subs, ensure_ascii=False) for name in sub_bureau_names("440000"))
    lead = signed_in_client(secured.app, "lead").post("/_dash-update-component", json=drill_request("510000"))
    assert lead.status_code == 200 and any(name in text_of(lead) for name in sub_bureau_names("510000"))


def test_a_bureau_cannot_download_another_bureaus_sub_bureaus_and_downloads_are_audited(secured):
    gd = signed_in_client(secured.app, "gd")
    before = _count(secured.engine, AuditEvent, AuditEvent.action == "download")
    assert gd.post("/_dash-update-component", json=drill_csv_request("510000")).status_code == 403
    own = gd.post("/_dash-update-component", json=drill_csv_request("440000"))
    assert own.status_code == 200
    csv = own.json["response"]["{\"page\":\"regions\",\"type\":\"download\"}"]["data"]["content"]
    assert csv.startswith("unit_code,") and "440100" in csv
    with secured.engine.connect() as conn:
        rows = conn.execute(select(AuditEvent.actor, AuditEvent.detail).where(AuditEvent.action == "download")
                            .order_by(AuditEvent.id)).all()[before:]
    assert len(rows) == 1 and rows[0].actor == "gd" and '"kind": "csv"' in rows[0].detail


def test_bureau_level_comparison_figures_stay_visible_to_a_bureau(secured):
    gd = signed_in_client(secured.app, "gd")
    ranking = dash_request("..regions-map.figure...regions-ranking.figure...regions-denominator.children..",
                           [{"id": "regions-map", "property": "figure"}, {"id": "regions-ranking", "property": "figure"},
                            {"id": "regions-denominator", "property": "children"}],
                           [READY, {"id": "url", "property": "search", "value": "?unit=510000"}], ["url.search"])
    response = gd.post("/_dash-update-component", json=ranking)
    assert response.status_code == 200 and "四川" in text_of(response) and "广东" in text_of(response)


def test_leadership_and_bureaus_cannot_run_the_etl(secured):
    runs = _count(secured.engine, EtlRun, EtlRun.trigger == "manual")
    for name in ("lead", "gd"):
        client = signed_in_client(secured.app, name)
        response = client.post("/admin/etl/run", data={"csrf_token": csrf_token(client)})
        assert response.status_code == 403 and response.json["error"] == "forbidden"
        assert client.post("/admin/briefings/publish", data={"csrf_token": csrf_token(client),
                                                             "quarter": "2025Q3"}).status_code == 403
    assert _count(secured.engine, EtlRun, EtlRun.trigger == "manual") == runs
    assert _count(secured.engine, BriefingSnapshot) == 0


def test_an_admin_runs_the_etl_and_publishes_a_brief_both_audited(secured):
    admin = signed_in_client(secured.app, "admin")
    assert admin.post("/admin/etl/run").status_code == 400  # a browser session needs the form's CSRF token
    response = admin.post("/admin/etl/run", data={"csrf_token": csrf_token(admin)})
    assert response.status_code == 303 and response.headers["Location"] == "/admin?etl=done"
    assert _count(secured.engine, EtlRun, EtlRun.trigger == "manual", EtlRun.source == "clues") == 1
    assert _count(secured.engine, QuarantinedRow, QuarantinedRow.source == "clues") >= 3
    published = admin.post("/admin/briefings/publish", data={"csrf_token": csrf_token(admin), "quarter": "2025Q3"})
    assert published.status_code == 303 and published.headers["Location"] == "/briefings"
    in_english = admin.post("/admin/briefings/publish", data={"csrf_token": csrf_token(admin), "quarter": "2025Q3",
                                                              "lang": "en"})
    assert in_english.status_code == 303 and in_english.headers["Location"] == "/briefings?lang=en"  # stays English
    assert admin.post("/admin/briefings/publish", data={"csrf_token": csrf_token(admin),
                                                        "quarter": "2025Q9"}).status_code == 400
    with secured.engine.connect() as conn:
        events = dict(conn.execute(select(AuditEvent.action, AuditEvent.detail)
                                   .where(AuditEvent.action.in_(["etl_run", "briefing_publish"]))).all())
    assert '"source": "clues"' in events["etl_run"] and '"status": "success"' in events["etl_run"]
    assert '"period": "2025Q3"' in events["briefing_publish"]
    snapshot_id = json.loads(events["briefing_publish"])["snapshot_id"]
    # Any signed-in user may download a published brief; the download is audited.
    gd = signed_in_client(secured.app, "gd")
    payload = gd.get(f"/briefings/files/{snapshot_id}/payload.json")
    assert payload.status_code == 200 and json.loads(payload.data)["content"]["period"] == "2025Q3"
    with secured.engine.connect() as conn:
        last = conn.execute(select(AuditEvent.actor, AuditEvent.action, AuditEvent.detail)
                            .order_by(AuditEvent.id.desc()).limit(1)).one()
    assert last.actor == "gd" and last.action == "download" and "briefing_payload" in last.detail


def test_admin_pages_show_nothing_to_others(secured):
    gd = signed_in_client(secured.app, "gd")
    for path in ("/audit", "/admin"):  # refused on the server (dashboard/page_access.py)
        refused = gd.post("/_dash-update-component", json=page_request(path))
        text = text_of(refused)
        assert refused.status_code == 403 and "login_ok" not in text and "argon2" not in text
    nav = text_of(gd.post("/_dash-update-component", json=page_request("/")))
    assert '"path": "/audit"' not in nav and '"path": "/regions"' in nav and "Sign out" in nav
    admin = signed_in_client(secured.app, "admin")
    audit_page = text_of(admin.post("/_dash-update-component", json=page_request("/audit")))
    assert "login_ok" in audit_page and "Audit log" in audit_page
    admin_page = text_of(admin.post("/_dash-update-component", json=page_request("/admin")))
    assert "Run ETL now" in admin_page and "leadership" in admin_page and "/admin/etl/run" in admin_page
    briefings = text_of(admin.post("/_dash-update-component", json=page_request("/briefings")))
    assert "/admin/briefings/publish" in briefings
    lead = signed_in_client(secured.app, "lead").post("/_dash-update-component", json=page_request("/briefings"))
    assert "/admin/briefings/publish" not in text_of(lead)
