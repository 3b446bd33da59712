"""A web worker loads at start what its first callbacks would otherwise load while a person waits."""
from __future__ import annotations

from dashboard.web.warmup import warm_up
from figures import trends


def test_warm_up_makes_the_trend_panel_grids():
    trends._panel_grid_json.cache_clear()
    warm_up()
    assert trends._panel_grid_json.cache_info().currsize == 4  # one to four stacked panels
    before = trends._panel_grid_json.cache_info().misses
    assert trends.panel_grid(1)["xaxis"]["anchor"] == "y"  # the drill's one panel comes from the cache
    assert trends._panel_grid_json.cache_info().misses == before
