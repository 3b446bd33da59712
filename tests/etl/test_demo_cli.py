"""`imd demo generate`: writes the stand-ins; bad arguments give one line and exit code 2."""
from __future__ import annotations

import app


def test_demo_generate_writes_every_stand_in(tmp_path, capsys):
    out = tmp_path / "demo"
    code = app.main(["demo", "generate", "--out", str(out), "--until", "2023-07-31", "--scale", "0.2", "--seed", "5"])
    assert code == 0
    names = {p.name for p in out.iterdir()}
    assert {"regulator.sqlite", "police.sqlite", "institutions.sqlite", "publications.json", "activity",
            "documents.csv", "inspections.csv"} <= names
    assert "clue_referrals" in capsys.readouterr().out


def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys):
    for argv in (["--until", "2023-02-30"], ["--until", "2023-01-31"], ["--scale", "0"], ["--scale", "x"],
                 ["--seed", "abc"]):
        assert app.main(["demo", "generate", "--out", str(tmp_path), *argv]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("error:"), (argv, err)
    assert not any(tmp_path.iterdir())
