"""The OpenAPI 3.0 document of the data API, written as data (served at /api/v1/openapi.json)."""
from __future__ import annotations

from metrics.api import CATEGORIES, GRAINS

DATE = {"type": "string", "format": "date"}
NUMBER_OR_NULL = {"type": "number", "nullable": True}
STRING_OR_NULL = {"type": "string", "nullable": True}


def _param(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def _common(metrics: list[str]) -> dict[str, dict]:
    return {
        "from": _param("from", DATE, "First day (Asia/Shanghai), inclusive. Default: the campaign start, 2023-06-01."),
        "to": _param("to", DATE, "Last day, inclusive. Default: today in Asia/Shanghai."),
        "metrics": _param("metrics", {"type": "string", "example": "clue_referrals,risk_warnings"},
                          "Comma-separated metric ids (default: all). Known: " + ", ".join(metrics) + "."),
        "unit": _param("unit", {"type": "string", "example": "440000"},
                       "Reporting unit code (GB/T 2260); CN or absent = the nation."),
        "category": _param("category", {"type": "string", "enum": ["all", *CATEGORIES]},
                           "Crime category filter."),
        "format": _param("format", {"type": "string", "enum": ["json", "csv"]},
                         "Response format; `Accept: text/csv` works too."),
    }


def _rows(properties: dict, required: list[str]) -> dict:
    return {"type": "array", "items": {"type": "object", "properties": properties, "required": required}}


def _operation(summary: str, params: list[dict], rows: dict, description: str = "") -> dict:
    error = {"$ref": "#/components/responses/Error"}
    return {"get": {
        "summary": summary, "description": description, "parameters": params,
        "responses": {
            "200": {"description": "The rows (JSON) or the same table as CSV.",
                    "content": {"application/json": {"schema": rows}, "text/csv": {"schema": {"type": "string"}}}},
            "400": error, "401": error, "403": error,
        },
    }}


SUMMARY_ROW = _rows({"metric": {"type": "string"}, "unit": {"type": "string"}, "value": {"type": "integer"},
                     "from": DATE, "to": DATE, "region": {"type": "string"}},
                    ["metric", "unit", "value", "from", "to", "region"])
SERIES_ROW = _rows({"metric": {"type": "string"}, "category": {"type": "string"}, "period": DATE,
                    "value": {"type": "integer"}, "direction": {"type": "integer"}, "label": {"type": "string"}},
                   ["metric", "period", "value", "direction", "label"])
BREAKDOWN_ROW = _rows({"unit_code": {"type": "string"}, "name_zh": {"type": "string"}, "name_en": {"type": "string"},
                       "metric": {"type": "string"}, "value": {"type": "integer"},
                       "population_10k": NUMBER_OR_NULL, "gdp_100m_yuan": NUMBER_OR_NULL,
                       "per_10m_residents": NUMBER_OR_NULL, "per_100b_gdp": NUMBER_OR_NULL},
                      ["unit_code", "metric", "value"])
COMPARE_ROW = _rows({"metric": {"type": "string"}, "rate": {"type": "string", "enum": ["total", "per_capita", "per_gdp"]},
                     "value": NUMBER_OR_NULL, "rank": NUMBER_OR_NULL, "of": {"type": "integer"},
                     "percentile": NUMBER_OR_NULL, "peer_rank": NUMBER_OR_NULL, "peer_of": {"type": "integer"},
                     "national_median": NUMBER_OR_NULL, "peer_median": NUMBER_OR_NULL,
                     "gap_to_median": NUMBER_OR_NULL, "previous": NUMBER_OR_NULL, "year_ago": NUMBER_OR_NULL,
                     "pct_vs_previous": NUMBER_OR_NULL, "pct_vs_year_ago": NUMBER_OR_NULL},
                    ["metric", "rate"])
QUARANTINE_ROW = _rows({"id": {"type": "integer"}, "source": {"type": "string"}, "unit_code": STRING_OR_NULL,
                        "row_ref": STRING_OR_NULL, "reason": {"type": "string"}, "raw": {"type": "string"},
                        "run_id": {"type": "integer"}, "created_at": {"type": "string"}},
                       ["id", "source", "reason"])
METRIC_ROW = _rows({"id": {"type": "string"}, "name_zh": {"type": "string"}, "name_en": {"type": "string"},
                    "unit": {"type": "string", "enum": ["count", "yuan", "people"]}, "direction": {"type": "integer"},
                    "source_system": {"type": "string"}, "published_over": NUMBER_OR_NULL}, ["id", "unit"])
UNIT_ROW = _rows({"code": {"type": "string"}, "kind": {"type": "string", "enum": ["hq", "bureau", "sub_bureau"]},
                  "parent_code": STRING_OR_NULL, "name_zh": {"type": "string"}, "name_en": {"type": "string"},
                  "population_10k": NUMBER_OR_NULL, "gdp_100m_yuan": NUMBER_OR_NULL,
                  "denominator_year": NUMBER_OR_NULL}, ["code", "kind"])


def build_openapi(metrics: list[str], server_url: str = "") -> dict:
    c = _common(metrics)
    window, fmt = [c["from"], c["to"]], c["format"]
    paths = {
        "/api/v1/summary": _operation(
            "Total of each metric over a window (what `python app.py summary --format json` prints)",
            [*window, c["metrics"], c["unit"], c["category"], fmt], SUMMARY_ROW),
        "/api/v1/series": _operation(
            "Each metric per period; missing periods are zero",
            [*window, c["metrics"], c["unit"], c["category"],
             _param("grain", {"type": "string", "enum": list(GRAINS)}, "Period length (default month)."),
             _param("cumulative", {"type": "boolean"}, "Running totals instead of per-period values."),
             _param("split", {"type": "string", "enum": ["metric", "category", "direction"]},
                    "One line per metric (default), or per crime category."), fmt],
            SERIES_ROW, "A sub-bureau `unit` is record-level detail: bureau users may ask only for their own."),
        "/api/v1/breakdown": _operation(
            "Each bureau (or each sub-bureau of one bureau) with totals and rates",
            [*window, c["metrics"], c["category"],
             _param("level", {"type": "string", "enum": ["bureau", "sub_bureau"]}, "Default bureau."),
             _param("parent", {"type": "string", "example": "440000"}, "The bureau, with level=sub_bureau."), fmt],
            BREAKDOWN_ROW, "Sub-bureau breakdowns are for leadership, admins and the bureau itself (else 403)."),
        "/api/v1/compare": _operation(
            "A bureau's rank, percentile and gap to the median on each metric",
            [{**c["unit"], "required": True, "description": "The bureau compared (GB/T 2260 code)."}, *window,
             c["metrics"], c["category"],
             _param("peers", {"type": "string", "example": "440000,320000"},
                    "Comma-separated peer bureaus (default: the 7 of nearest GDP)."), fmt],
            COMPARE_ROW),
        "/api/v1/quarantine": _operation(
            "Quarantined source rows with their reasons, newest first",
            [_param("unit", {"type": "string", "example": "440000"},
                    "A bureau: its rows and its sub-bureaus'. Bureau users default to, and are limited to, their own."),
             _param("source", {"type": "string"}, "Only this source."),
             _param("limit", {"type": "integer", "minimum": 1, "maximum": 5000}, "At most this many rows (500)."),
             fmt],
            QUARANTINE_ROW),
        "/api/v1/metrics": _operation("The metric catalog", [fmt], METRIC_ROW),
        "/api/v1/units": _operation("Reporting units with the denominators of their rates", [fmt], UNIT_ROW),
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Interagency Metrics Dashboard data API", "version": "1.0.0",
                 "description": "Read-only figures of the joint NFRA/MPS campaign, under the caller's role: "
                                "leadership and admins read everything; a bureau reads every bureau-level figure "
                                "but sub-bureau and record-level data only of its own bureau."},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "A client token from `python app.py users token NAME --client X`."},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "imd_session"},
            },
            "schemas": {"Error": {"type": "object", "required": ["error", "message"],
                                  "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}},
            "responses": {"Error": {"description": "Bad parameters (400), not signed in (401) or outside the "
                                                   "caller's role (403).",
                                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
        },
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
    }
    if server_url:
        document["servers"] = [{"url": server_url}]
    return document
