"""The brief as one ordered list of blocks (title, headings with official numbering, paragraphs, tables,
charts), which the HTML/PDF template and the Word writer both lay out, so the two never differ in content.

Headings are numbered as a Chinese official document is (GB/T 9704): 一、 / （一） / 1. / （1）.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from metrics.api import Briefing

from briefing.categories import category_sections
from briefing.coverage_text import coverage_notes
from briefing.returns_section import returns_lines, returns_title
from briefing.revisions import beijing, revision_lines
from briefing.story import direction_sections, methodology, preamble
from briefing.tables import bureau_table, campaign_table, figures_table, published_as_of
from briefing.wording import day, quarter_name, t

ZH_DIGITS = "零一二三四五六七八九十"
CHARTS = ("amounts", "top_bureaus", "progress")


def zh_number(n: int) -> str:
    """1..99 in Chinese numerals: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else ZH_DIGITS[tens]) + "十" if tens else "") + (ZH_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int, lang: str) -> str:
    if lang == "zh":
        return (f"{zh_number(n)}、", f"（{zh_number(n)}）", f"{n}.", f"（{n}）")[level - 1]
    return (f"{n}. ", f"({chr(96 + n)}) ", f"{n}. ", f"({n}) ")[level - 1]


@dataclass
class Block:
    kind: str  # title | subtitle | meta | heading | para | bullets | table | figure
    text: str = ""
    level: int = 0
    number: str = ""
    items: list[str] = field(default_factory=list)
    table: dict | None = None
    chart: str = ""
    draft: bool = False


def texts(briefing: Briefing, lang: str) -> dict:
    """The document frame: title, footer, version line and notices."""
    content = briefing.content
    version = (t("version.draft", lang) if briefing.is_draft else
               t("version.published", lang, version=briefing.version))
    created = beijing(briefing.created_at.isoformat())
    return {
        "title": t("title", lang),
        "subtitle": t("subtitle", lang, quarter=quarter_name(content["quarter"], lang), date=day(content["as_of"], lang)),
        "footer": t("footer", lang, period=briefing.period, version=version),
        "version_line": t("version_line", lang, version=version, created=created, period=briefing.period),
        # A draft says it is a draft and never that it is frozen.
        "notice": t("draft_notice", lang) if briefing.is_draft else t("frozen_notice", lang),
        "watermark": t("watermark", lang),
        "hash": f"{t('hash_label', lang)} {briefing.content_hash} · {t('definitions_label', lang)} "
                f"{briefing.definitions_fingerprint}",
    }


class _Outline:
    """Hands out the next number at each heading level (a deeper level restarts under a new parent)."""

    def __init__(self, lang: str):
        self.lang, self.counts = lang, [0, 0, 0, 0]

    def heading(self, level: int, text: str) -> Block:
        self.counts[level - 1] += 1
        self.counts[level:] = [0] * (4 - level)
        return Block("heading", text, level=level, number=heading_number(level, self.counts[level - 1], self.lang))


def brief_blocks(briefing: Briefing, lang: str, charts: set[str]) -> list[Block]:
    """The whole brief in reading order. `charts`: the chart keys that have an image."""
    content = briefing.content
    frame = texts(briefing, lang)
    staff = briefing.payload.get("staff", {}).get(lang, {})
    out = _Outline(lang)
    blocks = [Block("title", frame["title"]), Block("subtitle", frame["subtitle"]),
              Block("meta", items=[frame["notice"], frame["version_line"], frame["hash"]], draft=briefing.is_draft),
              Block("para", preamble(content, lang)),
              out.heading(1, t("heading.summary", lang))]
    for section in direction_sections(content, lang, staff.get("directions")):
        blocks.append(out.heading(2, section["name"]))
        blocks += [Block("para", text) for text in (section["headline"], section["quarter"]) if text]
        if section["bureaus"]:
            blocks.append(Block("para", t("sentence_sep", lang).join(section["bureaus"])))
        for key in ("key_work", "next_steps"):
            if section[key].strip():
                blocks.append(out.heading(3, t(f"heading.{key}", lang)))
                blocks += [Block("para", p.strip()) for p in section[key].splitlines() if p.strip()]
        if f"direction_{section['number']}" in charts:
            blocks.append(Block("figure", section["name"], chart=f"direction_{section['number']}"))
    notes = [n.strip() for n in staff.get("case_notes", "").split("\n\n") if n.strip()]
    if notes:
        blocks.append(out.heading(2, t("heading.case_notes", lang)))
        blocks += [Block("para", n.replace("\n", "")) for n in notes]
    sections = category_sections(content, lang)
    if sections:
        blocks.append(out.heading(1, t("heading.categories", lang)))
        for section in sections:
            blocks.append(out.heading(2, section["title"]))
            blocks += [Block("para", t("sentence_sep", lang).join(section["sentences"])),
                       Block("table", table=section["table"])]
    shown = [key for key in CHARTS if key in charts]
    if shown:
        blocks.append(out.heading(1, t("heading.charts", lang)))
        blocks += [Block("figure", key, chart=key) for key in shown]
    blocks.append(out.heading(1, t("heading.coverage", lang)))
    blocks.append(Block("bullets", items=coverage_notes(content, briefing.payload.get("generation", {})
                                                         .get("freshness", []), lang)))
    returns = returns_lines(content, lang)
    if returns:  # bureau returns by status and the quarter's sign-offs (issue 16)
        blocks.append(out.heading(1, returns_title(lang)))
        blocks.append(Block("bullets", items=returns))
    blocks.append(out.heading(1, t("heading.figures", lang)))
    blocks.append(Block("para", methodology(lang)))
    blocks.append(Block("para", t("published_note", lang, date=day(published_as_of(content), lang))))
    blocks.append(Block("table", table=figures_table(content, lang)))
    blocks.append(Block("table", table=campaign_table(content, lang)))
    blocks += [Block("table", table=part) for part in _split_columns(bureau_table(content, lang))]
    blocks.append(out.heading(1, t("heading.revisions", lang)))
    blocks.append(Block("bullets", items=revision_lines(briefing.revision_note, content, lang)))
    return blocks


def _split_columns(table: dict, groups: int = 2) -> list[dict]:
    """The per-unit table is 13 columns wide; two tables of two metrics each fit a 156 mm type area."""
    per = (len(table["header"]) - 1) // groups
    out = []
    for g in range(groups):
        cols = [0] + list(range(1 + g * per, 1 + (g + 1) * per))
        out.append({"kind": table["kind"], "header": [table["header"][c] for c in cols],
                    "rows": [[r[c] for c in cols] for r in table["rows"]], "numeric_from": 1})
    return out

