"""The self-contained HTML brief (and, through WeasyPrint, the PDF): the document blocks in GB/T 9704 layout,
charts as base64 PNG, no network needed."""
from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from metrics.api import Briefing

from briefing.document import brief_blocks, texts

_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def watermark_svg(text: str) -> str:
    """The draft watermark as a base64 SVG page background: large, rotated, faint."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">'
           '<text x="300" y="330" text-anchor="middle" transform="rotate(-35 300 300)" fill="#b00000" '
           f'fill-opacity="0.14" font-size="150" font-family="Noto Sans CJK SC, sans-serif">{escape(text)}</text></svg>')
    return base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(briefing: Briefing, lang: str, charts: dict[str, bytes]) -> str:
    """`charts` maps a chart key (see charts.build_brief_figures) to its PNG bytes."""
    return _ENV.get_template("brief.html.j2").render(
        lang=lang, t=(frame := texts(briefing, lang)), draft=briefing.is_draft,
        watermark_svg=watermark_svg(frame["watermark"]),
        blocks=brief_blocks(briefing, lang, set(charts)),
        charts={k: base64.b64encode(v).decode("ascii") for k, v in charts.items()},
    )
