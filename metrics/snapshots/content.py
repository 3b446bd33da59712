"""What a briefing snapshot freezes: figures per window, per direction and per bureau, series, coverage.

Every figure is read through the query API (MetricsQuery), so a brief's campaign-to-date figures are the
same numbers `summary` prints. Only coverage reads the fact table, because "no row at all" and "rows that
sum to zero" are different answers there.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from metrics.access import SYSTEM
from metrics.catalog import CATALOG, CATEGORIES, DIRECTIONS, METRICS, PUBLISHED_AS_OF, catalog_fingerprint
from metrics.returns.brief import brief_returns
from metrics.returns.coverage_cells import CELLS
from metrics.returns.rules import load_rules
from metrics.coverage import coverage_matrix, coverage_share, submission_sources
from metrics.models import NATION, AggDay, DailyFact
from metrics.query import MetricsQuery
from metrics.requests import BreakdownRequest, SeriesRequest, TotalsRequest
from metrics.units import HQ_CODE, all_units, bureaus
from metrics.windows import CAMPAIGN_START, InvalidWindowError, Window, add_months, month_end, parse_date

PAYLOAD_SCHEMA = 1
# The order the windows are compared and shown in.
WINDOW_KINDS = ("quarter", "previous_quarter", "year_ago", "campaign")
# The metric each direction's "notable bureaus" paragraph is about.
LEAD_METRICS = {1: "clue_referrals", 2: "clues_identified", 3: "risk_warnings", 4: "education_events"}


def _same_point(cut: Window, months: int) -> Window:
    """The same stretch of an earlier quarter: 2025-10-01..11-30 -> 2025-07-01..08-31 (months=-3)."""
    end = add_months(cut.end, months)
    if cut.end == month_end(cut.end):
        end = month_end(end)
    return Window(add_months(cut.start, months), end)


@dataclass(frozen=True, slots=True)
class BriefingPeriod:
    """A quarter (label 2025Q4, cut at its last day) or an as-of date (label 2025-11-30, cut there)."""

    label: str
    quarter: Window
    as_of: dt.date

    @classmethod
    def for_quarter(cls, label: str) -> BriefingPeriod:
        quarter = Window.quarter(label)
        return cls(quarter.label(), quarter, quarter.end)

    @classmethod
    def for_as_of(cls, as_of: dt.date) -> BriefingPeriod:
        if as_of < CAMPAIGN_START:
            raise InvalidWindowError(f"{as_of} is before the campaign began on {CAMPAIGN_START}")
        return cls(as_of.isoformat(), Window.quarter_of(as_of), as_of)

    @classmethod
    def parse(cls, text: str) -> BriefingPeriod:
        """Either form, as stored in briefing_snapshot.period."""
        if re.fullmatch(r"\s*\d{4}[Qq][1-4]\s*", text):
            return cls.for_quarter(text)
        return cls.for_as_of(parse_date(text))

    @classmethod
    def last_completed_quarter(cls, today: dt.date) -> BriefingPeriod:
        current = Window.quarter_of(today)
        return cls.for_quarter(Window.quarter_of(current.start - dt.timedelta(days=1)).label())

    def windows(self) -> dict[str, Window]:
        cut = Window(self.quarter.start, self.as_of)
        return {"quarter": cut, "previous_quarter": _same_point(cut, -3), "year_ago": _same_point(cut, -12),
                "campaign": Window(CAMPAIGN_START, self.as_of)}


def _figures(query: MetricsQuery, window: Window) -> dict:
    national = query.totals(TotalsRequest(window)).frame
    hq = query.totals(TotalsRequest(window, unit=HQ_CODE)).frame
    per_bureau = query.breakdown(BreakdownRequest(window)).frame
    units = {HQ_CODE: {m: int(v) for m, v in zip(hq["metric"], hq["value"])}}
    for code, group in per_bureau.groupby("unit_code", sort=True):
        units[str(code)] = {m: int(v) for m, v in zip(group["metric"], group["value"])}
    return {"national": {m: int(v) for m, v in zip(national["metric"], national["value"])}, "units": units}


def _series(query: MetricsQuery, window: Window, grain: str) -> dict:
    frame = query.series(SeriesRequest(window, grain=grain)).frame
    labels = list(dict.fromkeys(frame["label"]))
    values = {str(m): [int(v) for v in g.sort_values("period")["value"]] for m, g in frame.groupby("metric")}
    return {"labels": labels, "values": values}


def _by_category(query: MetricsQuery, window: Window) -> dict[str, dict[str, int]]:
    """metric -> category -> total over the window, for the (metric, category) pairs that have rows."""
    frame = query.series(SeriesRequest(window, grain="quarter", split_by="category")).frame
    out: dict[str, dict[str, int]] = {}
    for (metric, category), group in frame.groupby(["metric", "category"], sort=True):
        if category:  # '' is "not categorised"
            out.setdefault(str(metric), {})[str(category)] = int(group["value"].sum())
    return out


def _source_systems() -> dict[str, list[str]]:
    systems: dict[str, list[str]] = {}
    for metric in CATALOG:
        systems.setdefault(metric.source_system, []).append(metric.id)
    return systems


def coverage(engine: Engine, quarter_cut: Window) -> dict:
    """Per source system: bureaus (and HQ) with no fact at all for its metrics in the quarter, and the
    last day with any national fact up to the cutoff."""
    systems = _source_systems()
    system_of = {m: s for s, ms in systems.items() for m in ms}
    reported: dict[str, set[str]] = {s: set() for s in systems}
    last_day: dict[str, dt.date | None] = {s: None for s in systems}
    with engine.connect() as conn:
        rows = conn.execute(select(DailyFact.metric_id, DailyFact.bureau_code)
                            .where(DailyFact.day.between(quarter_cut.start, quarter_cut.end)).distinct()).all()
        latest = conn.execute(select(AggDay.metric_id, func.max(AggDay.day))
                              .where(AggDay.unit_code == NATION, AggDay.day <= quarter_cut.end)
                              .group_by(AggDay.metric_id)).all()
    for metric_id, bureau in rows:
        if metric_id in system_of:
            reported[system_of[metric_id]].add(bureau)
    for metric_id, day in latest:
        if metric_id in system_of and day is not None:
            s = system_of[metric_id]
            last_day[s] = max(day, last_day[s]) if last_day[s] else day
    bureau_codes = [b.code for b in bureaus()]
    reporting = reporting_notes(engine, quarter_cut)
    states = unit_states(engine, quarter_cut, set(reporting))
    returned = returns_coverage(engine, quarter_cut)
    return {s: {"metrics": systems[s], **({"reporting": reporting[s]} if s in reporting else {}),
                **({"returns": returned[s]} if s in returned else {}),
                "states": states.get(s, {"not_reported": bureau_codes, "reported_zero": [], "no_activity": []}),
                "bureaus_reporting": len(reported[s] & set(bureau_codes)),
                "bureaus_missing": [c for c in bureau_codes if c not in reported[s]],
                "hq_reported": HQ_CODE in reported[s],
                "last_day_with_data": last_day[s].isoformat() if last_day[s] else None}
            for s in systems}


def unit_states(engine: Engine, quarter_cut: Window, periodic: set[str]) -> dict[str, dict[str, list[str]]]:
    """Per source, the bureaus of each kind of "nothing": not_reported (a month due and missing; its zeros are
    unknown), reported_zero (a monthly return that listed no events) and no_activity (a continuous register
    with no event for the bureau: zero is normal there). A bureau is in at most one list."""
    matrix = coverage_matrix(engine, quarter_cut, as_of=quarter_cut.end)
    out: dict[str, dict[str, list[str]]] = {}
    for source, m in matrix.groupby("source", sort=True):
        lists: dict[str, list[str]] = {"not_reported": [], "reported_zero": [], "no_activity": []}
        for code, group in m[m["state"] != "not_due"].groupby("unit_code", sort=True):
            states = set(group["state"])
            if "not_reported" in states:
                lists["not_reported"].append(str(code))
            elif states == {"reported_zero"}:
                lists["reported_zero" if source in periodic else "no_activity"].append(str(code))
        out[str(source)] = lists
    return out


def returns_coverage(engine: Engine, quarter_cut: Window) -> dict[str, dict]:
    """Per source system fed by a return type: per type, the unit-periods in each coverage cell, from the same
    matrix the Data page draws (metrics.coverage, cells decided in metrics/returns/coverage_cells.py)."""
    with engine.connect() as conn:
        rules = load_rules(conn)
    if not rules:
        return {}
    matrix = coverage_matrix(engine, quarter_cut, as_of=quarter_cut.end, sources=[r.return_type for r in rules])
    out: dict[str, dict] = {}
    for rule in rules:
        m = matrix[matrix["source"] == rule.return_type].sort_values(["unit_code", "month"])
        cells = {c: [{"unit": str(u), "period": str(p)} for u, p in zip(m["unit_code"][m["cell"] == c],
                                                                      m["period"][m["cell"] == c])] for c in CELLS}
        for system in sorted({METRICS[x].source_system for x in rule.metrics}):
            out.setdefault(system, {})[rule.return_type] = {"metrics": list(rule.metrics), "cells": cells}
    return out


def reporting_notes(engine: Engine, quarter_cut: Window) -> dict:
    """Per monthly-submission source, from the coverage matrix as of the cutoff: the bureau-months due but not
    reported (not zero: absent), those sent late, and the share reported."""
    periodic = sorted(submission_sources(engine))
    if not periodic:
        return {}
    matrix = coverage_matrix(engine, quarter_cut, as_of=quarter_cut.end, sources=periodic)
    out = {}
    for source, m in matrix.groupby("source", sort=True):
        def listed(state: str) -> list[dict]:
            hit = m[m["state"] == state].sort_values(["unit_code", "month"])
            return [{"unit": u, "month": d.isoformat()[:7]} for u, d in zip(hit["unit_code"], hit["month"])]
        out[source] = {"share": coverage_share(m), "not_reported": listed("not_reported"), "late": listed("late"),
                       "reported_zero": int((m["state"] == "reported_zero").sum())}
    return out


def _units_reference() -> dict:
    units = all_units()
    codes = [HQ_CODE] + [b.code for b in bureaus()]
    return {c: {"name_zh": units[c].name_zh, "name_en": units[c].name_en, "kind": units[c].kind,
                "population_10k": units[c].population_10k, "gdp_100m_yuan": units[c].gdp_100m_yuan,
                "denominator_year": units[c].denominator_year} for c in codes}


def _catalog_reference() -> dict:
    return {"metrics": [{"id": m.id, "name_zh": m.name_zh, "name_en": m.name_en, "unit": m.unit,
                         "direction": int(m.direction), "source_system": m.source_system,
                         "measure_zh": m.measure_zh, "published_over": m.published_over} for m in CATALOG],
            "directions": [{"number": int(d.number), "name_zh": d.name_zh, "name_en": d.name_en}
                           for d in DIRECTIONS],
            "lead_metrics": {str(k): v for k, v in LEAD_METRICS.items()},
            "published_as_of": PUBLISHED_AS_OF,
            "categories": {k: {"name_en": en, "name_zh": zh} for k, (en, zh) in CATEGORIES.items()},
            "fingerprint": catalog_fingerprint()}


def build_content(engine: Engine, period: BriefingPeriod) -> dict:
    """The deterministic part of a snapshot: same data and definitions in, same JSON out."""
    query = MetricsQuery(engine, SYSTEM)  # a brief is the national record, the same whoever builds it
    windows = period.windows()
    campaign = windows["campaign"]
    return {
        "schema": PAYLOAD_SCHEMA,
        "period": period.label,
        "as_of": period.as_of.isoformat(),
        "quarter": period.quarter.label(),
        "windows": {k: [w.start.isoformat(), w.end.isoformat()] for k, w in windows.items()},
        "figures": {k: _figures(query, w) for k, w in windows.items()},
        "series": {"quarter": _series(query, campaign, "quarter"), "month": _series(query, campaign, "month")},
        "categories": {k: _by_category(query, windows[k]) for k in ("quarter", "previous_quarter", "campaign")},
        "coverage": coverage(engine, windows["quarter"]),
        "returns": brief_returns(engine, SYSTEM, period.quarter),  # sign-off and returns by status (issue 16)
        "catalog": _catalog_reference(),
        "units": _units_reference(),
    }
