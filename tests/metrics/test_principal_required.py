"""Every public read needs a principal: forgetting it is a TypeError, never a full view of the store."""
from __future__ import annotations

import datetime as dt
import inspect

import pytest

import metrics.api as api
from metrics.api import (SYSTEM, Accounts, AnomalyRequest, BriefingReads, CompareRequest, CoverageRequest,
                         FunnelRequest, MetricsQuery, MetricsStore, PeerBandRequest, QualityReads, QuarantineRequest,
                         StatusRequest, TotalsRequest, UnitCoverageRequest, Window)
from metrics.cache import CachedMetricsQuery
from metrics.funnel import funnel
from metrics.quarantine import quarantine_rows, quarantine_summary

Q3 = Window.quarter("2025Q3")
NOW = dt.datetime(2025, 10, 1, tzinfo=dt.timezone.utc)


def test_no_query_object_without_a_principal(store_engine):
    for build in (lambda: MetricsQuery(store_engine), lambda: CachedMetricsQuery(store_engine),
                  lambda: MetricsQuery(store_engine, None), lambda: QualityReads(store_engine),
                  lambda: BriefingReads(store_engine), lambda: MetricsStore(store_engine).query()):
        with pytest.raises(TypeError):
            build()


def test_every_public_read_needs_the_principal(store_engine):
    """Each read, reached any way the API offers, refuses to run without a principal."""
    reads = {
        "totals": TotalsRequest(Q3), "compare": CompareRequest("440000", Q3),
        "peer_band": PeerBandRequest("440000", "clue_referrals", Q3), "funnel": FunnelRequest(Q3),
        "coverage_matrix": CoverageRequest(Q3), "below_coverage": CoverageRequest(Q3),
        "coverage_flags": CoverageRequest(Q3), "uncovered_metrics": UnitCoverageRequest(Q3, "440000"),
        "anomalies": AnomalyRequest(("clue_referrals",), (dt.date(2025, 9, 1),), dt.date(2025, 9, 30)),
        "quarantine_rows": QuarantineRequest(), "quarantine_summary": QuarantineRequest(),
        "source_status": StatusRequest.of(NOW),
    }
    for name, req in reads.items():
        owner = MetricsQuery if hasattr(MetricsQuery, name) else QualityReads
        with pytest.raises(TypeError):  # unbound: there is no query (and so no principal) to call it on
            getattr(owner, name)(req)
    # With a principal, the same reads answer: the requests above are well formed.
    query = MetricsQuery(store_engine, SYSTEM)
    for name, req in reads.items():
        target = query if hasattr(MetricsQuery, name) else query.quality
        getattr(target, name)(req)
    accounts = Accounts(store_engine)
    for read in (accounts.users, accounts.audit_log, accounts.audit_page, accounts.audit_facets):
        with pytest.raises(TypeError):
            read()
    for call in (lambda: funnel(store_engine, Q3), lambda: quarantine_rows(store_engine),
                 lambda: quarantine_summary(store_engine)):
        with pytest.raises(TypeError):
            call()


def test_the_api_exports_no_engine_level_read():
    """Reads live on the query object; a module-level function of metrics.api taking an engine is a second
    door. check_reachable only pings the database."""
    doors = [name for name in api.__all__ if inspect.isfunction(getattr(api, name))
             and "engine" in inspect.signature(getattr(api, name)).parameters]
    assert doors == ["check_reachable"]
