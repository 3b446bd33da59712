"""Responses compressed (Flask-Compress: brotli, else gzip). The static bundles (Dash's component suites and
assets, ~6 MB of JavaScript per cold page) are compressed once per worker and reused; callback and API answers
are compressed each time and never kept."""
from __future__ import annotations

import flask
from flask_compress import Compress

STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
_NOT_KEPT = "not-kept:"


class StaticBundleCache:
    """Flask-Compress's cache backend: keeps only the static bundles' compressed bytes."""

    def __init__(self):
        self._kept: dict[str, bytes] = {}

    def get(self, key: str):
        return self._kept.get(key)

    def set(self, key: str, value: bytes) -> None:
        if _NOT_KEPT not in key:
            self._kept[key] = value


def _cache_key(request: flask.Request) -> str:
    return request.full_path if request.path.startswith(STATIC_PREFIXES) else _NOT_KEPT + request.path


def enable_compression(server: flask.Flask) -> None:
    server.config.update(COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_BR_LEVEL=5, COMPRESS_LEVEL=6,
                         COMPRESS_CACHE_BACKEND=StaticBundleCache, COMPRESS_CACHE_KEY=_cache_key)
    Compress(server)
