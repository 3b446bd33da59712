"""The reads a MetricsQuery hands out besides sums: data quality (`query.quality`) and briefings
(`query.briefings`). Each takes a frozen request and the query's principal; the implementation modules
(coverage, quality, quarantine, status, snapshots) stay engine-level and are not part of the API.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from metrics.access import Principal
from metrics.coverage import DEFAULT_THRESHOLD
from metrics.windows import Window


@dataclass(frozen=True, slots=True)
class FunnelRequest:
    window: Window
    unit: str | None = None
    records: bool = False  # the unmatched records on each side: record-level, checked against the principal


@dataclass(frozen=True, slots=True)
class CoverageRequest:
    window: Window
    as_of: dt.date | None = None
    threshold: float = DEFAULT_THRESHOLD
    sources: tuple[str, ...] | None = None  # the matrix: only these sources


@dataclass(frozen=True, slots=True)
class UnitCoverageRequest:
    window: Window
    unit: str
    threshold: float = DEFAULT_THRESHOLD
    as_of: dt.date | None = None
    metrics: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class AnomalyRequest:
    metrics: tuple[str, ...]
    months: tuple[dt.date, ...]
    until: dt.date


@dataclass(frozen=True, slots=True)
class QuarantineRequest:
    source: str | None = None
    unit: str | None = None
    limit: int = 500  # rows only


@dataclass(frozen=True, slots=True)
class StatusRequest:
    now: dt.datetime
    expected_every: tuple[tuple[str, dt.timedelta], ...] = field(default=())
    grace: float = 2.0

    @classmethod
    def of(cls, now: dt.datetime, expected_every: dict[str, dt.timedelta] | None = None) -> StatusRequest:
        return cls(now, tuple(sorted((expected_every or {}).items())))


class QualityReads:
    """Coverage, anomalies, the quarantine and source status, for one principal."""

    def __init__(self, engine, principal: Principal, *, primary=None):
        self._engine = engine
        self._primary = primary if primary is not None else engine  # runs are read where they are written
        self.principal = principal

    def coverage_matrix(self, req: CoverageRequest) -> pd.DataFrame:
        from metrics.coverage import coverage_matrix

        from metrics.returns.workflow import scope_units

        return coverage_matrix(self._engine, req.window, as_of=req.as_of,
                               sources=None if req.sources is None else list(req.sources),
                               return_units=scope_units(self.principal))  # returns: the units it may see

    def return_coverage(self, req: CoverageRequest) -> pd.DataFrame:
        """Only the matrix's return rows (every declared return type): what the Data page's returns card draws."""
        from metrics.coverage import MATRIX_COLUMNS, RETURN_COLUMNS
        from metrics.returns.rules import load_rules

        with self._engine.connect() as conn:
            owed = tuple(r.return_type for r in load_rules(conn))
        if not owed:
            return pd.DataFrame(columns=MATRIX_COLUMNS + RETURN_COLUMNS)
        return self.coverage_matrix(CoverageRequest(req.window, as_of=req.as_of, sources=owed))

    def coverage_flags(self, req: CoverageRequest) -> pd.DataFrame:
        from metrics.coverage import coverage_flags

        return coverage_flags(self._engine, req.window, threshold=req.threshold, as_of=req.as_of)

    def below_coverage(self, req: CoverageRequest) -> dict[str, set[str]]:
        from metrics.coverage import below_coverage

        return below_coverage(self._engine, req.window, threshold=req.threshold, as_of=req.as_of)

    def uncovered_metrics(self, req: UnitCoverageRequest) -> set[str]:
        from metrics.coverage import uncovered_metrics

        return uncovered_metrics(self._engine, req.window, req.unit, threshold=req.threshold, as_of=req.as_of,
                                 metrics=req.metrics)

    def categorised_metrics(self) -> frozenset[str]:
        """Metrics whose sources record a category; a category filter leaves the others without a figure."""
        from metrics.category_coverage import categorised_metrics

        return categorised_metrics(self._engine)

    def anomalies(self, req: AnomalyRequest) -> pd.DataFrame:
        from metrics.quality import anomalies

        return anomalies(self._engine, list(req.metrics), list(req.months), until=req.until)

    def quarantine_groups(self, req: QuarantineRequest) -> pd.DataFrame:
        from metrics.quarantine_groups import quarantine_groups

        return quarantine_groups(self._engine, self.principal, source=req.source, unit=req.unit)

    def file_findings(self, req: QuarantineRequest) -> pd.DataFrame:
        from metrics.findings import file_findings

        return file_findings(self._engine, self.principal, source=req.source, unit=req.unit)

    def coverage_discrepancies(self, req: QuarantineRequest) -> pd.DataFrame:
        from metrics.findings import coverage_discrepancies

        return coverage_discrepancies(self._engine, self.principal, source=req.source)

    def quarantine_rows(self, req: QuarantineRequest) -> pd.DataFrame:
        from metrics.quarantine import quarantine_rows

        return quarantine_rows(self._engine, self.principal, source=req.source, unit=req.unit, limit=req.limit)

    def quarantine_summary(self, req: QuarantineRequest) -> pd.DataFrame:
        from metrics.quarantine import quarantine_summary

        return quarantine_summary(self._engine, self.principal, source=req.source, unit=req.unit)

    def quarantine_page(self, req: QuarantineRequest, page):
        """One sorted, filtered page (metrics.paging.PageRequest) of the rows this principal may see."""
        from metrics.quarantine import quarantine_page

        return quarantine_page(self._engine, self.principal, page, source=req.source, unit=req.unit)

    def quarantine_raw(self, row_id: int) -> str | None:
        from metrics.quarantine import quarantine_raw

        return quarantine_raw(self._engine, self.principal, row_id)

    def source_status(self, req: StatusRequest) -> pd.DataFrame:
        from metrics.status import source_status

        return source_status(self._primary, now=req.now, expected_every=dict(req.expected_every), grace=req.grace)


class BriefingReads:
    """The stored briefings for one principal: every signed-in reader may read them; publishing is an admin's."""

    def __init__(self, engine, principal: Principal):
        from metrics.snapshots import BriefingStore, BriefingTexts

        self._store = BriefingStore(engine)
        self._texts = BriefingTexts(engine)
        self.principal = principal

    def build(self, period, *, now: dt.datetime):
        """A draft, not stored (what publishing would freeze now)."""
        return self._store.build(period, now=now)

    def versions(self, period: str | None = None) -> list[dict]:
        return self._store.versions(period)

    def get(self, snapshot_id: int):
        return self._store.get(snapshot_id)

    def latest(self, period: str):
        return self._store.latest(period)

    def publish(self, period, *, now: dt.datetime, force: bool = False):
        self.principal.require_admin()
        return self._store.publish(period, now=now, force=force)

    def texts(self, quarter: str) -> dict:
        """The staff-written text of a quarter's draft: (section, field, lang) -> text."""
        return self._texts.rows(quarter, self.principal)

    def save_texts(self, quarter: str, texts: dict, *, now: dt.datetime) -> int:
        """Replace a quarter's staff-written text (administrators and editors)."""
        return self._texts.save(quarter, texts, principal=self.principal, now=now)
