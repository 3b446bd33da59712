"""Whatever a URL holds, every page callback answers (no exception, so never a 500) and the view says what it
shows instead: an alias resolves, an unknown unit and a bad date are named."""
from __future__ import annotations

import pytest
from dash import Input
from hypothesis import HealthCheck, given, settings, strategies as st

from metrics.api import AccessDenied

from dashboard.callbacks.url_notices import url_notices
from dashboard.callbacks.registry import _DECLARED
from dashboard.components.ids import ShellIds
from dashboard.state import parse_search

pytestmark = pytest.mark.filterwarnings("ignore")


def _page_callbacks():
    """Every declared callback whose inputs are the page's ready marker and the URL (callbacks/common.py)."""
    out = []
    for args, _kwargs, func in _DECLARED:
        inputs = [a for a in args if isinstance(a, Input)]
        if len(inputs) == 2 and inputs[1].component_id == ShellIds.URL and inputs[1].component_property == "search":
            out.append(func)
    return out


def test_aliases_resolve_and_problems_are_named():
    assert parse_search("?unit=江苏")["unit"] == "320000" and url_notices("?unit=江苏") == []
    assert parse_search("?unit=广东金融监管局")["unit"] == "440000"
    assert url_notices("?unit=Atlantis&lang=en") == ["Unknown unit 'Atlantis': showing the nation"]
    assert parse_search("?unit=Atlantis")["unit"] == "nation"
    assert url_notices("?range=custom&from=2025-02-30&to=2025-03-31&lang=en") == [
        "Invalid date 2025-02-30: showing the campaign to date"]
    assert url_notices("?range=custom&from=2025-05-01&to=2025-03-01") == [
        "起始日期 2025-05-01 晚于结束日期 2025-03-01，显示开展以来的数据"]


KEYS = st.sampled_from(["lang", "range", "from", "to", "unit", "cat", "metric", "metrics", "grain", "mode", "split",
                        "measure", "peers", "rate", "x"])
VALUES = st.one_of(st.text(max_size=12), st.sampled_from(["江苏", "440000", "510100", "nation", "en", "custom",
                                                           "2025-02-30", "2025-13-01", "2024-01-01", "all", "day",
                                                           "per_gdp", "growth", "%", "\x00", "0" * 30]))
SEARCH = st.lists(st.tuples(KEYS, VALUES), max_size=6).map(
    lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs))


@pytest.fixture(scope="module")
def as_bureau(app, seeded):
    from tests.auth_helpers import acting_as

    with acting_as(app, seeded[0], "gd"):
        yield


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(search=SEARCH)
def test_no_page_callback_fails_on_any_url(as_bureau, search):
    callbacks = _page_callbacks()
    assert len(callbacks) >= 8
    for func in callbacks:
        try:
            func(True, search)
        except AccessDenied:  # a sub-bureau outside the bureau's scope: answered as a JSON 403, not a 500
            pass
    url_notices(search)
