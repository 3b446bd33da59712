"""The returns API's part of the OpenAPI document (added when the app serves returns)."""
from __future__ import annotations

from metrics.api import RETURN_COVERAGE_STATES, RETURN_STATUSES

_ERR = {"$ref": "#/components/responses/Error"}
_STR = {"type": "string"}
_NULL_STR = {"type": "string", "nullable": True}
_JSON = "application/json"


def _q(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema or _STR, "description": description}


def _ok(description: str, schema: dict, code: str = "200") -> dict:
    return {code: {"description": description, "content": {_JSON: {"schema": schema}}},
            "400": _ERR, "401": _ERR, "403": _ERR}


_RETURN_ROW = {"type": "object", "required": ["id", "return_type", "unit_code", "period", "status"], "properties": {
    "id": {"type": "integer"}, "return_type": _STR, "unit_code": _STR, "period": _STR, "version": {"type": "integer"},
    "status": {"type": "string", "enum": list(RETURN_STATUSES)}, "submitted_by": _NULL_STR,
    "submitted_at": _NULL_STR, "approved_at": _NULL_STR, "due_on": _STR, "late": {"type": "boolean"},
    "reason": _NULL_STR}}
_STATUS = {"type": "object", "properties": {"id": {"type": "integer"}, "status": _STR}}
_PROBLEM = {"type": "object", "properties": {"row": _STR, "row_number": {"type": "integer"}, "field": _STR,
                                             "value": _STR, "code": _STR, "message": _STR, "message_zh": _STR}}
_PROBLEMS = {"description": "Figures failing the per-row checks: one problem per field and row.",
             "content": {_JSON: {"schema": {"type": "object", "properties": {
                 "error": _STR, "message": _STR, "problems": {"type": "array", "items": _PROBLEM}}}}}}
_SUBMISSION = {"type": "object", "required": ["return_type", "unit", "period", "rows"], "properties": {
    "return_type": {"type": "string", "example": "education_monthly"}, "unit": {"type": "string", "example": "440100"},
    "period": {"type": "string", "example": "2025-10"},
    "rows": {"type": "object", "description": "row -> {field: value}; values as numbers or text ('1,200', '1.2万')",
             "additionalProperties": {"type": "object"}},
    "action": {"type": "string", "enum": ["submit", "save"], "default": "submit"}}}
_UPLOAD = {"type": "object", "required": ["file"], "properties": {
    "file": {"type": "string", "format": "binary", "description": "The filled Excel template"},
    "unit": _STR, "period": _STR, "action": {"type": "string", "enum": ["submit", "save"]}}}
_CONFLICT = {"409": _ERR, "404": _ERR}


def returns_paths() -> dict:
    return {
        "/api/v1/returns": {
            "get": {"summary": "Returns the caller may see (newest version of each)",
                    "parameters": [_q("type", "Return type id."), _q("period", "2025-10 (month) or 2025Q4."),
                                   _q("unit", "Unit code."),
                                   _q("status", "Status.", {"type": "string", "enum": list(RETURN_STATUSES)})],
                    "responses": _ok("The returns.", {"type": "array", "items": _RETURN_ROW})},
            "post": {"summary": "Fill in (save) or submit a return: JSON, or the Excel template as multipart",
                     "requestBody": {"required": True, "content": {_JSON: {"schema": _SUBMISSION},
                                                                   "multipart/form-data": {"schema": _UPLOAD}}},
                     "responses": {**_ok("Stored.", {"type": "object"}, "201"), "409": _ERR, "422": _PROBLEMS}},
        },
        "/api/v1/returns/{id}/approve": {"post": {
            "summary": "Approve at the bureau (a sub-bureau's return) or at HQ; never one's own submission",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {**_ok("The new status.", _STATUS), **_CONFLICT}}},
        "/api/v1/returns/{id}/send-back": {"post": {
            "summary": "Send a return back to its filer with a reason",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {_JSON: {"schema": {
                "type": "object", "required": ["reason"], "properties": {"reason": _STR}}}}},
            "responses": {**_ok("The new status.", _STATUS), **_CONFLICT}}},
        "/api/v1/returns/template": {"get": {
            "summary": "The Excel template of one unit's period",
            "parameters": [_q("type", "Return type id.", required=True), _q("unit", "Unit code.", required=True),
                           _q("period", "2025-10 or 2025Q4.", required=True)],
            "responses": {"200": {"description": "An .xlsx workbook", "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {
                    "type": "string", "format": "binary"}}}}, "400": _ERR, "401": _ERR, "403": _ERR}}},
        "/api/v1/returns/coverage": {"get": {
            "summary": "Per unit and period: " + ", ".join(RETURN_COVERAGE_STATES),
            "parameters": [_q("as_of", "Judge deadlines at this day (default today).", {"type": "string",
                                                                                       "format": "date"}),
                           _q("type", "Return type id.")],
            "responses": _ok("The coverage rows.", {"type": "array", "items": {"type": "object"}})}},
        "/api/v1/returns/signoff": {"get": {
            "summary": "Which bureaus confirmed a quarter's figures, and whether a change re-opened it",
            "parameters": [_q("quarter", "e.g. 2025Q4", required=True)],
            "responses": _ok("One row per bureau.", {"type": "array", "items": {"type": "object"}})}},
    }
