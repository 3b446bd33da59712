"""Shared setup for the returns tests: the demo return types, the ETL's number parser, a few principals."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl.validation import parse_decimal
from metrics.api import Principal, ReturnsDesk, load_return_types

ROOT = Path(__file__).resolve().parents[2]
TYPES = load_return_types(ROOT / "etl" / "returns.demo.yaml")
EDU = "education_monthly"
GUANGZHOU, SHENZHEN_BUREAU, GUANGDONG, BEIJING = "440100", "440300", "440000", "110000"

SUB = Principal("gz_clerk", "sub_bureau", GUANGZHOU)
BUREAU = Principal("gd_reviewer", "bureau", GUANGDONG)
BUREAU2 = Principal("gd_head", "bureau", GUANGDONG)
OTHER_BUREAU = Principal("bj_reviewer", "bureau", BEIJING)
HQ = Principal("hq_lead", "leadership")


def desk(engine, now: dt.datetime = dt.datetime(2025, 11, 5, 2, 0, tzinfo=dt.timezone.utc)) -> ReturnsDesk:
    return ReturnsDesk(engine, TYPES, parse_decimal, clock=lambda: now)


def figures(events="3", participants="1,200", media="1") -> dict:
    rows = {row: {"events": "0", "participants": "0", "media": "0"} for row in TYPES[EDU].rows}
    rows["community"] = {"events": events, "participants": participants, "media": media}
    return rows
