"""The data API over the seeded store (SQLite and PostgreSQL): answers equal the query API's, roles apply to
tokens exactly as to sessions, bad parameters get a 400 with a message, and every call is audited."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from metrics.api import SYSTEM, BreakdownRequest, MetricsQuery, SeriesRequest, TotalsRequest, Window
from metrics.models import AuditEvent
from metrics.users import issue_token, set_active
from tests.auth_helpers import signed_in_client

Q3 = Window.quarter("2025Q3")


@pytest.fixture(scope="module")
def tokens(secured):
    return {name: {"Authorization": f"Bearer {issue_token(secured.engine, name, f'{name}-client')}"}
            for name in ("lead", "gd", "sc", "admin")}


@pytest.fixture(scope="module")
def api(secured):
    return secured.app.server.test_client()


def test_summary_equals_the_query_api_as_json_and_csv(secured, api, tokens):
    expected = MetricsQuery(secured.engine, SYSTEM).totals(TotalsRequest(Q3, unit="440000")).frame
    response = api.get("/api/v1/summary?from=2025-07-01&to=2025-09-30&unit=440000", headers=tokens["gd"])
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.json == expected.to_dict("records")
    assert list(response.json[0]) == ["metric", "unit", "value", "from", "to", "region"]
    as_csv = api.get("/api/v1/summary?from=2025-07-01&to=2025-09-30&unit=440000&format=csv", headers=tokens["gd"])
    rows = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    assert as_csv.mimetype == "text/csv" and [int(r["value"]) for r in rows] == expected["value"].tolist()
    by_accept = api.get("/api/v1/summary?from=2025-07-01&to=2025-09-30",
                        headers={**tokens["lead"], "Accept": "text/csv"})
    assert by_accept.mimetype == "text/csv" and by_accept.data.startswith(b"metric,unit,value")


def test_series_and_breakdown_match_the_query_api(secured, api, tokens):
    series = api.get("/api/v1/series?metrics=clue_referrals,risk_warnings&from=2025-01-01&to=2025-09-30"
                     "&grain=quarter&cumulative=true", headers=tokens["lead"]).json
    frame = MetricsQuery(secured.engine, SYSTEM).series(SeriesRequest(Window.quarter("2025Q1").__class__(
        Q3.start.replace(month=1), Q3.end), ("clue_referrals", "risk_warnings"), "quarter", True)).frame
    assert [r["value"] for r in series] == frame["value"].tolist()
    assert series[0]["period"] == "2025-01-01" and series[0]["label"] == "2025Q1"
    bureaus = api.get("/api/v1/breakdown?metrics=clue_referrals&from=2025-07-01&to=2025-09-30",
                      headers=tokens["sc"]).json
    expected = MetricsQuery(secured.engine, SYSTEM).breakdown(BreakdownRequest(Q3, ("clue_referrals",))).frame
    assert len(bureaus) == 36 and {r["unit_code"]: r["value"] for r in bureaus} == dict(
        zip(expected["unit_code"], expected["value"].tolist()))


def test_a_bureau_token_reads_its_own_detail_and_is_denied_anothers(secured, api, tokens):
    secured.run_etl()  # real quarantined rows: two of 广东 (440000), one of 北京 (110000), one unresolvable
    own = api.get("/api/v1/breakdown?level=sub_bureau&parent=440000&metrics=clue_referrals", headers=tokens["gd"])
    assert own.status_code == 200 and {r["unit_code"][:2] for r in own.json} == {"44"}
    for url in ("/api/v1/breakdown?level=sub_bureau&parent=510000", "/api/v1/quarantine?unit=110000",
                "/api/v1/series?unit=510100&metrics=clue_referrals", "/api/v1/summary?unit=510100"):
        denied = api.get(url, headers=tokens["gd"])
        assert denied.status_code == 403 and denied.json["error"] == "forbidden", url
    mine = api.get("/api/v1/quarantine", headers=tokens["gd"]).json
    assert mine and {r["unit_code"][:2] for r in mine} == {"44"} and all(r["reason"] for r in mine)
    everything = api.get("/api/v1/quarantine?source=clues", headers=tokens["lead"]).json
    assert len(everything) > len(mine) and any(r["unit_code"] is None for r in everything)
    assert api.get("/api/v1/breakdown?level=sub_bureau&parent=510000", headers=tokens["lead"]).status_code == 200
    # comparison figures (ranks among all bureaus) stay open to a bureau
    compared = api.get("/api/v1/compare?unit=510000&metrics=clue_referrals&from=2025-07-01&to=2025-09-30",
                       headers=tokens["gd"])
    assert compared.status_code == 200 and {r["rate"] for r in compared.json} == {"total", "per_capita", "per_gdp"}


def test_a_browser_session_may_use_the_api_too(secured):
    client = signed_in_client(secured.app, "gd")
    assert client.get("/api/v1/metrics").status_code == 200
    assert client.get("/api/v1/breakdown?level=sub_bureau&parent=510000").status_code == 403


@pytest.mark.parametrize("query,phrase", [
    ("summary?from=2025-02-30", "is not a date"),
    ("summary?from=2025-09-30&to=2025-07-01", "is later than"),
    ("summary?metrics=clue_referrals,nope", "unknown metric 'nope'"),
    ("summary?unit=999999", "unknown reporting unit"),
    ("summary?to=1999-12-31", "must lie between"),
    ("summary?format=xml", "'format' must be one of json, csv"),
    ("summary?category=weather", "'category' must be one of"),
    ("series?grain=hour", "'grain' must be one of"),
    ("series?cumulative=maybe", "'cumulative' must be true or false"),
    ("series?grain=day&from=2000-01-01&to=2100-01-01", "more than 100000 points"),
    ("breakdown?level=sub_bureau", "needs 'parent'"),
    ("breakdown?level=city", "'level' must be one of"),
    ("compare", "'unit' (a bureau code) is required"),
    ("compare?unit=440100", "not a bureau"),
    ("compare?unit=440000&peers=1,2", "unknown reporting unit"),
    ("quarantine?limit=0", "whole number from 1 to 5000"),
    ("quarantine?source=%00", "NUL character"),  # PostgreSQL refuses NUL in text: it must not reach a query
    ("series?metric=clue_referrals&unit=44%000000", "NUL character"),
])
def test_bad_parameters_get_400_with_a_message(api, tokens, query, phrase):
    response = api.get(f"/api/v1/{query}", headers=tokens["lead"])
    assert response.status_code == 400 and response.json["error"] == "bad_request"
    assert phrase in response.json["message"]


def test_tokens_of_disabled_users_and_unknown_routes(secured, api):
    from metrics.users import add_user

    add_user(secured.engine, "partner", "leadership", "partner-password-1")
    header = {"Authorization": f"Bearer {issue_token(secured.engine, 'partner', 'partner-system')}"}
    assert api.get("/api/v1/units", headers=header).status_code == 200
    assert api.get("/api/v1/nope", headers=header).status_code == 404
    assert api.post("/api/v1/summary", headers=header).status_code == 405
    set_active(secured.engine, "partner", False)
    assert api.get("/api/v1/units", headers=header).status_code == 401


def test_api_use_is_audited_with_the_client_user(secured, api, tokens):
    api.get("/api/v1/summary?from=2025-07-01&to=2025-09-30&unit=440000", headers=tokens["gd"])
    with secured.engine.connect() as conn:
        last = conn.execute(select(AuditEvent.actor, AuditEvent.detail).where(AuditEvent.action == "api")
                            .order_by(AuditEvent.id.desc()).limit(1)).one()
    assert last.actor == "gd" and '"path": "/api/v1/summary"' in last.detail and '"status": 200' in last.detail
