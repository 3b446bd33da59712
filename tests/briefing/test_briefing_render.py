"""Rendering a brief: HTML, PDF and PNG charts in both languages; the PDF is text in real CJK fonts."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
import time

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image, ImageStat
from pypdf import PdfReader
from weasyprint import HTML

from metrics.api import BriefingPeriod
from metrics.db import make_engine, upgrade
from metrics.models import utcnow
from metrics.snapshots import BriefingStore
from tests.briefing.seed import seed

from briefing.export import render_brief
from briefing.html_render import render_html
from briefing.story import direction_sections
from briefing.tables import campaign_table, figures_table
from briefing.word import write_docx


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('store') / 'imd.sqlite'}")
    upgrade(engine)
    seed(engine)
    briefing = BriefingStore(engine).publish(BriefingPeriod.for_as_of(dt.date(2025, 11, 30)), now=utcnow()).briefing
    yield briefing
    engine.dispose()


@pytest.fixture(scope="module")
def rendered(published, tmp_path_factory):
    started = time.perf_counter()
    out = render_brief(published, tmp_path_factory.mktemp("briefs"))
    print(f"\nrendered HTML+PDF+PNG, zh and en, in {time.perf_counter() - started:.1f} s")
    return out


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = font.get_object()
            names.add(str(font.get("/BaseFont")))
    return names


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_is_text_in_cjk_fonts(published, rendered, lang, tmp_path):
    reader = PdfReader(rendered.pdf[lang])
    text = "".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())
    spaced = " ".join(text.split())
    headline = direction_sections(published.content, lang)[0]["headline"]
    assert "".join(headline.split())[:24] in flat  # the narrative is real text, not an image of it
    if lang == "zh":
        assert "超过" in flat and "逾" in flat and "亿元" in flat and "分兵作战" in flat
    else:
        assert "over" in spaced and "billion yuan" in spaced
    assert "\ufffd" not in text and ".notdef" not in text
    fonts = _fonts(reader)
    assert any("Noto-Serif-CJK-SC" in f for f in fonts), fonts  # the 仿宋 stand-in
    pages = subprocess.run(["pdftoppm", "-r", "40", "-png", rendered.pdf[lang], tmp_path / "page"],
                           check=True, capture_output=True)
    assert pages.returncode == 0
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == len(reader.pages) >= 3
    for image in images:  # every page has ink on it
        assert ImageStat.Stat(Image.open(image).convert("L")).extrema[0][0] < 100


def test_charts_are_not_blank(rendered):
    for lang in ("zh", "en"):
        assert len(rendered.png[lang]) == 7
        for path in rendered.png[lang]:
            image = Image.open(path).convert("L")
            assert image.width >= 900 and ImageStat.Stat(image).stddev[0] > 15, path.name


def test_html_is_self_contained(rendered):
    for lang in ("zh", "en"):
        html = rendered.html[lang].read_text(encoding="utf-8")
        assert html.count("data:image/png;base64,") == 7
        assert "http://" not in html and "https://" not in html and "<script" not in html
        assert "Noto Sans CJK SC" in html
    assert "专项行动开展以来" in rendered.html["zh"].read_text(encoding="utf-8")


def _east_asian(element) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts")) if element.tag != qn("w:rPr") else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_word_brief_is_an_official_document(published, rendered, lang):
    """GB/T 9704 in the .docx: fonts and sizes, the 22 x 28 grid, numbered headings, "— PAGE —", the real table."""
    doc = Document(rendered.docx[lang])
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16) and _east_asian(normal.element) == "仿宋_GB2312"
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.top_margin.mm), round(section.left_margin.mm)) == (210, 37, 28)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) == int(Mm(225).twips / 22)
    title = doc.paragraphs[0].runs[0]
    assert title.font.size == Pt(22) and _east_asian(title._r) == "方正小标宋简体"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    levels = {p.style.name: p.text for p in doc.paragraphs if p.style.name.startswith("Heading")}
    if lang == "zh":
        assert headings[0] == "一、工作进展" and headings[1].startswith("（一）从“分兵作战”")
        assert any(h.startswith("二、按犯罪类型") for h in headings)
        assert _east_asian(doc.styles["Heading 1"].element) == "黑体"
        assert _east_asian(doc.styles["Heading 2"].element) == "楷体_GB2312"
    else:
        assert headings[0] == "1. Progress" and headings[1].startswith("(a) From divided operations")
    assert set(levels) <= {"Heading 1", "Heading 2", "Heading 3"}
    footer = section.footer.paragraphs[0]
    assert footer.text == "—  —" and "PAGE" in footer._p.xml  # "— " PAGE " —" with a live field
    assert section.even_page_footer.paragraphs[0].text == "—  —"
    for want in (figures_table(published.content, lang), campaign_table(published.content, lang)):
        table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == want["header"])
        assert [[c.text for c in row.cells] for row in table.rows[1:]] == want["rows"]
    assert len(doc.inline_shapes) == 7  # every chart, as a picture
    assert "draft-watermark" not in section.header._element.xml  # a published version


def test_word_draft_has_a_watermark_on_every_page(published, rendered, tmp_path):
    draft = dataclasses.replace(published, version=None)
    charts = {p.stem.rsplit("_", 1)[0]: p.read_bytes() for p in rendered.png["zh"]}
    doc = Document(write_docx(draft, "zh", charts, tmp_path / "draft.docx"))
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):  # the header is on every page
        assert "draft-watermark" in header._element.xml and 'string="草稿"' in header._element.xml
    assert not any("冻结版本" in p.text for p in doc.paragraphs)  # a draft never calls itself frozen
    assert any("草稿" in p.text for p in doc.paragraphs[:5])


def test_pdf_draft_has_a_watermark_on_every_page(published, rendered):
    draft = dataclasses.replace(published, version=None)
    charts = {p.stem.rsplit("_", 1)[0]: p.read_bytes() for p in rendered.png["zh"]}
    reader = PdfReader(io.BytesIO(HTML(string=render_html(draft, "zh", charts)).write_pdf()))
    assert len(reader.pages) >= 3
    assert all("草" in page.extract_text() for page in reader.pages)
