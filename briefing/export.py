"""Writing a brief to disk: PNG charts (briefing.png_export), HTML, PDF via WeasyPrint and Word."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import HTML

from metrics.api import Briefing

from briefing.atomic import atomic_path
from briefing.charts import build_brief_figures
from briefing.html_render import render_html
from briefing.png_export import PngExporter
from briefing.word import write_docx

LANGS = ("zh", "en")


@dataclass(frozen=True, slots=True)
class RenderedBrief:
    directory: Path
    html: dict[str, Path] = field(default_factory=dict)
    pdf: dict[str, Path] = field(default_factory=dict)
    png: dict[str, list[Path]] = field(default_factory=dict)
    docx: dict[str, Path] = field(default_factory=dict)

    def files(self) -> list[Path]:
        return [*self.html.values(), *self.pdf.values(), *self.docx.values(),
                *(p for ps in self.png.values() for p in ps)]


def brief_directory(root: Path, briefing: Briefing) -> Path:
    return Path(root) / briefing.period / ("draft" if briefing.is_draft else f"v{briefing.version}")


def brief_stem(briefing: Briefing, lang: str) -> str:
    version = "draft" if briefing.is_draft else f"v{briefing.version}"
    return f"briefing_{briefing.period}_{version}_{lang}"


def render_brief(briefing: Briefing, root: Path, langs: tuple[str, ...] = LANGS,
                 png: PngExporter | None = None) -> RenderedBrief:
    """Write charts, HTML, PDF and Word for each language under root/<period>/<version>/.

    Pass a running `png` exporter to have its browser start earlier; otherwise one is started here.
    """
    bad = [lang for lang in langs if lang not in LANGS]
    if bad:
        raise ValueError(f"unknown language '{bad[0]}'; use zh and/or en")
    if png is None:
        with PngExporter() as own:
            return render_brief(briefing, root, langs, own)
    directory = brief_directory(root, briefing)
    (directory / "charts").mkdir(parents=True, exist_ok=True)
    figures = {lang: build_brief_figures(briefing.content, lang) for lang in langs}
    png_paths = {lang: {key: directory / "charts" / f"{key}_{lang}.png" for key in figures[lang]} for lang in langs}
    # Queued in language order: the next language's charts export while this one's PDF is laid out.
    exported = {lang: png.export([(figures[lang][key], png_paths[lang][key]) for key in figures[lang]])
                for lang in langs}
    rendered = RenderedBrief(directory)
    for lang in langs:
        exported[lang].result()
        charts = {key: path.read_bytes() for key, path in png_paths[lang].items()}
        html = render_html(briefing, lang, charts)
        stem = brief_stem(briefing, lang)
        html_path = directory / f"{stem}.html"
        with atomic_path(html_path) as partial:
            partial.write_text(html, encoding="utf-8")
        pdf_path = directory / f"{stem}.pdf"
        with atomic_path(pdf_path) as partial:
            HTML(string=html, base_url=str(directory)).write_pdf(partial)
        rendered.html[lang], rendered.pdf[lang] = html_path, pdf_path
        docx_path = directory / f"{stem}.docx"
        with atomic_path(docx_path) as partial:  # a killed render never leaves a truncated .docx either
            write_docx(briefing, lang, charts, partial)
        rendered.docx[lang] = docx_path
        rendered.png[lang] = list(png_paths[lang].values())
    return rendered
