"""Static bundles and callback answers are served compressed; a static bundle is compressed once and reused."""
from __future__ import annotations

import brotli

from dashboard.compression import StaticBundleCache, _cache_key


def test_bundles_and_answers_are_compressed(app):
    client = app.server.test_client()
    page = client.get("/login")
    scripts = [s for s in page.get_data(as_text=True).split('"') if s.startswith("/_dash-component-suites/")]
    plain = client.get("/login").get_data()
    assert plain  # the page itself, uncompressed without Accept-Encoding
    # the sign-in page is public and small; the component suites are the weight a cold page carries
    for path in scripts[:1] or ["/_dash-component-suites/dash/deps/react@18.3.1.min.js"]:
        raw = client.get(path).get_data()
        packed = client.get(path, headers={"Accept-Encoding": "br, gzip"})
        assert packed.headers["Content-Encoding"] == "br"
        assert brotli.decompress(packed.get_data()) == raw and len(packed.get_data()) < len(raw) / 2


def test_only_static_bundles_are_kept():
    cache = StaticBundleCache()

    class Req:
        def __init__(self, path):
            self.path, self.full_path = path, path + "?v=1"

    static, dynamic = _cache_key(Req("/_dash-component-suites/x.js")), _cache_key(Req("/_dash-update-component"))
    cache.set("br;" + static, b"s")
    cache.set("br;" + dynamic, b"d")
    assert cache.get("br;" + static) == b"s" and cache.get("br;" + dynamic) is None
