"""The tile-grid map of the 36 bureaus and the charts beside it. No map data: tiles sit on a fixed grid."""
from __future__ import annotations

import math
import re

import pandas as pd
from plotly.colors import get_colorscale

from figures.base import base_layout, empty_figure, figure, label_margin

TICK_SIZE = 11  # px: a ranking's bureau names

# The stops themselves: plotly.js has a "Blues" of its own, unlike the one plotly.py resolves the name to.
SEQUENTIAL = get_colorscale("Blues")
DIVERGING = [[0.0, "#b8404a"], [0.5, "#f3f4f6"], [1.0, "#1f5fa8"]]
MISSING_TILE = "#e5e7eb"
TILE_CHARS = 7  # Latin letters that fit one line of a tile at font size 10 (a tile is about 52 px wide)
_SYLLABLE = re.compile(r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|uai|iao|ai|ei|"
                       r"ao|ou|an|en|in|un|ia|ie|ua|uo|ue|ui|er|a|o|e|i|u|v)", re.IGNORECASE)


def tile_label(name: str, width: int = TILE_CHARS) -> str:
    """A name that fits a tile: as is when short, else on two lines, at a space ("Inner<br>Mongolia") or
    between pinyin syllables ("Guang-<br>dong"); a name that is not pinyin is cut in the middle."""
    if len(name) <= width:
        return name
    if " " in name:
        spaces = [i for i, c in enumerate(name) if c == " "]
        cut = min(spaces, key=lambda i: abs(len(name) - 2 * i))
        return f"{name[:cut]}<br>{name[cut + 1:]}"
    ends, pos = [], 0
    while pos < len(name) and (m := _SYLLABLE.match(name, pos)):
        pos = m.end()
        ends.append(pos)
    cuts = ends[:-1] if pos == len(name) and len(ends) > 1 else [(len(name) + 1) // 2]
    cut = min(cuts, key=lambda i: max(i, len(name) - i))
    return f"{name[:cut]}-<br>{name[cut:]}"


def colourbar_title(text: str, width: int = 14) -> str:
    """A colour-bar title set horizontally above the bar, in lines of about `width` (a Chinese character counts
    two), so that it is never turned on its side."""
    lines, line = [], ""
    for word in (text.split(" ") if " " in text else list(text)):
        joined = f"{line} {word}" if line and " " in text else line + word
        if line and sum(2 if ord(c) > 0x2E80 else 1 for c in joined) > width:
            lines.append(line)
            joined = word
        line = joined
    return "<br>".join(lines + [line])


def build_tile_map_figure(df: pd.DataFrame, *, colour_title: str, diverging: bool = False,
                          selected: str | None = None, height: int = 470) -> dict:
    """One equal tile per bureau at (tile_row, tile_col), coloured by `colour`.

    `df`: unit_code, short_name, tile_row, tile_col, colour (float, NaN = no value), text (formatted value).
    Tiles without a value are drawn grey. customdata carries the unit code for click-through.
    """
    if df.empty:
        return empty_figure(colour_title)
    rows, cols = int(df["tile_row"].max()) + 1, int(df["tile_col"].max()) + 1
    z = [[None] * cols for _ in range(rows)]
    text = [[""] * cols for _ in range(rows)]
    codes = [[""] * cols for _ in range(rows)]
    for r in df.itertuples(index=False):
        colour = None if r.colour is None or (isinstance(r.colour, float) and math.isnan(r.colour)) else r.colour
        z[r.tile_row][r.tile_col] = colour
        text[r.tile_row][r.tile_col] = f"<b>{tile_label(r.short_name)}</b><br>{r.text}"
        codes[r.tile_row][r.tile_col] = r.unit_code
    values = [v for v in df["colour"] if v is not None and not (isinstance(v, float) and math.isnan(v))]
    span = max((abs(v) for v in values), default=1.0) or 1.0
    heat = {
        "type": "heatmap", "z": z, "text": text, "customdata": codes, "texttemplate": "%{text}",
        "textfont": {"size": 11 if df["short_name"].str.len().max() <= 4 else 10}, "hovertemplate": "%{text}<extra></extra>", "xgap": 4, "ygap": 4,
        "hoverongaps": False, "colorscale": [list(stop) for stop in (DIVERGING if diverging else SEQUENTIAL)],
        "zmin": -span if diverging else 0, "zmax": span if diverging else max(values, default=1.0),
        "colorbar": {"title": {"text": colourbar_title(colour_title), "side": "top"}, "thickness": 12},
    }
    # Tiles with no value still need to be visible: grey squares in the heatmap's gaps. Only those: every shape
    # costs Plotly time on each redraw (36 of them took ~12 ms of a change on Regions).
    shapes = [{"type": "rect", "x0": r.tile_col - 0.47, "x1": r.tile_col + 0.47, "y0": r.tile_row - 0.47,
               "y1": r.tile_row + 0.47, "fillcolor": MISSING_TILE, "line": {"width": 0}, "layer": "below"}
              for r in df.itertuples(index=False) if z[r.tile_row][r.tile_col] is None]
    if selected and selected in set(df["unit_code"]):
        s = df[df["unit_code"] == selected].iloc[0]
        shapes.append({"type": "rect", "x0": s.tile_col - 0.5, "x1": s.tile_col + 0.5, "y0": s.tile_row - 0.5,
                       "y1": s.tile_row + 0.5, "line": {"color": "#111827", "width": 3}})
    layout = base_layout(height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10}, shapes=shapes,
                         xaxis={"visible": False, "range": [-0.5, cols - 0.5], "fixedrange": True},
                         yaxis={"visible": False, "range": [rows - 0.5, -0.5], "fixedrange": True,
                                "scaleanchor": "x"})
    return figure([heat], layout)


def ranking_height(bars: int) -> int:
    """Pixels for a ranking of `bars` bars: one 19 px row each, at least 260."""
    return max(260, 60 + 19 * bars)


def build_ranking_figure(df: pd.DataFrame, *, value_title: str, selected: str | None = None,
                         height: int | None = None, empty_message: str = "") -> dict:
    """Horizontal bars, largest on top. `df`: unit_code, name, colour (value), text."""
    ranked = df.dropna(subset=["colour"]).sort_values("colour", ascending=True)
    if ranked.empty:
        return empty_figure(empty_message or value_title, height=height or 260)
    colours = ["#d9822b" if c == selected else "#1f5fa8" for c in ranked["unit_code"]]
    bars = {"type": "bar", "x": list(ranked["colour"]), "y": list(ranked["name"]), "orientation": "h",
            "text": list(ranked["text"]), "textposition": "outside", "cliponaxis": False,
            "marker": {"color": colours}, "customdata": list(ranked["unit_code"]),
            "hovertemplate": "%{y}: %{text}<extra></extra>"}
    layout = base_layout(title=value_title, height=height or ranking_height(len(ranked)), showlegend=False,
                         margin={"l": label_margin(bars["y"], TICK_SIZE), "r": 60, "t": 40, "b": 20},
                         yaxis={"tickfont": {"size": TICK_SIZE}}, xaxis={"visible": False})
    return figure([bars], layout)
