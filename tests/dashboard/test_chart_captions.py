"""Every graph on every page sits in a <figure> with its text alternative, and every figure a callback writes
gets that text rewritten by a caption callback: a new chart cannot be added without one."""
from __future__ import annotations

import dash
from dash import Output, dcc, html, no_update

from dashboard.callbacks.chart_text import annotating
from dashboard.callbacks.registry import figure_outputs
from dashboard.components.ids import chart_alt_id, chart_box_id
from figures.base import empty_figure
from tests.auth_helpers import acting_as


def _graphs(component, parents=()):
    """(graph, its ancestors) for every dcc.Graph under `component`."""
    if isinstance(component, dcc.Graph):
        yield component, parents
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if isinstance(child, dash.development.base_component.Component):
            yield from _graphs(child, (*parents, component))


def test_every_graph_of_every_page_is_described(app, seeded):
    unwrapped, seen = [], set()
    with acting_as(app, seeded[0], "admin"):
        for page in dash.page_registry.values():
            for graph, parents in _graphs(page["layout"](lang="en")):
                box = next((p for p in reversed(parents) if isinstance(p, html.Figure)), None)
                seen.add(getattr(graph, "id", None))
                if box is None or "chart-figure" not in box.className or not getattr(box, "aria-label"):
                    unwrapped.append((page["path"], getattr(graph, "id", None)))
                elif getattr(graph, "id", None) in figure_outputs():
                    assert box.id == chart_box_id(graph.id)
                    assert box.children[-1].id == chart_alt_id(graph.id)
    assert unwrapped == []
    assert figure_outputs() <= seen  # each chart a callback draws is on some page


def test_each_drawn_figure_has_a_caption_callback(app):
    for graph_id in figure_outputs():
        key = f"..{chart_alt_id(graph_id)}.children...{chart_box_id(graph_id)}.aria-label.."
        assert app.callback_map[key]["inputs"] == [{"id": graph_id, "property": "figure"}]


def test_callbacks_writing_figures_send_the_text_alternative_with_them():
    bars = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2], "name": "图"}], "layout": {}}
    one = annotating(lambda: bars, [Output("g", "figure")], single=True)()
    assert one["layout"]["meta"]["text_alternative"] == {"zh": "图：共2项，最高为b（2），最低为a（1）",
                                                         "en": "图: 2 items, highest b (2), lowest a (1)"}
    assert bars["layout"] == {}  # the builder's dict is not changed
    two = annotating(lambda: ("note", empty_figure("No data in this range"), no_update),
                     [Output("n", "children"), Output("g", "figure"), Output("h", "figure")], single=False)()
    assert two[0] == "note" and two[2] is no_update
    assert two[1]["layout"]["meta"]["text_alternative"]["en"] == "Chart: No data in this range"
    listed = annotating(lambda: [bars], [Output("g", "figure")], single=False)()
    assert "text_alternative" in listed[0]["layout"]["meta"]
