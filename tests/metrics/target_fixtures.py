"""The demo systems (scale 0.2, through 2025: two complete years before 2026) with one monthly spreadsheet
of Guangdong removed, loaded once per backend for the targets, seasonal and scorecard tests."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from demo import generate
from tests.metrics.funnel_fixtures import load_demo

UNTIL = dt.date(2025, 12, 31)
SHORT_UNIT, SHORT_MONTH = "440000", "2025-05"  # Guangdong's May 2025 activity sheet never arrives


def make_target_demo(folder: Path) -> Path:
    generate(folder, until=UNTIL, scale=0.2)
    (folder / "activity" / f"{SHORT_UNIT}_{SHORT_MONTH}.xlsx").unlink()
    return folder


__all__ = ["UNTIL", "SHORT_UNIT", "SHORT_MONTH", "make_target_demo", "load_demo"]
