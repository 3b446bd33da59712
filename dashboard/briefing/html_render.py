"""The self-contained HTML brief (and, through WeasyPrint, the PDF): the document blocks in GB/T 9704 layout,
charts as base64 PNG, no network needed."""
from __future__ import annotations

import base64
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from metrics.api import Briefing

from dashboard.briefing.document import brief_blocks, texts

_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def render_html(briefing: Briefing, lang: str, charts: dict[str, bytes]) -> str:
    """`charts` maps a chart key (see charts.build_brief_figures) to its PNG bytes."""
    return _ENV.get_template("brief.html.j2").render(
        lang=lang, t=texts(briefing, lang), draft=briefing.is_draft,
        blocks=brief_blocks(briefing, lang, set(charts)),
        charts={k: base64.b64encode(v).decode("ascii") for k, v in charts.items()},
    )
