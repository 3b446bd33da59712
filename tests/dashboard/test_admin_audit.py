"""Admin and Audit pages: the audit grid's pages come from the query layer and only administrators get them;
events in words, details as "key: value", every time in Beijing time to the second; no global filter bar;
the Compare gap in the metric's own unit."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy.orm import Session

from dashboard.callbacks import audit as audit_cb
from dashboard.callbacks import shell as shell_cb
from dashboard.callbacks.compare import comparison_rows, table_columns
from dashboard.i18n import known, t
from figures.formatting import format_gap
from metrics.models import AuditEvent
from tests.auth_helpers import acting_as, dash_request, signed_in_client

ROOT = Path(__file__).resolve().parents[2]
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def rows_request(start: int = 0, end: int = 50, *, event=None, user=None, since=None, until=None,
                 sort=(), filters=None) -> dict:
    """What the browser sends when the audit grid asks for rows (AG Grid's infinite row model)."""
    grid = {"startRow": start, "endRow": end, "sortModel": [{"colId": c, "sort": d} for c, d in sort],
            "filterModel": filters or {}}
    return dash_request("audit-grid.getRowsResponse", {"id": "audit-grid", "property": "getRowsResponse"},
                        [{"id": "audit-grid", "property": "getRowsRequest", "value": grid}],
                        ["audit-grid.getRowsRequest"],
                        [{"id": "audit-event", "property": "value", "value": event},
                         {"id": "audit-user", "property": "value", "value": user},
                         {"id": "audit-days", "property": "start_date", "value": since},
                         {"id": "audit-days", "property": "end_date", "value": until},
                         {"id": "url", "property": "search", "value": "?lang=en"}])


def response_rows(response) -> dict:
    return response.json["response"]["audit-grid"]["getRowsResponse"]


@pytest.fixture(scope="module")
def trail(secured):
    """65 downloads by 'auditee' at 23:30 UTC on 2025-11-30 (07:30 on 2025-12-01 in Beijing), microseconds set."""
    at = dt.datetime(2025, 11, 30, 23, 30, 5, 123456, tzinfo=dt.timezone.utc)
    with Session(secured.engine) as s, s.begin():
        s.add_all([AuditEvent(at=at, actor="auditee", action="download", remote_addr="10.1.1.1",
                              detail=json.dumps({"kind": "csv", "path": f"/p/{i}"})) for i in range(65)])
    return secured


def test_an_admin_pages_filters_and_sorts_the_trail_in_the_query(trail):
    admin = signed_in_client(trail.app, "admin")
    first = response_rows(admin.post("/_dash-update-component", json=rows_request(event="download", user="auditee")))
    assert first["rowCount"] == 65 and len(first["rowData"]) == 50
    row = first["rowData"][0]
    assert row["at"] == "2025-12-01 07:30:05" and row["action"] == "Download"
    assert row["detail"] == "kind: csv; path: /p/64"  # newest first
    last = response_rows(admin.post("/_dash-update-component", json=rows_request(50, 100, event="download",
                                                                                  user="auditee")))
    assert len(last["rowData"]) == 15
    # Beijing days: the events fall on 2025-12-01 there, not on 2025-11-30 (their UTC day).
    assert response_rows(admin.post("/_dash-update-component", json=rows_request(
        user="auditee", since="2025-11-30", until="2025-11-30")))["rowCount"] == 0
    assert response_rows(admin.post("/_dash-update-component", json=rows_request(
        user="auditee", since="2025-12-01", until="2025-12-01")))["rowCount"] == 65
    column = response_rows(admin.post("/_dash-update-component", json=rows_request(
        user="auditee", filters={"detail": {"filterType": "text", "type": "contains", "filter": "/p/1"}},
        sort=(("detail", "asc"),))))
    assert column["rowCount"] == 11 and column["rowData"][0]["detail"].endswith("/p/1")
    sign_ins = response_rows(admin.post("/_dash-update-component", json=rows_request(event="login_ok")))
    assert sign_ins["rowCount"] >= 1 and {r["action"] for r in sign_ins["rowData"]} == {"Signed in"}
    assert all(SECOND.match(r["at"]) for r in sign_ins["rowData"])


@pytest.mark.parametrize("user", ["lead", "gd"])
def test_no_one_else_can_page_into_the_trail(trail, user):
    client = signed_in_client(trail.app, user)
    for body in (rows_request(), rows_request(500, 550, event="download"), rows_request(user="auditee")):
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 403 and response.json["error"] == "forbidden"
        assert "auditee" not in response.get_data(as_text=True)


def test_admin_and_audit_have_no_global_filter_bar_and_show_beijing_time(trail):
    with acting_as(trail.app, trail.engine, "admin"):
        for path, expected in (("/admin", False), ("/audit", False), ("/", True), ("/compare", True)):
            header, main = shell_cb.render_page(path, "?lang=en")
            text = json.dumps(header.to_plotly_json(), cls=PlotlyJSONEncoder)
            assert ('"global-controls"' in text) is expected, path
            assert ('"view-state"' in text) is expected, path
        trail.run_etl()  # a last success to show
        _, main = shell_cb.render_page("/admin", "?lang=zh")
        page = json.dumps(main.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)
        assert '"admin-sources-grid"' in page and '"admin-users-grid"' in page
        times = re.findall(r'"last_success_at": "([^"]+)"', page)
        assert times and all(SECOND.match(v) for v in times if v != "—"), times
        assert "+00:00" not in page and "管理员" in page and "领导" in page  # roles in words


def test_bad_days_say_so_instead_of_a_different_log(trail):
    with acting_as(trail.app, trail.engine, "admin"):
        body, note = audit_cb.refresh_grid(None, None, "2025-12-02", "2025-12-01", "?lang=en")
    assert body is None and note == t("audit_bad_days", "en")


def test_events_in_words_and_details_as_key_value():
    assert audit_cb.event_name("login_ok", "zh") == "登录成功"
    assert audit_cb.event_name("login_ok", "en") == "Signed in"
    assert audit_cb.event_name("something_new", "en") == "something_new"  # unknown: as stored, not a crash
    detail = json.dumps({"role": "bureau", "unit": "440000", "sources": [{"source": "x", "status": "ok"}]})
    assert audit_cb.detail_text(detail, "en") == "role: bureau; unit: 440000; sources: source=x, status=ok"
    assert audit_cb.detail_text(detail, "zh").startswith("角色: bureau; 单位: 440000")
    assert audit_cb.detail_text("plain words", "en") == "plain words"
    assert audit_cb.detail_text(None, "en") == ""


def _written_events() -> set[str]:
    """Every audit event type the code writes (audit(...), record_audit(...), AuditEvent(action=...))."""
    found = set()
    patterns = [re.compile(r'\baudit\([\w.()]+, "([a-z_]+)"'), re.compile(r'record_audit\((?:[a-z_]+, )?"([a-z_]+)"'),
                re.compile(r'AuditEvent\([^()]*?action="([a-z_]+)"')]
    for folder in ("dashboard", "metrics", "etl", "alerts", "briefing"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in patterns:
                found |= set(pattern.findall(text))
    found |= {f"return_{a}" for a in ("save", "submit", "approve", "send_back")}  # action=f"return_{action}"
    return found


def test_every_event_the_code_writes_has_a_name_in_both_languages():
    events = _written_events()
    assert {"login_ok", "api", "download", "etl_run", "target_set", "quarter_signoff", "alert_digest"} <= events
    missing = sorted(e for e in events if not known(f"event_{e}"))
    assert missing == []
    assert all(t(f"event_{e}", "zh") != t(f"event_{e}", "en") for e in events)


@pytest.mark.parametrize("value, unit, rate, lang, expected", [
    (-123_456_789, "yuan", "total", "zh", "−1.23亿元"),
    (-123_456_789, "yuan", "total", "en", "−123.46 million yuan"),
    (2_346_000_000, "yuan", "total", "en", "+2.35 billion yuan"),
    (15_300_000, "yuan", "per_capita", "zh", "+1,530万元"),  # a yuan rate stays in yuan, never a bare number
    (12.5, "count", "total", "en", "+12.5"),
    (-0.347, "count", "per_capita", "zh", "−0.35"),
    (2_500_000, "people", "per_gdp", "en", "+2.5 million people"),
    (0, "count", "total", "en", "0"),
    (None, "yuan", "total", "zh", "—"),
])
def test_the_gap_is_in_the_metrics_own_unit(value, unit, rate, lang, expected):
    assert format_gap(value, lang, unit=unit, rate=rate) == expected


def test_compare_rows_carry_text_and_number_and_a_short_gap_header():
    import pandas as pd

    frame = pd.DataFrame([{"metric": m, "rate": r, "value": v, "rank": 3, "of": 36, "percentile": 90.0,
                           "peer_rank": 1, "peer_of": 5, "gap_to_median": g, "pct_vs_previous": 10.0,
                           "pct_vs_year_ago": None}
                          for m, v, g in (("clue_referral_amount", 2.1e9, 1.5e9), ("clue_referrals", 400, -12))
                          for r in ("total", "per_capita", "per_gdp")])
    rows = {r["metric"]: r for r in comparison_rows(frame, "total", "zh")}
    amount = rows["线索移送涉案金额"] if "线索移送涉案金额" in rows else next(iter(rows.values()))
    assert amount["gap"] == "+15亿元" and amount["gap_n"] == 1.5e9
    count = next(r for r in rows.values() if r is not amount)
    assert count["gap"] == "−12" and count["rank_total"] == "3/36" and count["rank_total_n"] == 3
    header = dict(table_columns("per_capita", "en"))["gap"]
    assert header == "Gap · Per capita" and len(header) <= 20


def test_the_filtered_trail_downloads_as_csv_and_the_download_is_audited(trail):
    import io

    import pandas as pd

    admin = signed_in_client(trail.app, "admin")
    button = {"chart": "log", "page": "audit", "type": "csv"}
    output = {"page": "audit", "type": "download"}
    body = dash_request(json.dumps(output, separators=(",", ":"), sort_keys=True) + ".data",
                        {"id": output, "property": "data"}, [{"id": button, "property": "n_clicks", "value": 1}],
                        [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
                        [{"id": "audit-event", "property": "value", "value": "download"},
                         {"id": "audit-user", "property": "value", "value": "auditee"},
                         {"id": "audit-days", "property": "start_date", "value": None},
                         {"id": "audit-days", "property": "end_date", "value": None}])
    response = admin.post("/_dash-update-component", json=body)
    sent = response.json["response"]['{"page":"audit","type":"download"}']["data"]
    frame = pd.read_csv(io.StringIO(sent["content"]))
    assert len(frame) == 65 and set(frame["actor"]) == {"auditee"} and set(frame["action"]) == {"download"}
    downloads = response_rows(admin.post("/_dash-update-component", json=rows_request(event="download", user="admin")))
    assert any("kind: csv" in r["detail"] and "audit" in r["detail"] for r in downloads["rowData"])
    assert signed_in_client(trail.app, "gd").post("/_dash-update-component", json=body).status_code == 403
