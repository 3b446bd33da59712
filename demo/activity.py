"""The bureaus' monthly consumer-education spreadsheets: one workbook per bureau per month, in a drop folder."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import numpy as np

from metrics.windows import add_months

from .calibration import BANDS, in_window, target_count
from .common import Built, choose, impossible_date, pick_category
from .returns_era import sub_bureaus_file_returns
from .spelling import bureau_list, bureau_name, dirty_spelling, pick_sub_bureau, spell
from .timeline import WINDOW_END, draw_days
from .xlsx import write_sheet

MISSING_SHARE = 0.03  # bureau-months that never sent a workbook
PLACES = ("社区", "校园", "农村", "企业", "商圈", "老年大学", "营业网点", "工业园区")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def sheet_name(code: str, month: dt.date) -> str:
    return f"{code}_{month:%Y-%m}.xlsx"


def participants_value(cell) -> int | None:
    """What a clerk's totals row adds up: ints, '1,200', '1.2万'; anything else is skipped."""
    if isinstance(cell, int):
        return cell
    text = str(cell or "").strip().replace(",", "")
    try:
        return int(round(float(text[:-1]) * 10_000)) if text.endswith("万") else int(text)
    except ValueError:
        return None


def date_cell(day: dt.date, rng: np.random.Generator):
    roll = rng.random()
    if roll < 0.7:
        return dt.datetime.combine(day, dt.time())
    if roll < 0.85:
        return (day - _EXCEL_EPOCH).days  # a date cell that lost its format: the bare serial number
    return f"{day.year}年{day.month}月{day.day}日"


def participants_cell(people: int, rng: np.random.Generator):
    roll = rng.random()
    if people >= 10_000 and people % 100 == 0 and roll < 0.5:
        return f"{people / 10_000:g}万"
    if people >= 1_000 and roll < 0.2:
        return f"{people:,}"
    return people


def event_row(rng, bureau: str, day: dt.date, people: int, media: int) -> tuple:
    sub = pick_sub_bureau(bureau, rng, share=0.5)
    unit = spell(sub, rng) if sub else bureau_name(bureau)  # drawn either way: the random stream stays the same
    if sub_bureaus_file_returns(bureau, day):
        unit = bureau_name(bureau)  # its sub-bureaus' events arrive as returns (demo/returns_era.py)
    name = f"金融知识进{PLACES[int(rng.integers(len(PLACES)))]}·{pick_category(rng)}风险防范宣传"
    return (unit, date_cell(day, rng), name, participants_cell(people, rng), media)


def _months(until: dt.date) -> list[dt.date]:
    months, month = [], dt.date(2023, 6, 1)
    while month <= until:
        months.append(month)
        month = add_months(month, 1)
    return months


def _people(rng) -> int:
    people = int(rng.lognormal(np.log(900), 1.0))
    return int(round(people, -2)) if people >= 10_000 else max(20, people)


def build_activity(rng: np.random.Generator, until: dt.date, pick_bureau, scale: float) -> Built:
    months = _months(until)
    present = {(b.code, m) for b in bureau_list() for m in months if rng.random() >= MISSING_SHARE}
    events: dict[tuple[str, dt.date], list[dict]] = defaultdict(list)
    planned = []
    for day in draw_days(rng, target_count("education_events", scale), until):
        month = day.replace(day=1)
        bureau = pick_bureau(day)
        while (bureau, month) not in present:
            bureau = pick_bureau(day)
        planned.append({"_day": day, "_bureau": bureau, "_valid": True, "_people": _people(rng)})
    counted = [e for e in planned if in_window(e["_day"])]
    weights = np.sqrt([e["_people"] for e in counted])
    media = rng.multinomial(round(BANDS["media_reports"].target * scale), weights / weights.sum())
    for event, count in zip(counted, media):
        event["_media"] = int(count)
    for event in planned:
        event.setdefault("_media", int(rng.poisson(0.18)))
        event["_cells"] = event_row(rng, event["_bureau"], event["_day"], event["_people"], event["_media"])
        events[(event["_bureau"], event["_day"].replace(day=1))].append(event)
    dirty = []
    for template in choose(rng, planned, len(planned) // 100):
        unit, day_cell, name, people, _ = template["_cells"]
        defect = int(rng.integers(3))
        if defect == 0:
            unit = dirty_spelling(rng)
        elif defect == 1:
            day_cell = impossible_date(rng, "{y}年{m}月{d}日")
        else:
            people = "若干"
        cells = (unit, day_cell, name + "（补报）", people, 0)
        row = {**template, "_valid": False, "_media": 0, "_cells": cells}
        events[(template["_bureau"], template["_day"].replace(day=1))].append(row)
        dirty.append(row)
    files = sorted(present)
    resent = {f for f in choose(rng, [f for f in files if f[1] < WINDOW_END.replace(day=1)], max(1, len(files) // 200))}
    return Built(planned + dirty, dirty=len(dirty), corrections=len(resent),
                 extra={"files": files, "events": events, "resent": resent,
                        "missing": len(_months(until)) * len(bureau_list()) - len(files)})


def write_activity(folder: Path, built: Built, until: dt.date, rng: np.random.Generator) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    for code, month in built.extra["files"]:
        rows = sorted(built.extra["events"].get((code, month), []), key=lambda e: (e["_day"], e["_valid"] is False))
        cells = [e["_cells"] for e in rows]
        submitted = min(add_months(month, 1).replace(day=5), until)
        if (code, month) in built.extra["resent"]:  # re-sent months later, restating the month
            submitted = min(until, submitted + dt.timedelta(days=int(rng.integers(60, 120))))
        stamp = dt.datetime.combine(submitted, dt.time(9 + int(rng.integers(0, 9)), int(rng.integers(0, 60))))
        write_sheet(folder / sheet_name(code, month), bureau_name(code), month, cells, totals(cells), stamp)
    return len(built.extra["files"])


def totals(cells: list[tuple]) -> tuple[int, int]:
    people = sum(v for v in (participants_value(c[3]) for c in cells) if v is not None)
    media = sum(c[4] for c in cells if isinstance(c[4], int))
    return people, media
