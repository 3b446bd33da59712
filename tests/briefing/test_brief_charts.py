"""The brief's charts can be read: distinct colour-blind-safe colours, small series on their own panel, dates
in the brief's language, axis titles with units, incomplete periods marked."""
from __future__ import annotations

import datetime as dt

import pytest

from metrics.api import BriefingPeriod
from metrics.snapshots import BriefingStore
from metrics.db import make_engine, upgrade
from metrics.models import utcnow
from tests.briefing.seed import seed

from briefing.charts import PALETTE, build_brief_figures, panels


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('store') / 'imd.sqlite'}")
    upgrade(engine)
    seed(engine)
    yield BriefingStore(engine).build(BriefingPeriod.for_as_of(dt.date(2025, 11, 20)), now=utcnow()).content
    engine.dispose()


def test_a_small_series_gets_its_own_panel():
    assert panels({"big": [1500, 1400], "tiny": [0, 2], "mid": [900, 1000]}) == [["big", "mid"], ["tiny"]]


def test_palette_is_distinct_and_every_series_has_its_own_colour(content):
    assert len(set(PALETTE)) == len(PALETTE) == 8
    progress = build_brief_figures(content, "zh")["progress"]
    colours = [trace.line.color for trace in progress.data if trace.showlegend is not False]
    assert len(colours) == len(set(colours))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labels_units_and_partial_periods(content, lang):
    figures = build_brief_figures(content, lang)
    for key, fig in figures.items():  # every value axis has a title with its unit; so does the bottom x axis
        axes = sorted(a for a in fig.layout if a.startswith("yaxis"))
        assert all(fig.layout[a].title.text for a in axes), key
        bottom = "xaxis" if key in ("amounts", "top_bureaus", "progress") else f"xaxis{len(axes)}".replace("xaxis1", "xaxis")
        assert fig.layout[bottom].title.text, key
    direction = figures["direction_2"]
    ticks = list(direction.data[0].x)
    if lang == "zh":
        assert ticks[0] == "2023年二季度（6月1日起）" and ticks[-1] == "2025年四季度（至11月20日）"
        assert figures["progress"].data[0].x[1] == "2023年7月"
        assert figures["top_bureaus"].layout.xaxis.title.text == "移送公安线索（条）"
    else:
        assert ticks[-1] == "2025 Q4 (to 20 Nov)" and figures["progress"].data[0].x[1] == "Jul 2023"
    opacity = direction.data[0].marker.opacity
    assert opacity[0] < 1 and opacity[-1] < 1 and all(o == 1 for o in opacity[1:-1])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_partial_period_is_drawn_partial_not_as_a_drop(content, lang):
    """As of 20 Nov: November is dotted to a hollow point on the progress lines, pale and hatched in the bars."""
    figures = build_brief_figures(content, lang)
    progress = figures["progress"]
    solid = [tr for tr in progress.data if tr.showlegend is not False]
    dotted = [tr for tr in progress.data if tr.showlegend is False]
    assert len(solid) == len(dotted) > 0
    last = "2025年11月（至11月20日）" if lang == "zh" else "Nov 2025 (to 20 Nov)"
    for whole, end in zip(solid, dotted):
        assert whole.x[-1] != last and list(end.x) == [whole.x[-1], last] and end.y[0] == whole.y[-1]
        assert end.line.dash == "dot" and end.marker.symbol == "circle-open" and end.legendgroup == whole.legendgroup
    notes = [a.text for a in progress.layout.annotations]
    assert ("虚线末段、空心点为不完整月份" if lang == "zh" else "Dotted end, hollow point: incomplete month") in notes
    bars = figures["direction_1"].data[0].marker.pattern.shape
    assert bars[-1] == bars[0] == "/" and set(bars[1:-1]) == {""}  # 2023Q2 from 1 June, 2025Q4 to 20 Nov
