"""The returns API with tokens (SQLite and PostgreSQL): the whole loop, refusals, then an ETL run moves the figure."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from openapi_spec_validator import validate

from etl.pipeline import run_source
from tests.dashboard.returns_app import returns_app
from tests.etl.test_returns_source import events, spec
from tests.metrics.returns_fixtures import EDU, GUANGZHOU, figures


@pytest.fixture
def svc(store_engine, tmp_path):
    return returns_app(store_engine, tmp_path)


def post(svc, user, path, body=None):
    return svc.client.post(f"/api/v1/returns{path}", json=body or {}, headers=svc.tokens[user])


def body(**given):
    return {"return_type": EDU, "unit": GUANGZHOU, "period": "2025-10", "rows": figures(**given)}


def test_the_loop_with_tokens_and_the_etl_moves_the_figure(svc):
    bad = post(svc, "gz_clerk", "", body(participants="约300"))
    assert bad.status_code == 422
    [problem] = bad.json["problems"]
    assert (problem["row"], problem["row_number"], problem["field"]) == ("community", 1, "participants")
    assert "row 1 (Communities), People reached: '约300' is not a number" == problem["message"]

    made = post(svc, "gz_clerk", "", body(events="3"))
    assert made.status_code == 201 and made.json["status"] == "submitted" and made.json["totals"]["events"] == 3
    rid = made.json["id"]
    assert post(svc, "bj_reviewer", f"/{rid}/approve").status_code == 403  # another bureau's return
    assert post(svc, "gz_clerk", f"/{rid}/approve").status_code == 403  # its own, and not a reviewer
    assert post(svc, "hq_lead", f"/{rid}/approve").status_code == 403  # the bureau reviews first
    assert post(svc, "gd_reviewer", f"/{rid}/send-back", {}).status_code == 400  # a reason is required
    back = post(svc, "gd_reviewer", f"/{rid}/send-back", {"reason": "场次与台账不符"})
    assert back.json == {"id": rid, "status": "sent_back"}
    mine = svc.client.get("/api/v1/returns?status=sent_back", headers=svc.tokens["gz_clerk"]).json
    assert [(r["id"], r["reason"]) for r in mine] == [(rid, "场次与台账不符")]
    assert svc.client.get("/api/v1/returns", headers=svc.tokens["bj_reviewer"]).json == []

    assert post(svc, "gz_clerk", "", body(events="4")).json["status"] == "submitted"
    assert post(svc, "gd_reviewer", f"/{rid}/approve").json["status"] == "bureau_approved"
    run_source(svc.engine, spec())
    assert events(svc.engine, GUANGZHOU) == 0  # not yet approved at HQ: no dashboard number moves
    assert post(svc, "hq_lead", f"/{rid}/approve").json["status"] == "approved"
    assert events(svc.engine, GUANGZHOU) == 0  # approved, but not loaded until the next ETL run
    run_source(svc.engine, spec())
    assert events(svc.engine, GUANGZHOU) == 4
    listed = svc.client.get(f"/api/v1/returns?type={EDU}&period=2025-10&unit={GUANGZHOU}&status=approved",
                            headers=svc.tokens["hq_lead"]).json
    assert [r["id"] for r in listed] == [rid]
    steps = svc.client.get(f"/api/v1/returns/{rid}", headers=svc.tokens["gd_reviewer"]).json["steps"]
    assert [s["action"] for s in steps] == ["submit", "send_back", "submit", "approve", "approve"]


def test_a_submitter_cannot_approve_its_own_return(svc):
    made = post(svc, "gd_reviewer", "", body())  # a bureau user fills in for its sub-bureau
    rid = made.json["id"]
    refused = post(svc, "gd_reviewer", f"/{rid}/approve")
    assert refused.status_code == 403 and "may not review" in refused.json["message"]
    assert post(svc, "gd_head", f"/{rid}/approve").json["status"] == "bureau_approved"
    assert post(svc, "admin", f"/{rid}/approve").json["status"] == "approved"


def test_bad_requests_and_sign_in(svc):
    assert svc.client.get("/api/v1/returns").status_code == 401
    assert post(svc, "gz_clerk", "", {"return_type": EDU}).status_code == 400
    assert post(svc, "gz_clerk", "", {**body(), "period": "2025-13"}).status_code == 400
    assert post(svc, "gz_clerk", "/999/approve").status_code == 404
    assert svc.client.post("/api/v1/returns", json=body()).status_code == 401


def test_the_template_round_trip_and_the_openapi_document(svc):
    got = svc.client.get(f"/api/v1/returns/template?type={EDU}&unit={GUANGZHOU}&period=2025-10",
                         headers=svc.tokens["gz_clerk"])
    assert got.status_code == 200
    book = load_workbook(io.BytesIO(got.data))
    sheet = book["2025-10"]
    sheet["B4"], sheet["C4"], sheet["D4"] = "１２", "1.2万", 2
    for line in range(5, 9):  # blank is "not reported", never zero: the other rows say zero
        for column in "BCD":
            sheet[f"{column}{line}"] = 0
    out = io.BytesIO()
    book.save(out)
    sent = svc.client.post("/api/v1/returns", headers=svc.tokens["gz_clerk"],
                           data={"file": (io.BytesIO(out.getvalue()), "back.xlsx")}, content_type="multipart/form-data")
    assert sent.status_code == 201, sent.json
    assert sent.json["totals"] == {"events": 12, "participants": 12000, "media": 2}
    assert svc.client.get(f"/api/v1/returns/template?type={EDU}&unit=440200&period=2025-10",
                          headers=svc.tokens["gz_clerk"]).status_code == 403
    document = svc.client.get("/api/v1/openapi.json", headers=svc.tokens["hq_lead"]).json
    validate(document)
    assert {"/api/v1/returns", "/api/v1/returns/{id}/approve", "/api/v1/returns/{id}/send-back"} <= set(
        document["paths"])


def test_a_hand_filled_upload_gets_the_forms_messages(svc):
    from tests.metrics.test_returns_template import FORM, hand_filled

    def upload(**fields):
        return svc.client.post("/api/v1/returns", headers=svc.tokens["gz_clerk"], content_type="multipart/form-data",
                               data={"file": (hand_filled(), "广州10月.xlsx"), **fields})

    assert upload().status_code == 400  # no _meta sheet: the upload must say whose period it is
    by_upload = upload(unit=GUANGZHOU, period="2025-10")
    by_form = post(svc, "gz_clerk", "", {"return_type": EDU, "unit": GUANGZHOU, "period": "2025-10", "rows": FORM})
    assert by_upload.status_code == by_form.status_code == 422
    assert [p["message_zh"] for p in by_upload.json["problems"]] == [p["message_zh"] for p in by_form.json["problems"]]
    assert svc.client.get("/api/v1/returns", headers=svc.tokens["gz_clerk"]).json == []
