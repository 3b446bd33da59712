"""Rendering a brief: HTML, PDF and PNG charts in both languages; the PDF is text in real CJK fonts."""
from __future__ import annotations

import datetime as dt
import subprocess
import time

import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader

from metrics.api import BriefingPeriod
from metrics.db import make_engine, upgrade
from metrics.models import utcnow
from metrics.snapshots import BriefingStore
from tests.briefing.seed import seed

from briefing.export import render_brief
from briefing.story import direction_sections


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
    assert any("Noto-Sans-CJK-SC" in f for f in fonts), fonts
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
