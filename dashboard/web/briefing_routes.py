"""Download routes for published briefs. Files are rendered from the frozen payload on first request."""
from __future__ import annotations

import re
import threading
from pathlib import Path

import flask

from metrics.api import SnapshotNotFound, canonical_json
from metrics.config import Settings

from briefing.export import LANGS
from briefing.service import ensure_rendered
from dashboard.data import get_query

PREFIX = "/briefings/files"
_RENDER_LOCK = threading.Lock()
_CHART = re.compile(r"^[a-z0-9_]+$")


def download_url(snapshot_id: int, lang: str, fmt: str) -> str:
    """fmt: html | pdf | docx | json (the frozen payload itself)."""
    return f"{PREFIX}/{snapshot_id}/{lang}.{fmt}" if fmt != "json" else f"{PREFIX}/{snapshot_id}/payload.json"


def chart_url(snapshot_id: int, chart: str, lang: str) -> str:
    return f"{PREFIX}/{snapshot_id}/charts/{chart}_{lang}.png"


def register_briefing_routes(server: flask.Flask, settings: Settings) -> None:
    """Add the brief download routes to the Dash app's Flask server."""
    root = Path(settings.briefings_dir)

    def _briefing(snapshot_id: int):
        try:
            return get_query().briefings.get(snapshot_id)
        except SnapshotNotFound:
            flask.abort(404)

    def _rendered(snapshot_id: int, lang: str):
        if lang not in LANGS:
            flask.abort(404)
        briefing = _briefing(snapshot_id)
        with _RENDER_LOCK:
            return ensure_rendered(briefing, root, (lang,))

    def brief_file(snapshot_id: int, lang: str, fmt: str):
        if fmt not in ("html", "pdf", "docx"):
            flask.abort(404)
        rendered = _rendered(snapshot_id, lang)
        path = {"html": rendered.html, "pdf": rendered.pdf, "docx": rendered.docx}[fmt][lang]
        return flask.send_file(path, as_attachment=fmt != "html", download_name=path.name)

    def chart_file(snapshot_id: int, chart: str, lang: str):
        if not _CHART.match(chart):
            flask.abort(404)
        rendered = _rendered(snapshot_id, lang)
        path = rendered.directory / "charts" / f"{chart}_{lang}.png"
        if not path.exists():
            flask.abort(404)
        return flask.send_file(path, mimetype="image/png")

    def payload(snapshot_id: int):
        briefing = _briefing(snapshot_id)
        return flask.Response(canonical_json(briefing.payload), mimetype="application/json",
                              headers={"X-Content-SHA256": briefing.content_hash})

    server.add_url_rule(f"{PREFIX}/<int:snapshot_id>/<lang>.<fmt>", "briefing_file", brief_file)
    server.add_url_rule(f"{PREFIX}/<int:snapshot_id>/charts/<chart>_<lang>.png", "briefing_chart", chart_file)
    server.add_url_rule(f"{PREFIX}/<int:snapshot_id>/payload.json", "briefing_payload", payload)
