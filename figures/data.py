"""Data-quality charts: the coverage matrix, the referral funnel and a flagged bureau-month in its history."""
from __future__ import annotations

import pandas as pd

from figures.base import base_layout, empty_figure, figure, hline

# State -> (position on the colour scale, colour). Missing months must stand out from zero months.
STATE_COLOURS = {"reported": (0, "#2e9e6b"), "reported_zero": (1, "#a7d7bf"), "late": (2, "#d9822b"),
                 "not_reported": (3, "#b8404a"), "not_due": (4, "#e5e7eb")}


# A return's coverage cell (metrics/returns/coverage_cells.py): covered, pending with its state, or missing.
RETURN_CELL_COLOURS = {"covered": (0, "#2e9e6b"), "covered_zero": (1, "#a7d7bf"), "pending_submitted": (2, "#e8c547"),
                       "pending_sent_back": (3, "#d9822b"), "missing_due": (4, "#e5e7eb"),
                       "missing_late": (5, "#b8404a")}


def _discrete_scale(colours: dict = STATE_COLOURS) -> list:
    n = len(colours)
    scale = []
    for position, colour in colours.values():
        scale += [[position / n, colour], [(position + 1) / n, colour]]
    return scale


def build_coverage_figure(matrix: pd.DataFrame, *, unit_names: dict[str, str], state_names: dict[str, str],
                          title: str, empty_message: str, column: str = "state",
                          colours: dict = STATE_COLOURS) -> dict:
    """Unit × month heatmap of one source's reporting states. `matrix`: unit_code, month and `column` (the
    state, or a return's coverage cell with colours=RETURN_CELL_COLOURS)."""
    if matrix.empty:
        return empty_figure(empty_message)
    months = sorted(matrix["month"].unique())
    codes = sorted(matrix["unit_code"].unique(), reverse=True)
    grid = matrix.pivot_table(index="unit_code", columns="month", values=column, aggfunc="first")
    grid = grid.reindex(index=codes, columns=months)
    z = [[colours[s][0] + 0.5 if isinstance(s, str) else None for s in row] for row in grid.to_numpy()]
    text = [[state_names.get(s, "") if isinstance(s, str) else "" for s in row] for row in grid.to_numpy()]
    labels = [m.isoformat()[:7] if hasattr(m, "isoformat") else str(m)[:7] for m in months]
    n = len(colours)
    heat = {"type": "heatmap", "z": z, "x": labels, "y": [unit_names.get(c, c) for c in codes], "text": text,
            "zmin": 0, "zmax": n, "colorscale": _discrete_scale(colours), "xgap": 1, "ygap": 1,
            "hovertemplate": "%{y} %{x}: %{text}<extra></extra>",
            "colorbar": {"tickvals": [p + 0.5 for p, _ in colours.values()],
                         "ticktext": [state_names.get(s, s) for s in colours], "len": 0.6}}
    layout = base_layout(title=title, height=max(320, 60 + 16 * len(codes)),
                         margin={"l": 10, "r": 10, "t": 50, "b": 40},
                         yaxis={"automargin": True, "tickfont": {"size": 11}})
    return figure([heat], layout)


def build_funnel_figure(stages: pd.DataFrame, *, stage_names: dict[str, str], title: str,
                        empty_message: str) -> dict:
    """The five funnel stages with counts and the share kept from the stage before. `stages`: stage, count."""
    if stages.empty or int(stages["count"].iloc[0]) == 0:
        return empty_figure(empty_message)
    funnel = {"type": "funnel", "y": [stage_names.get(s, s) for s in stages["stage"]], "x": list(stages["count"]),
              "textinfo": "value+percent previous", "marker": {"color": "#1f5fa8"}}
    layout = base_layout(title=title, height=320, margin={"l": 10, "r": 10, "t": 50, "b": 20},
                         yaxis={"automargin": True})
    return figure([funnel], layout)


def build_anomaly_figure(series: pd.DataFrame, flagged: pd.DataFrame, *, title: str, median: float | None,
                         flag_name: str, empty_message: str) -> dict:
    """A bureau's monthly values with its anomalous months marked. `series`: period, value; `flagged`: month, z."""
    if series.empty:
        return empty_figure(empty_message)
    x = pd.to_datetime(series["period"])
    traces = [{"type": "scatter", "x": list(x), "y": list(series["value"]), "mode": "lines+markers", "name": title,
               "line": {"color": "#1f5fa8"}}]
    if not flagged.empty:
        fx = pd.to_datetime(flagged["month"])
        values = series.assign(period=x).set_index("period")["value"].reindex(fx)
        traces.append({"type": "scatter", "x": list(fx), "y": list(values), "mode": "markers", "name": flag_name,
                       "marker": {"color": "#b8404a", "size": 13, "symbol": "diamond"},
                       "text": [f"z = {z:.1f}" for z in flagged["z"]],
                       "hovertemplate": "%{x|%Y-%m}: %{y} (%{text})<extra></extra>"})
    layout = base_layout(title=title, height=300)
    if median is not None:
        layout["shapes"] = [hline(median, dash="dot", colour="#9ca3af")]
    return figure(traces, layout)
