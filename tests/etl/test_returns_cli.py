"""The `returns` CLI: lists as a user sees them, the overdue list, signatories; bad input is one line, exit 2."""
from __future__ import annotations

import json

from app import main
from metrics.db import make_engine, upgrade
from metrics.users import add_user
from tests.metrics.returns_fixtures import EDU, GUANGZHOU, SUB, desk, figures


def test_list_overdue_and_signatory(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IMD_DATA_DIR", str(tmp_path))
    import app

    app.get_settings.cache_clear()
    engine = make_engine(f"sqlite:///{tmp_path / 'imd.sqlite'}")
    upgrade(engine)
    add_user(engine, "gz_clerk", "sub_bureau", "gz-clerk-password", unit_code=GUANGZHOU)
    add_user(engine, "bj", "bureau", "bj-bureau-password", unit_code="110000")
    desk(engine).save(SUB, EDU, GUANGZHOU, "2025-10", figures(), submit=True)
    try:
        assert main(["returns", "list", "--format", "json", "--user", "gz_clerk"]) == 0
        assert [r["status"] for r in json.loads(capsys.readouterr().out)] == ["submitted"]
        assert main(["returns", "list", "--format", "json", "--user", "bj"]) == 0
        assert json.loads(capsys.readouterr().out) == []
        assert main(["returns", "overdue", "--as-of", "2025-11-12", "--format", "json"]) == 0
        late = json.loads(capsys.readouterr().out)
        assert late and GUANGZHOU not in {r["unit_code"] for r in late if r["period"] == "2025-10"}
        assert main(["returns", "signatory", "gz_clerk"]) == 2  # only a bureau user signs
        assert "not a bureau user" in capsys.readouterr().err
        assert main(["returns", "list", "--user", "nobody"]) == 2
        assert capsys.readouterr().err.strip() == "error: no active user 'nobody'"
    finally:
        app.get_settings.cache_clear()
        engine.dispose()
