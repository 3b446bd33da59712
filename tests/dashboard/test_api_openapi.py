"""The OpenAPI document validates, and schemathesis, driving the WSGI app with it, finds no server error.

Positive cases (valid per the document) must also get answers that conform to the documented schemas;
negative cases (invalid parameters) must be refused with a 4xx, never a 5xx.
"""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from metrics.users import issue_token

EXAMPLES = 60  # per generation mode and backend; each example is one request


def _document(secured, header):
    response = secured.app.server.test_client().get("/api/v1/openapi.json", headers=header)
    assert response.status_code == 200
    return response.json


def test_the_openapi_document_validates(secured):
    header = {"Authorization": f"Bearer {issue_token(secured.engine, 'lead', 'spec-reader')}"}
    document = _document(secured, header)
    validate(document)  # raises on any violation of the OpenAPI 3.0 schema
    assert {"/api/v1/summary", "/api/v1/series", "/api/v1/breakdown", "/api/v1/compare",
            "/api/v1/quarantine"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def _run(secured, mode: GenerationMode, checks) -> dict[int, int]:
    header = {"Authorization": f"Bearer {issue_token(secured.engine, 'gd', f'fuzz-{mode.value}')}"}
    schema = schemathesis.openapi.from_dict(_document(secured, header))
    statuses: dict[int, int] = {}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=schema.as_strategy(generation_mode=mode))
    def exercise(case):
        # identity: the WSGI client does not inflate brotli/gzip bodies, and the schema checks read the bytes
        response = case.call(app=secured.app.server, headers={**header, "Accept-Encoding": "identity"})
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        case.validate_response(response, checks=checks)

    exercise()
    return statuses


def test_schemathesis_finds_no_server_error_and_answers_match_the_document(secured):
    statuses = _run(secured, GenerationMode.POSITIVE, [not_a_server_error, response_schema_conformance])
    print(f"positive examples by status: {dict(sorted(statuses.items()))}")
    assert sum(statuses.values()) >= EXAMPLES // 2 and not any(code >= 500 for code in statuses)
    assert statuses.get(200, 0) > 0  # the fuzzing reached real answers, not only refusals


def test_schemathesis_invalid_parameters_are_refused_not_crashed(secured):
    statuses = _run(secured, GenerationMode.NEGATIVE, [not_a_server_error])
    print(f"negative examples by status: {dict(sorted(statuses.items()))}")
    assert sum(statuses.values()) >= EXAMPLES // 2 and not any(code >= 500 for code in statuses)
