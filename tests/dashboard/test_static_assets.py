"""The vendored plotly.js bundle matches the plotly package's version; fingerprinted assets are cached for a
year and sent compressed."""
from __future__ import annotations

import re
from pathlib import Path

from plotly.offline import get_plotlyjs_version

from tests.auth_helpers import signed_in_client

BUNDLE = Path(__file__).resolve().parents[2] / "assets" / "vendor" / "plotly-imd.min.js"


def test_vendored_plotly_matches_the_python_package():
    head = BUNDLE.read_text(encoding="utf-8")[:300]
    found = re.search(r"plotly\.js v(\S+) ", head)
    assert found and found.group(1) == get_plotlyjs_version(), f"rebuild vendor/plotly for {get_plotlyjs_version()}"


def test_fingerprinted_assets_are_cached_long_and_compressed(app):
    admin_client = signed_in_client(app, "admin")
    index = admin_client.get("/").get_data(as_text=True)
    urls = re.findall(r'"(/assets/[^"]+\?m=[^"]+)"', index)
    bundle = [u for u in urls if "vendor/plotly-imd.min.js" in u]
    assert bundle, urls
    packed = admin_client.get(bundle[0], headers={"Accept-Encoding": "br, gzip"})
    assert packed.status_code == 200
    assert "max-age=31536000" in packed.headers["Cache-Control"] and "immutable" in packed.headers["Cache-Control"]
    assert packed.headers.get("Content-Encoding") in ("br", "gzip", "zstd")
    plain = admin_client.get(bundle[0].split("?")[0])  # not fingerprinted: revalidated, never kept for a year
    assert "immutable" not in plain.headers.get("Cache-Control", "")


def test_the_page_preloads_what_the_first_chart_waits_for(app):
    index = signed_in_client(app, "lead").get("/regions").get_data(as_text=True)
    head = index.split("</head>")[0]
    for path in ("/_dash-layout", "/_dash-dependencies", "/_dash-component-suites/dash/dcc/async-graph.js"):
        assert 'rel="preload"' in head and f'href="{path}"' in head, path
    assert app.server.test_client().get("/_dash-component-suites/dash/dcc/async-graph.js").status_code == 200
