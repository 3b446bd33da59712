"""Every CLI command on an empty store and a fresh data folder: an answer or one line, never a traceback."""
from __future__ import annotations

import argparse

import pytest

import app

WINDOW = ["--from", "2025-01-01", "--to", "2025-01-31"]
COMMANDS = [  # (argv, allowed exit codes)
    (["db", "upgrade"], {0}),
    (["etl", "status"], {0}), (["etl", "status", "--format", "json"], {0}),
    (["etl", "quarantine"], {0}), (["etl", "quarantine", "--group"], {0}),
    (["etl", "quarantine", "--format", "csv"], {0}),
    (["etl", "run"], {1}),  # the inbox folder does not exist yet: the source fails, with a reason
    (["etl", "backfill", *WINDOW], {1}),
    (["etl", "reprocess", "--source", "hotline"], {0}),
    (["summary", *WINDOW], {0}), (["reconcile", *WINDOW], {0}),
    (["units", "resolve", "深圳市南山区"], {0}), (["units", "resolve", "朝阳区"], {1}),
    (["units", "alias", "list"], {0}), (["units", "alias", "remove", "鹏城"], {2}), (["metrics", "list"], {0}),
    (["users", "list"], {0}), (["users", "disable", "nobody"], {2}),
    (["db", "restore", "no-such-backup.imd"], {2}),
    (["targets", "list"], {0}), (["targets", "status", "--as-of", "2025-06-30"], {0}),
    (["targets", "import", "no-such-targets.csv"], {2}),
    (["scorecard", "--as-of", "2025-06-30", "--format", "json"], {0}),
    (["alerts", "subscriptions"], {0}), (["alerts", "run"], {0}), (["alerts", "notices", "--user", "nobody"], {2}),
    (["alerts", "subscribe", "nobody", "--rules", "behind_target"], {2}),
    (["returns", "list"], {0}), (["returns", "overdue"], {0}), (["returns", "signatory", "nobody"], {2}),
]
NOT_RUN = {  # leaf commands this test does not start, and why
    "serve": "a long-running server", "scheduler": "a long-running process",
    "demo generate": "writes the demo systems (minutes); covered by tests/etl/test_demo_cli.py",
    "briefing": "renders PDFs; covered by tests/briefing", "users add": "changes the store (tests/metrics)",
    "users token": "needs a user", "db backup": "writes a file: test_backup_of_an_empty_store below", "units alias add": "changes the store (tests/etl/test_aliases.py)",
}


def _leaves(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001 - argparse
    if not subs:
        return {prefix.strip()}
    return {leaf for name, sub in subs[0].choices.items() for leaf in _leaves(sub, f"{prefix} {name}")}


def test_every_command_is_covered_or_excused(fresh):
    covered = {_name(argv) for argv, _ in COMMANDS}
    leaves = _leaves(app.build_parser(app.get_settings()))
    assert leaves <= covered | set(NOT_RUN), sorted(leaves - covered - set(NOT_RUN))


def _name(argv: list[str]) -> str:
    leaves = _leaves(app.build_parser(app.get_settings()))
    for n in range(len(argv), 0, -1):
        if " ".join(argv[:n]) in leaves:
            return " ".join(argv[:n])
    return argv[0]


def test_every_command_on_an_empty_store_answers_without_a_traceback(fresh, capsys):
    for argv, allowed in COMMANDS:
        code = app.main(argv)  # an unexpected exception would escape here, traceback and all
        captured = capsys.readouterr()
        assert code in allowed, (argv, code, captured.out[-500:], captured.err[-500:])
        assert "Traceback" not in captured.err + captured.out, argv
        if code == 2:  # bad input: one line
            assert len(captured.err.strip().splitlines()) == 1, (argv, captured.err)


def test_backup_of_an_empty_store(fresh, tmp_path, capsys):
    assert app.main(["db", "upgrade"]) == 0
    assert app.main(["db", "backup", "--out", str(tmp_path / "empty.backup")]) == 0
    assert (tmp_path / "empty.backup").stat().st_size > 0
    assert "Traceback" not in capsys.readouterr().err
