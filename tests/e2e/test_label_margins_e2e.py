"""Bar and dot charts size their left margin from the label text (figures/base.py: label_margin) instead of
Plotly's automargin, which draws each chart twice. In the browser, every label must still be drawn whole, and
the margin not much wider than the longest label."""
from __future__ import annotations

import pytest

MEASURE = """id => {
  const gd = document.querySelector('#' + id + ' .js-plotly-plot');
  const svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const plot = gd.querySelector('.draglayer .nsewdrag').getBoundingClientRect();
  const labels = [...gd.querySelectorAll('.yaxislayer-above .ytick text')].map(t => t.getBoundingClientRect());
  return {count: labels.length, left: Math.min(...labels.map(r => r.left)) - svg.left,
          widest: Math.max(...labels.map(r => r.width)), margin: plot.left - svg.left};
}"""
CHARTS = [("/regions", "regions-ranking"), ("/", "overview-progress"), ("/compare?unit=440000", "compare-percentiles")]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path, graph", CHARTS)
def test_every_label_is_drawn_whole_in_a_margin_that_fits_it(page, live_server, path, graph, lang):
    page.goto(f"{live_server}{path}{'&' if '?' in path else '?'}lang={lang}")
    page.wait_for_function("id => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
                           " return g && g.querySelectorAll('.ytick text').length > 0; }", arg=graph)
    got = page.evaluate(MEASURE, graph)
    assert got["count"] >= 5
    assert got["left"] >= 0, got  # no label starts left of the chart: none is cut off
    assert got["margin"] <= 1.25 * got["widest"] + 24, got  # and the estimate wastes little room
