"""A last period the data do not cover whole is drawn partial (dotted to a hollow point, labelled "to 4 Dec"),
never as a drop; periods after the data end are not drawn as zeros; close event labels never overlap."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import partial_label
from figures.overview import build_sparkline_figure
from figures.partial import cut_to_data, period_end
from figures.trends import LABEL_ROWS, build_trend_figure


def _months(values, start="2025-01-01", metric="clue_referrals"):
    periods = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({"metric": metric, "period": periods, "label": periods.strftime("%Y-%m"), "value": values,
                         "direction": 1, "measure": "count"})


def test_period_ends_and_the_cut():
    assert period_end(pd.Timestamp("2025-12-01"), "month") == dt.date(2025, 12, 31)
    assert period_end(dt.date(2025, 10, 1), "quarter") == dt.date(2025, 12, 31)
    assert period_end(pd.Timestamp("2025-12-01"), "week") == dt.date(2025, 12, 7)
    frame = _months([10] * 12)
    kept, partial = cut_to_data(frame, dt.date(2025, 10, 4), "month")
    assert len(kept) == 10 and partial == pd.Timestamp("2025-10-01")  # Nov, Dec not loaded: not zeros
    assert cut_to_data(frame, dt.date(2025, 12, 31), "month")[1] is None


def test_partial_labels_come_from_the_catalog():
    assert partial_label(dt.date(2025, 12, 4), "zh") == "截至12月4日"
    assert partial_label(dt.date(2025, 12, 4), "en") == "to 4 Dec"


def test_a_partial_last_month_is_dotted_to_a_hollow_point_and_labelled():
    frame = _months([100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 15])  # December: 4 days loaded
    fig = go.Figure(build_trend_figure(frame, names={"clue_referrals": "移送"}, facet_titles={},
                                       data_end=dt.date(2025, 12, 4), partial_label="截至12月4日"))
    solid, dotted = fig.data
    assert solid.connectgaps is False and solid.y[-2] is None and solid.y[-1] == 15  # no solid segment to the drop
    assert solid.marker.symbol[-1] == "circle-open" and solid.marker.symbol[0] == "circle"
    assert dotted.line.dash == "dot" and list(dotted.y) == [200, 15] and dotted.hoverinfo == "skip"
    assert dotted.showlegend is False and dotted.legendgroup == solid.legendgroup
    assert solid.customdata[-1] == "2025-12 (截至12月4日)"
    assert [a.text for a in fig.layout.annotations if a.text == "截至12月4日"] == ["截至12月4日"]
    whole = go.Figure(build_trend_figure(frame, names={}, facet_titles={}, data_end=dt.date(2025, 12, 31),
                                         partial_label="截至12月31日"))
    assert len(whole.data) == 1 and whole.data[0].line.dash is None
    assert not any(a.text == "截至12月31日" for a in whole.layout.annotations)


def test_every_panel_and_line_is_cut_at_the_same_period():
    frame = pd.concat([_months([5, 6, 7]), _months([50, 60, 70], metric="clue_referral_amount").assign(measure="yuan")])
    fig = go.Figure(build_trend_figure(frame, names={}, facet_titles={}, grain="month",
                                       data_end=dt.date(2025, 3, 9), partial_label="to 9 Mar"))
    dotted = [tr for tr in fig.data if tr.line.dash == "dot"]
    assert len(dotted) == 2 and {tr.yaxis for tr in dotted} == {"y", "y2"}
    assert sum(a.text == "to 9 Mar" for a in fig.layout.annotations) == 2


def test_close_event_labels_are_staggered_and_the_rest_go_to_hover():
    frame = _months([1] * 24, start="2024-01-01")
    days = [dt.date(2024, 3, 15) + dt.timedelta(days=i) for i in range(LABEL_ROWS + 2)]
    notes = pd.DataFrame({"day": days, "text": [f"事件{i}" for i in range(len(days))]})
    fig = go.Figure(build_trend_figure(frame, names={}, facet_titles={}, annotations=notes))
    events = [a for a in fig.layout.annotations if a.hovertext]
    assert len(events) == len(days)
    shown = [a for a in events if a.text != "●"]
    assert len({a.yshift for a in shown}) == LABEL_ROWS == len(shown)  # one row each: none on top of another
    assert all(a.textangle in (None, 0) for a in events)
    assert [a.hovertext for a in events if a.text == "●"] == ["事件3", "事件4"]
    apart = pd.DataFrame({"day": [dt.date(2024, 3, 1), dt.date(2025, 6, 1)], "text": ["A", "B"]})
    spread = go.Figure(build_trend_figure(frame, names={}, facet_titles={}, annotations=apart))
    assert {a.yshift for a in spread.layout.annotations if a.hovertext} == {0}


def test_a_sparkline_ends_dotted_on_a_partial_period():
    frame = _months([100, 120, 9])
    fig = go.Figure(build_sparkline_figure(frame, grain="month", data_end=dt.date(2025, 3, 4)))
    whole, last = fig.data
    assert list(whole.y) == [100, 120] and list(last.y) == [120, 9] and last.line.dash == "dot"
    assert len(go.Figure(build_sparkline_figure(frame, grain="month", data_end=dt.date(2025, 3, 31))).data) == 1
