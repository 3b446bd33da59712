"""Load, once per process, what every first callback would otherwise load while a person waits: plotly's
default template (each figure carries it) and babel's number symbols for both languages. About 0.3 s, paid
when a web worker starts instead of by its first page."""
from __future__ import annotations

from figures.base import figure
from figures.formatting import format_amount, format_pct


def warm_up() -> None:
    figure([], {})
    for lang in ("zh", "en"):
        format_amount(123456.7, lang, "count")
        format_pct(12.3, lang)
