"""The last period of a series that the data do not cover whole (December with 4 days loaded): which one it is,
and how a line draws it, dashed to a hollow point, so that it never reads as a drop."""
from __future__ import annotations

import datetime as dt

import pandas as pd


def period_end(start: pd.Timestamp | dt.date, grain: str) -> dt.date:
    """The last day of the period that starts on `start`."""
    first = pd.Timestamp(start)
    if grain == "day":
        end = first
    elif grain == "week":
        end = first + pd.Timedelta(days=6)
    else:
        months = {"month": 1, "quarter": 3, "year": 12}[grain]
        end = first + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    return end.date()


def cut_to_data(df: pd.DataFrame, data_end: dt.date | None, grain: str) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """Rows of periods that start on or before `data_end` (later ones are not loaded, not zero), and the start
    of the last period when `data_end` falls inside it (it is partial), else None."""
    if data_end is None or df.empty:
        return df, None
    periods = pd.to_datetime(df["period"])
    kept = df[periods <= pd.Timestamp(data_end)]
    if kept.empty:
        return kept, None
    last = pd.to_datetime(kept["period"]).max()
    return kept, (last if period_end(last, grain) > data_end else None)


def split_partial_line(trace: dict, partial_start: pd.Timestamp | None) -> list[dict]:
    """A line trace as drawn: when its last point is the partial period, that point is hollow and the segment
    to it dashed (a second, hover-less trace), and the solid line stops at the last whole period."""
    xs = list(trace["x"])
    if partial_start is None or not xs or pd.Timestamp(xs[-1]) != partial_start:
        return [trace]
    n = len(xs)
    size = trace.get("marker", {}).get("size", 5) if "markers" in trace.get("mode", "") else 0
    solid = {**trace, "mode": "lines+markers",
             # a gap before the last point: the solid line ends at the last whole period
             "x": xs[:-1] + [xs[-1], xs[-1]], "y": list(trace["y"])[:-1] + [None, list(trace["y"])[-1]],
             "customdata": list(trace["customdata"])[:-1] + [None, list(trace["customdata"])[-1]],
             "connectgaps": False,
             "marker": {**trace.get("marker", {}), "size": [size] * (n - 1) + [0, 9],
                        "symbol": ["circle"] * (n - 1) + ["circle", "circle-open"],
                        "line": {"width": 2, "color": trace["line"]["color"]}}}
    out = [solid]
    if n > 1:
        out.append({"type": "scatter", "x": xs[-2:], "y": list(trace["y"])[-2:], "mode": "lines",
                    "line": {**trace["line"], "dash": "dot"}, "hoverinfo": "skip", "showlegend": False,
                    "legendgroup": trace.get("legendgroup"), "xaxis": trace["xaxis"], "yaxis": trace["yaxis"]})
    return out
