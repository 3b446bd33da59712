"""A shared cache in front of the query API, for many web workers over one store.

Answers are keyed by (store generation, principal scope, method, request). The generation token changes in
the same transaction as every load (metrics.store.bump_generation), so a load's commit retires every cached
answer at once, in every worker, without anyone deleting keys. The scope is part of the key so an answer
is only ever reused by a principal whose access check already passed for that very request.

`cache` is anything with get(key) and set(key, value, timeout=...): a Flask-Caching `Cache` on Redis in
production (built by app.py / wsgi.py), a dict-backed stand-in nowhere: tests use the real Redis.
"""
from __future__ import annotations

import hashlib
import logging
import pickle

from redis.exceptions import RedisError
from sqlalchemy import Engine

from metrics.access import Principal
from metrics.query import MetricsQuery
from metrics.requests import QueryResult
from metrics.store import read_generation

log = logging.getLogger("imd.cache")

DEFAULT_TIMEOUT_S = 3600
KEY_PREFIX = "imd:q:"


def principal_scope(principal: Principal) -> str:
    """Principals that may see the same things share a scope: every national-level reader, or one bureau."""
    if principal.role in ("system", "admin", "leadership"):
        return "all"
    return f"{principal.role}:{principal.unit_code or '-'}"


class CachedMetricsQuery(MetricsQuery):
    """MetricsQuery whose totals, series, units_series and breakdowns (and so compare and peer_band) go through a cache."""

    def __init__(self, engine: Engine, principal: Principal, *, cache=None,
                 timeout: int = DEFAULT_TIMEOUT_S, primary: Engine | None = None):
        super().__init__(engine, principal, primary=primary)
        self.cache = cache
        self.timeout = timeout
        self._generation: str | None = None

    def as_principal(self, principal: Principal) -> CachedMetricsQuery:
        return type(self)(self.engine, principal, cache=self.cache, timeout=self.timeout, primary=self.primary)

    def generation(self) -> str:
        """Read once per query object, i.e. once per web request: one primary-key lookup."""
        if self._generation is None:
            with self.engine.connect() as conn:
                self._generation = read_generation(conn)
        return self._generation

    def _key(self, method: str, request: object) -> str:
        digest = hashlib.sha1(repr(request).encode()).hexdigest()
        return f"{KEY_PREFIX}{self.generation()}:{principal_scope(self.principal)}:{method}:{digest}"

    def _cached(self, method: str, request, compute) -> QueryResult:
        if self.cache is None:
            return compute(request)
        key = self._key(method, request)
        blob = self._cache_call(self.cache.get, key)
        if blob is not None:
            frame = pickle.loads(blob)
            return QueryResult(request, frame)
        result = compute(request)  # raises AccessDenied before anything is stored
        self._cache_call(self.cache.set, key, pickle.dumps(result.frame, protocol=pickle.HIGHEST_PROTOCOL),
                         timeout=self.timeout)
        return result

    @staticmethod
    def _cache_call(method, *args, **kwargs):
        """A cache that cannot be reached (Redis down) is a miss: the answer comes from the store."""
        try:
            return method(*args, **kwargs)
        except (RedisError, OSError) as exc:
            log.warning("query cache unreachable, reading the store: %s", exc)
            return None

    def totals(self, req) -> QueryResult:
        return self._cached("totals", req, super().totals)

    def series(self, req) -> QueryResult:
        return self._cached("series", req, super().series)

    def breakdown(self, req) -> QueryResult:
        return self._cached("breakdown", req, super().breakdown)

    def units_series(self, req) -> QueryResult:
        return self._cached("units_series", req, super().units_series)
