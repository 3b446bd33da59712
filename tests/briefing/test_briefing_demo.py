"""Over the demo systems: `briefing --as-of 2025-11-30` freezes the same campaign-to-date figures as `summary`."""
from __future__ import annotations

import json

import pytest

import app
from briefing.narrative import floor_figure
from metrics.api import make_engine
from metrics.snapshots import BriefingStore

pytest.importorskip("demo")


@pytest.fixture
def demo_store(tmp_path, monkeypatch):
    monkeypatch.setenv("IMD_DATA_DIR", str(tmp_path))
    for name in ("IMD_DATABASE_URL", "IMD_DATABASE_SCHEMA", "IMD_SOURCES"):
        monkeypatch.delenv(name, raising=False)
    app.get_settings.cache_clear()
    assert app.main(["db", "upgrade"]) == 0
    assert app.main(["demo", "generate", "--until", "2025-11-30", "--scale", "0.2"]) == 0
    assert app.main(["etl", "run"]) == 0
    yield app.get_settings()
    app.get_settings.cache_clear()


def test_brief_campaign_figures_equal_summary(demo_store, tmp_path, capsys):
    out = tmp_path / "briefs"
    capsys.readouterr()
    assert app.main(["summary", "--from", "2023-06-01", "--to", "2025-11-30", "--format", "json"]) == 0
    summary = {row["metric"]: row["value"] for row in json.loads(capsys.readouterr().out)}
    assert app.main(["briefing", "--as-of", "2025-11-30", "--out", str(out), "--publish"]) == 0
    assert "version 1 published" in capsys.readouterr().out

    engine = make_engine(demo_store.store.url)
    briefing = BriefingStore(engine).latest("2025-11-30")
    engine.dispose()
    assert briefing.content["figures"]["campaign"]["national"] == summary
    folder = out / "2025-11-30" / "v1"
    for lang in ("zh", "en"):
        assert (folder / f"briefing_2025-11-30_v1_{lang}.pdf").stat().st_size > 50_000
        assert len(list((folder / "charts").glob(f"*_{lang}.png"))) == 7
        assert (folder / f"briefing_2025-11-30_v1_{lang}.docx").stat().st_size > 50_000  # Word, next to the rest
    html = (folder / "briefing_2025-11-30_v1_zh.html").read_text(encoding="utf-8")
    assert f"{summary['clue_referrals']:,}" in html  # the exact figure sits in the annex table
    assert "移送公安线索超过" in html and "涉案金额逾" in html
    assert "2023年6月以来，公安部与金融监管总局" in html and "按犯罪类型" in html and "非法贷款中介" in html
    documents = summary["regulatory_documents"]
    assert f"制修订制度文件{documents}件" in html or f"制修订制度文件超过{floor_figure(documents)}件" in html
    english = (folder / "briefing_2025-11-30_v1_en.html").read_text(encoding="utf-8")
    assert "(s)" not in english and "Since June 2023, the Ministry of Public Security" in english

    # Publishing again without new data keeps version 1.
    assert app.main(["briefing", "--as-of", "2025-11-30", "--out", str(out), "--publish"]) == 0
    assert "version 1 unchanged" in capsys.readouterr().out
