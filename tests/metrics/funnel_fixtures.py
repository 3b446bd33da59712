"""A small demo (scale 0.2, to 2024-12-31) loaded by the demo YAML, with one monthly spreadsheet removed."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl.config import load_sources
from demo import generate
from etl.jobs import run_sources

DEMO_YAML = Path(__file__).resolve().parents[2] / "etl" / "sources.demo.yaml"
UNTIL = dt.date(2024, 12, 31)
MISSING_UNIT, MISSING_MONTH = "440000", "2024-05"  # the sheet the fixture deletes


def make_demo(folder: Path) -> Path:
    generate(folder, until=UNTIL, scale=0.2)
    (folder / "activity" / f"{MISSING_UNIT}_{MISSING_MONTH}.xlsx").unlink(missing_ok=True)
    return folder


def demo_specs(folder: Path):
    return load_sources(DEMO_YAML, {"IMD_DEMO_DIR": str(folder)})


def load_demo(engine, folder: Path) -> None:
    results = run_sources(engine, demo_specs(folder).values())
    assert all(r.status == "success" for r in results), [r.error for r in results if r.error]
