"""Aliases without code: a block's `unit.aliases`, and `units alias add` + `etl reprocess` through the CLI,
turn quarantined rows into loaded rows without touching the source; nothing doubles."""
from __future__ import annotations

import pytest
from sqlalchemy import select

import app
from etl.config import parse_sources
from etl.pipeline import run_source
from metrics.config import Settings, StoreSettings
from metrics.db import make_engine, upgrade
from metrics.models import AuditEvent, EtlRun
from metrics.units import UnknownUnitError
from tests.etl.helpers import quarantine, total
from tests.etl.test_hotline import BLOCK, hotline_table

QUIRKS = ["鹏城"] * 5 + ["朝阳区"] * 3  # Shenzhen's nickname; a district name found in two cities


def hotline_rows() -> list[dict]:
    spellings = ["广东省深圳市", "山东省青岛市", "辽宁省大连市"] * 10 + QUIRKS
    return [{"工单号": f"RX-{n:04d}", "受理日期": f"202504{n % 28 + 1:02d}", "所属地区": spelling, "线索类别": "其他",
             "涉案金额万元": "1.5", "更新时间": "2025-04-30 12:00:00"} for n, spelling in enumerate(spellings, 1)]


@pytest.fixture
def hotline_url(tmp_path):
    return hotline_table(tmp_path / "hotline.sqlite", hotline_rows())


@pytest.fixture
def settings(tmp_path, hotline_url):
    sources = tmp_path / "sources.yaml"
    sources.write_text(BLOCK.format(url="${SRC}", date_format="%Y%m%d"), encoding="utf-8")
    built = Settings(data_dir=tmp_path, store=StoreSettings(url=f"sqlite:///{tmp_path / 'store.sqlite'}"),
                     sources_path=sources, source_variables=(("SRC", hotline_url),))
    store = make_engine(built.store.url)
    upgrade(store)
    store.dispose()
    return built


def cli(settings, *argv) -> int:
    args = app.build_parser(settings).parse_args(list(argv))
    return args.func(args, settings)


def test_alias_add_and_reprocess_load_the_quarantined_rows(settings, capsys):
    assert cli(settings, "etl", "run") == 0
    store = make_engine(settings.store.url)
    assert total(store, "clues_identified") == 30
    assert len(quarantine(store)) == 8
    capsys.readouterr()

    assert cli(settings, "units", "resolve", "鹏城") == 1
    assert "unknown region '鹏城'; teach it with: units alias add '鹏城' CODE" in capsys.readouterr().out
    assert cli(settings, "units", "alias", "add", "鹏城", "440300", "--user", "ops") == 0
    assert cli(settings, "units", "alias", "list") == 0
    assert "鹏城\t440300\tops" in capsys.readouterr().out
    assert cli(settings, "units", "resolve", "鹏城") == 0
    assert "'鹏城' -> 440300 深圳 (Shenzhen) (store alias)" in capsys.readouterr().out

    assert cli(settings, "etl", "reprocess", "--source", "hotline", "--kind", "unknown region") == 0
    out = capsys.readouterr().out
    assert "hotline: success" in out
    assert total(store, "clues_identified") == 35
    assert set(quarantine(store).values()) == {
        "ambiguous region '朝阳区': 110105 北京市朝阳区, 220104 长春市朝阳区"}
    with store.connect() as conn:
        last = conn.execute(select(EtlRun.trigger, EtlRun.status, EtlRun.rows_read, EtlRun.rows_loaded,
                                   EtlRun.rows_quarantined).order_by(EtlRun.id.desc())).first()
        audit = conn.execute(select(AuditEvent.action, AuditEvent.actor)).all()
    assert (last.trigger, last.status) == ("reprocess", "success")
    assert last.rows_read == last.rows_loaded + last.rows_quarantined
    assert ("unit_alias_add", "ops") in audit

    # again, and a normal run after it: nothing doubles
    assert cli(settings, "etl", "reprocess", "--source", "hotline") == 0
    assert cli(settings, "etl", "run", "--source", "hotline", "--full") == 0
    assert total(store, "clues_identified") == 35
    assert len(quarantine(store)) == 3
    store.dispose()


def test_a_bad_alias_code_is_refused_as_bad_input(settings):
    # app.main turns UnknownUnitError into one line on stderr and exit code 2
    with pytest.raises(UnknownUnitError) as exc:
        cli(settings, "units", "alias", "add", "鹏城", "999999")
    assert str(exc.value) == "unknown reporting unit '999999'"


def test_a_block_alias_settles_a_sources_own_quirk(store_engine, hotline_url):
    block = BLOCK.format(url=hotline_url, date_format="%Y%m%d").replace(
        "unit: {column: 所属地区}", "unit: {column: 所属地区, aliases: {朝阳区: \"110000\", 鹏城: \"440300\"}}")
    result = run_source(store_engine, parse_sources(block, {})["hotline"])
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("success", 38, 0)
    with store_engine.connect() as conn:
        units = dict(conn.exec_driver_sql("SELECT unit_code, SUM(value) FROM daily_fact "
                                          "WHERE metric_id = 'clues_identified' GROUP BY unit_code").all())
    assert units == {"440300": 15, "370200": 10, "210200": 10, "110000": 3}
