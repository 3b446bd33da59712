"""Scorecard charts: every bureau's score as stacked contributions, and one bureau's "why this score"."""
from __future__ import annotations

import pandas as pd

from figures.base import PALETTE, base_layout, empty_figure, figure


def build_scorecard_figure(bureaus: pd.DataFrame, contributions: pd.DataFrame, *, unit_names: dict[str, str],
                           indicator_names: dict[str, str], withheld_mark: str, highlight: str | None = None,
                           empty_message: str = "") -> dict:
    """Horizontal bars, best score on top, one segment per indicator's contribution (they add up to the
    score). `bureaus`: unit_code, score, rank (NaN = withheld); `contributions`: unit_code, indicator,
    contribution."""
    if bureaus.empty:
        return empty_figure(empty_message)
    order = list(bureaus.sort_values("score")["unit_code"])
    labels = {r.unit_code: (f"{unit_names.get(r.unit_code, r.unit_code)} · "
                            f"{withheld_mark if pd.isna(r.rank) else int(r.rank)}")
              for r in bureaus.itertuples(index=False)}
    y = [labels[c] for c in order]
    cell = {(r["unit_code"], r["indicator"]): r["contribution"] for r in contributions.to_dict("records")}
    traces = []
    for i, indicator in enumerate(dict.fromkeys(contributions["indicator"])):
        traces.append({"type": "bar", "orientation": "h", "name": indicator_names.get(indicator, indicator),
                       "y": y, "x": [round(float(cell.get((c, indicator), 0.0)), 2) for c in order],
                       "marker": {"color": PALETTE[i % len(PALETTE)]},
                       "hovertemplate": "%{y}: %{x:.1f}<extra>%{fullData.name}</extra>"})
    shapes = []
    if highlight in order:
        at = order.index(highlight)
        shapes.append({"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": at - 0.5,
                       "y1": at + 0.5, "line": {"color": "#b8404a", "width": 2}, "fillcolor": "rgba(0,0,0,0)"})
    layout = base_layout(height=120 + 22 * len(order), barmode="stack", hovermode="closest", shapes=shapes,
                         margin={"l": 10, "r": 20, "t": 10, "b": 80}, xaxis={"range": [0, 100], "dtick": 20},
                         yaxis={"automargin": True, "type": "category"})
    return figure(traces, layout)


def build_why_figure(parts: pd.DataFrame, *, indicator_names: dict[str, str], earned_name: str,
                     possible_name: str, empty_message: str = "") -> dict:
    """One bureau: each indicator's contribution against the most it could give (its weight x 100).
    `parts`: indicator, weight, contribution."""
    if parts.empty:
        return empty_figure(empty_message)
    y = [indicator_names.get(i, i) for i in parts["indicator"]][::-1]
    possible = [round(float(w) * 100, 2) for w in parts["weight"]][::-1]
    earned = [round(float(c), 2) for c in parts["contribution"]][::-1]
    traces = [
        {"type": "bar", "orientation": "h", "y": y, "x": possible, "name": possible_name,
         "marker": {"color": "#e5e7eb"}, "hovertemplate": "%{y}: %{x:.1f}<extra>%{fullData.name}</extra>"},
        {"type": "bar", "orientation": "h", "y": y, "x": earned, "name": earned_name,
         "marker": {"color": "#1f5fa8"}, "text": [f"{v:.1f}" for v in earned], "textposition": "outside",
         "hovertemplate": "%{y}: %{x:.1f}<extra>%{fullData.name}</extra>"},
    ]
    layout = base_layout(height=90 + 40 * len(y), barmode="overlay", hovermode="closest",
                         margin={"l": 10, "r": 30, "t": 10, "b": 60}, yaxis={"automargin": True})
    return figure(traces, layout)
