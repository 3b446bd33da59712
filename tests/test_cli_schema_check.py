"""A command run against a store that was never upgraded, or upgraded by an older release, says what to do in
one line (exit 2) instead of failing on a missing table."""
from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

import app
from metrics.db import MIGRATIONS_DIR, head_revision, make_engine
from tests.conftest import PG_URL
from tests.test_cli_empty_store import WINDOW

READERS = [["etl", "status"], ["summary", *WINDOW], ["reconcile", *WINDOW], ["returns", "list"],
           ["alerts", "subscriptions"], ["targets", "list"], ["users", "list"], ["etl", "quarantine"]]


def _alembic() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def test_the_head_revision_is_alembics_head():
    assert head_revision() == ScriptDirectory.from_config(_alembic()).get_current_head()


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


def test_commands_on_a_store_never_upgraded_say_to_upgrade(fresh, capsys):
    for argv in READERS:
        assert app.main(argv) == 2, argv
        assert "has no schema yet: run `python app.py db upgrade`" in _one_line(capsys), argv


@pytest.fixture(params=["sqlite", "postgresql"])
def older_store(request, fresh, tmp_path, monkeypatch, pg_schema_factory):
    url, schema = f"sqlite:///{tmp_path / 'old.sqlite'}", None
    if request.param == "postgresql":
        url, schema = PG_URL, pg_schema_factory("imd_schema_check").name
        monkeypatch.setenv("IMD_DATABASE_SCHEMA", schema)
    monkeypatch.setenv("IMD_DATABASE_URL", url)
    app.get_settings.cache_clear()
    engine = make_engine(url, schema=schema)
    cfg = _alembic()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0012")
    engine.dispose()
    return url


def test_commands_on_an_older_store_name_both_schemas_and_an_upgrade_fixes_it(older_store, capsys):
    assert app.main(["etl", "status"]) == 2
    assert f"is at schema 0012, this release needs {head_revision()}: run `python app.py db upgrade`" in \
        _one_line(capsys)
    assert app.main(["db", "upgrade"]) == 0 and app.main(["etl", "status"]) == 0
    assert "Traceback" not in capsys.readouterr().err
