"""The command line imports only what the command being run needs (issue 18: `--help` at once, `summary` and
`etl status` without the dashboard, the ETL pipeline or the password hasher)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import app
from metrics.config import Settings, StoreSettings

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(args, tmp_path) -> tuple[subprocess.CompletedProcess, set[str]]:
    env = {**os.environ, "IMD_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "app.py"), *args], capture_output=True,
                            text=True, env=env, timeout=120)
    names = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
             if line.startswith("import time:") and "|" in line}
    return result, names


@pytest.mark.parametrize("args, absent", [
    (["--help"], {"sqlalchemy", "pandas", "numpy", "dash", "metrics.api", "etl.config"}),
    (["summary", "--from", "2025-01-01", "--to", "2025-03-31"],
     {"dash", "flask", "weasyprint", "argon2", "metrics.compare", "metrics.snapshots", "etl.config"}),
    (["etl", "status", "--format", "json"], {"dash", "flask", "weasyprint", "argon2", "etl.pipeline", "metrics.api",
                                           "pandas", "numpy"}),
    (["etl", "status"], {"pandas", "numpy"}),
])
def test_a_command_imports_only_what_it_needs(args, absent, tmp_path):
    if args[0] != "--help":
        assert subprocess.run([sys.executable, str(ROOT / "app.py"), "db", "upgrade"], capture_output=True,
                              env={**os.environ, "IMD_DATA_DIR": str(tmp_path)}, timeout=120).returncode == 0
    result, names = imported_modules(args, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert names, "no import timings were read"
    assert not names & absent, f"{args} imported {sorted(names & absent)}"


def test_the_top_level_help_lines_are_the_modules_own(tmp_path):
    settings = Settings(data_dir=tmp_path, store=StoreSettings(url=f"sqlite:///{tmp_path / 's.sqlite'}"),
                        sources_path=tmp_path / "sources.yaml")
    full = app.build_parser(settings)  # every command module imported
    [subparsers] = [a for a in full._actions if a.dest == "command"]
    helps = {choice.dest: choice.help for choice in subparsers._choices_actions}
    assert {name: helps[name] for name in app.COMMAND_HELP} == app.COMMAND_HELP
    # and a lazily built parser still runs the real command of the chosen module
    lazy = app.build_parser(settings, ["etl", "status"]).parse_args(["etl", "status"])
    assert lazy.func.__module__ == "etl.cli"
