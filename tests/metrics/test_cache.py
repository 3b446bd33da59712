"""The shared query cache on real Redis: answers are reused until a load commits, never across scopes."""
from __future__ import annotations

import datetime as dt
import os
import uuid

import flask
import pandas as pd
import pytest
import redis
from flask_caching import Cache
from sqlalchemy import text
from sqlalchemy.orm import Session

from metrics.api import SYSTEM, AccessDenied, BreakdownRequest, Principal, TotalsRequest, Window
from metrics.cache import CachedMetricsQuery, principal_scope
from metrics.store import replace_facts

D = dt.date
REDIS_URL = os.environ.get("IMD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WINDOW = Window(D(2024, 1, 1), D(2024, 3, 31))


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as exc:
        if os.environ.get("IMD_REQUIRE_REDIS") == "1":
            pytest.fail(f"IMD_REQUIRE_REDIS=1 but Redis at {REDIS_URL} is unreachable: {exc}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable")
    prefix = f"imd-test-{uuid.uuid4().hex[:8]}:"
    app = flask.Flask(__name__)
    cache = Cache(app, config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix})
    yield cache
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def _load(engine, value):
    frame = pd.DataFrame([("clue_referrals", "440100", D(2024, 1, 15), "other", value)],
                         columns=["metric_id", "unit_code", "day", "category", "value"])
    with Session(engine) as s, s.begin():
        replace_facts(s, source="s", day_from=D(2024, 1, 1), day_to=D(2024, 3, 31), facts=frame, run_id=None)


def _nation(query) -> int:
    return int(query.totals(TotalsRequest(WINDOW, ("clue_referrals",))).frame["value"].iloc[0])


def test_cached_until_a_load_commits(store_engine, cache):
    _load(store_engine, 3)
    assert _nation(CachedMetricsQuery(store_engine, SYSTEM, cache=cache)) == 3
    # Change the rollups behind the cache's back: the next request still gets the cached answer...
    with store_engine.begin() as conn:
        conn.execute(text("UPDATE agg_month_total SET value = 1000"))
    assert _nation(CachedMetricsQuery(store_engine, SYSTEM, cache=cache)) == 3
    # ...until a load commits and moves the generation on.
    _load(store_engine, 5)
    assert _nation(CachedMetricsQuery(store_engine, SYSTEM, cache=cache)) == 5


def test_access_is_checked_per_scope(store_engine, cache):
    _load(store_engine, 3)
    req = BreakdownRequest(WINDOW, ("clue_referrals",), level="sub_bureau", parent="440000")
    leadership = CachedMetricsQuery(store_engine, Principal("l", "leadership"), cache=cache)
    assert leadership.breakdown(req).frame.set_index("unit_code").loc["440100", "value"] == 3
    outsider = leadership.as_principal(Principal("b", "bureau", "110000"))
    with pytest.raises(AccessDenied):
        outsider.breakdown(req)
    own = leadership.as_principal(Principal("g", "bureau", "440000"))
    assert own.breakdown(req).frame.set_index("unit_code").loc["440100", "value"] == 3
    assert principal_scope(Principal("a", "admin")) == principal_scope(Principal("l", "leadership"))
    assert principal_scope(Principal("b", "bureau", "110000")) != principal_scope(Principal("g", "bureau", "440000"))
