"""Chart PNGs through one kaleido server, on a worker thread so that the browser's work overlaps ours.

Kaleido's first export launches Chromium (about 2 s). Started when a brief is requested, that launch runs while
the snapshot is taken; later, one language's charts are exported while the other language's PDF is laid out.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import kaleido

from briefing.atomic import atomic_path
from briefing.charts import HEIGHT, WIDTH

# kaleido keeps one global browser; briefs rendered from the scheduler and from a download must take turns.
_KALEIDO_LOCK = threading.Lock()
_WARM_UP = {"data": [], "layout": {}}


class PngExporter:
    """`with PngExporter() as png:` then `png.export([(figure, path), ...])` returns a Future; exports run in order."""

    def __init__(self, *, scale: float = 1.5) -> None:
        self._scale = scale
        self._pool: ThreadPoolExecutor | None = None
        self._started: Future | None = None

    def __enter__(self) -> PngExporter:
        _KALEIDO_LOCK.acquire()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaleido")
        self._started = self._pool.submit(self._start)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._pool.shutdown(wait=True)
            self._started.result()  # a browser that never started surfaces here, not silently
        finally:
            try:
                kaleido.stop_sync_server(silence_warnings=True)
            finally:
                _KALEIDO_LOCK.release()

    def _start(self) -> None:
        kaleido.start_sync_server(n=1, silence_warnings=True)
        kaleido.calc_fig_sync(_WARM_UP, opts={"format": "png", "width": 8, "height": 8})

    def export(self, jobs: list[tuple[object, Path]]) -> Future:
        return self._pool.submit(self._write, jobs)

    def _write(self, jobs: list[tuple[object, Path]]) -> None:
        self._started.result()
        for fig, path in jobs:
            opts = {"format": "png", "width": WIDTH, "height": fig.layout.height or HEIGHT, "scale": self._scale}
            with atomic_path(Path(path)) as partial:
                partial.write_bytes(kaleido.calc_fig_sync(fig, opts=opts))
