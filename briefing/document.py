"""The self-contained HTML brief: text, tables and base64 PNG charts in one file that prints well."""
from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from metrics.api import Briefing

from briefing.narrative import date_text

from briefing.story import coverage_notes, direction_sections
from briefing.tables import bureau_table, figures_table, revision_lines

_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def _texts(briefing: Briefing, lang: str) -> dict:
    content = briefing.content
    as_of = dt.date.fromisoformat(content["as_of"])
    quarter = content["quarter"]
    year, q = quarter.split("Q")
    created = briefing.created_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    if lang == "zh":
        version = "草稿（未发布）" if briefing.is_draft else f"第{briefing.version}版"
        return {
            "title": f"金融领域黑灰产联合打击工作季度简报（{year}年第{'一二三四'[int(q) - 1]}季度，数据截至{date_text(as_of, lang)}）",
            "footer": f"季度简报 {briefing.period} · {version}",
            "draft": "草稿：本文件未发布，不可引用。",
            "version_line": f"{version} · 生成于{created}（北京时间） · 期间标识 {briefing.period}",
            "frozen": "本简报为冻结版本：此后的数据修订不会改变本版本的任何数字，修订情况记入后续版本的修订说明。",
            "hash_label": "内容哈希", "definitions_label": "指标定义指纹",
            "summary": "工作进展", "charts": "图表", "coverage": "数据覆盖与时效说明",
            "figures": "附表：简报所用精确数字",
            "figures_note": "全国合计为总局机关与36个监管局之和；金额单位为元；环比、同比为与上季度同期、上年同期相比，"
                            "基数较小时不计增幅。",
            "revisions": "修订说明",
        }
    version = "Draft (not published)" if briefing.is_draft else f"Version {briefing.version}"
    return {
        "title": f"Quarterly briefing: joint crackdown on black and grey industry crime in the financial sector "
                 f"— {quarter}, data as of {date_text(as_of, lang)}",
        "footer": f"Quarterly briefing {briefing.period} · {version}",
        "draft": "DRAFT: not published, not for citation.",
        "version_line": f"{version} · generated {created} (Beijing time) · period {briefing.period}",
        "frozen": "This brief is frozen: later revisions of the data never change its figures; they are recorded "
                  "in the revision note of a later version.",
        "hash_label": "Content hash", "definitions_label": "definitions fingerprint",
        "summary": "Progress", "charts": "Charts", "coverage": "Coverage and freshness",
        "figures": "Annex: the exact figures behind this brief",
        "figures_note": "National totals are HQ plus the 36 bureaus; amounts in yuan; QoQ and YoY compare with the "
                        "same point of the previous quarter and of the same quarter last year, and are left out "
                        "on a small base.",
        "revisions": "Revision note",
    }


def render_html(briefing: Briefing, lang: str, charts: dict[str, bytes]) -> str:
    """`charts` maps a chart key (see charts.build_brief_figures) to its PNG bytes."""
    content = briefing.content
    freshness = briefing.payload.get("generation", {}).get("freshness", [])
    return _ENV.get_template("brief.html.j2").render(
        lang=lang, t=_texts(briefing, lang), draft=briefing.is_draft,
        content_hash=briefing.content_hash, fingerprint=briefing.definitions_fingerprint,
        directions=direction_sections(content, lang), coverage=coverage_notes(content, freshness, lang),
        figures_table=figures_table(content, lang), bureau_table=bureau_table(content, lang),
        revision=revision_lines(briefing.revision_note, content, lang),
        charts={k: base64.b64encode(v).decode("ascii") for k, v in charts.items()},
    )
