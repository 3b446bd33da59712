"""Writing a brief to disk: PNG charts through one kaleido server per brief, HTML, and PDF via WeasyPrint."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import kaleido
from weasyprint import HTML

from metrics.api import Briefing

from briefing.atomic import atomic_path
from briefing.charts import HEIGHT, WIDTH, build_brief_figures
from briefing.html_render import render_html
from briefing.word import write_docx

LANGS = ("zh", "en")
# kaleido keeps one global browser; briefs rendered from the scheduler and from a download must take turns.
_KALEIDO_LOCK = threading.Lock()


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


def write_pngs(jobs: list[tuple[object, Path]], *, scale: float = 1.5) -> None:
    """Export every (figure, path) pair through one kaleido server started for the whole batch.

    One calc_fig call per figure on the running server measured faster here than the batch
    write_fig_from_object API (5.1 s against 6.5 s for 14 charts).
    """
    with _KALEIDO_LOCK:
        kaleido.start_sync_server(n=1, silence_warnings=True)
        try:
            for fig, path in jobs:
                opts = {"format": "png", "width": WIDTH, "height": fig.layout.height or HEIGHT, "scale": scale}
                with atomic_path(Path(path)) as partial:
                    partial.write_bytes(kaleido.calc_fig_sync(fig, opts=opts))
        finally:
            kaleido.stop_sync_server(silence_warnings=True)


def render_brief(briefing: Briefing, root: Path, langs: tuple[str, ...] = LANGS) -> RenderedBrief:
    """Write charts, HTML, PDF and Word for each language under root/<period>/<version>/."""
    bad = [lang for lang in langs if lang not in LANGS]
    if bad:
        raise ValueError(f"unknown language '{bad[0]}'; use zh and/or en")
    directory = brief_directory(root, briefing)
    (directory / "charts").mkdir(parents=True, exist_ok=True)
    figures = {lang: build_brief_figures(briefing.content, lang) for lang in langs}
    png_paths = {lang: {key: directory / "charts" / f"{key}_{lang}.png" for key in figures[lang]} for lang in langs}
    write_pngs([(figures[lang][key], png_paths[lang][key]) for lang in langs for key in figures[lang]])
    rendered = RenderedBrief(directory)
    for lang in langs:
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
