"""Load, once per process, what every first callback would otherwise load while a person waits: plotly's
default template (each figure carries it), babel's number symbols for both languages, and the stacked-panel
grids of the trend charts (make_subplots: the Regions drill's first answer took 101 ms instead of 15-20). About
0.4 s, paid when a web worker starts instead of by its first pages."""
from __future__ import annotations

from figures.base import figure
from figures.formatting import format_amount, format_pct
from figures.trends import panel_grid


def warm_up() -> None:
    figure([], {})
    for lang in ("zh", "en"):
        format_amount(123456.7, lang, "count")
        format_pct(12.3, lang)
    for panels in range(1, 5):  # one panel per metric or category shown: the drill's one to the default four
        panel_grid(panels)
