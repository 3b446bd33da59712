"""The router builds each page with its figures in it (callbacks/prefill.py): what it writes is what the page's
callbacks return for the same URL, and those callbacks do not fire again when the page arrives."""
from __future__ import annotations

import json

import dash
import pytest
from plotly.utils import PlotlyJSONEncoder

from dashboard.callbacks import shell as shell_cb
from dashboard.callbacks.prefill import component_key, components_by_id
from dashboard.callbacks.registry import PAGE_VIEWS
from dashboard.data import current_principal
from dashboard.page_access import may_open

SEARCHES = ["?lang=en", "?range=lq&unit=440000", "?unit=440000&metric=clues_identified&measure=growth"]


def _as_json(value) -> str:
    return json.dumps(value, cls=PlotlyJSONEncoder, sort_keys=True)


@pytest.mark.parametrize("search", SEARCHES)
def test_every_page_arrives_with_what_its_callbacks_return(request_ctx, search):
    pages = {p["path"] for p in dash.page_registry.values() if may_open(current_principal(), p["path"])}
    filled = 0
    for path in sorted(pages):
        header, main = shell_cb.render_page(path, search)
        components = components_by_id(main)
        for views in PAGE_VIEWS.values():
            for view in views:
                if component_key(view.outputs[0].component_id) not in components:
                    continue  # another page's view
                expected = view.func(True, search)
                expected = [expected] if view.single else list(expected)
                for output, value in zip(view.outputs, expected):
                    got = getattr(components[component_key(output.component_id)], output.component_property)
                    assert _as_json(got) == _as_json(value), (path, output.component_id)
                    filled += 1
    assert filled >= 15  # overview, trends, regions, compare, scorecard: every view written


def test_views_are_declared_to_skip_their_first_call(app):
    from tests.auth_helpers import signed_in_client

    deps = signed_in_client(app, "lead").get("/_dash-dependencies").json
    declared = {d["output"]: d.get("prevent_initial_call") for d in deps}
    views = [v for vs in PAGE_VIEWS.values() for v in vs]
    assert {v.page for v in views} >= {"overview", "trends", "regions", "compare"}
    assert "data" not in PAGE_VIEWS  # the Data page's slow panels come after the page (with_page=False)
    for view in views:
        outputs = "...".join(f"{o.component_id}.{o.component_property}" for o in view.outputs)
        key = outputs if len(view.outputs) == 1 else f"..{outputs}.."
        assert declared[key] is True, key
    # The Data page's panels keep their first call: they fire when the page's ready marker arrives.
    assert declared["..data-runs.children...data-coverage.figure...data-coverage-note.children.."] is not True
