"""The Data page's frame builders and figures over a small demo store, as a national and a bureau reader."""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import pytest

from dashboard.callbacks.data import (anomaly_frame, coverage_frame, download_frame, funnel_result,
                                      quarantine_frames)
from figures.data import build_anomaly_figure, build_coverage_figure, build_funnel_figure
from metrics.api import SYSTEM, AccessDenied, MetricsQuery, Principal, SeriesRequest, Window
from tests.metrics.funnel_fixtures import MISSING_UNIT, load_demo, make_demo

WINDOW = Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def store(module_store_engine, tmp_path_factory):
    load_demo(module_store_engine, make_demo(tmp_path_factory.mktemp("data_page")))
    return module_store_engine


def test_coverage_heatmap_marks_the_missing_month(store):
    matrix = coverage_frame(MetricsQuery(store, SYSTEM), WINDOW)
    sheets = matrix[matrix["source"] == "activity_sheets"]
    fig = go.Figure(build_coverage_figure(sheets, unit_names={}, state_names={"not_reported": "NR"}, title="t",
                                          empty_message="none"))
    heat = fig.data[0]
    row = list(heat.y).index(MISSING_UNIT)
    col = list(heat.x).index("2024-05")
    assert heat.text[row][col] == "NR" and len(heat.x) == 12 and len(heat.y) == 36


def test_funnel_and_anomalies(store):
    query = MetricsQuery(store, SYSTEM)
    result = funnel_result(query, WINDOW, None)
    fig = go.Figure(build_funnel_figure(result.stages, stage_names={}, title="f", empty_message="none"))
    assert list(fig.data[0].x) == list(result.stages["count"]) and result.regulator_only is not None
    flagged = anomaly_frame(query, WINDOW)
    assert {"metric", "unit_code", "month", "z"} <= set(flagged.columns)
    if len(flagged):
        top = flagged.iloc[0]
        series = query.series(SeriesRequest(WINDOW, (top["metric"],), "month", unit=top["unit_code"])).frame
        fig = go.Figure(build_anomaly_figure(series, flagged.head(1), title="a", median=1.0, flag_name="x",
                                             empty_message=""))
        assert len(fig.data) == 2


def test_a_bureau_reader_is_scoped(store):
    query = MetricsQuery(store, SYSTEM).as_principal(Principal("gd", "bureau", "440000"))
    with pytest.raises(AccessDenied):
        quarantine_frames(query, "110000", None)
    summary, rows = quarantine_frames(query, "440000", None)
    assert set(rows["unit_code"].str[:2]) <= {"44"}
    other = funnel_result(query, WINDOW, "110000")  # counts, but no records of another bureau
    assert other.regulator_only is None and other.counts["identified"] > 0
    with pytest.raises(AccessDenied):
        download_frame("quarantine", query, WINDOW, "110000", None)
    assert download_frame("unmatched", query, WINDOW, "110000", None)["stage"].tolist()[0] == "identified"
