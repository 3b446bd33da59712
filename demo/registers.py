"""The document register and the inspection register: CSV exports as Excel writes them (UTF-8 with BOM)."""
from __future__ import annotations

import csv
import datetime as dt
import os
from collections import defaultdict
from pathlib import Path

import numpy as np

from metrics.units import HQ_CODE, all_units

from .calibration import target_count
from .common import Built, choose, impossible_date, pick_category
from .publications import HQ_SPELLINGS
from .spelling import dirty_spelling, pick_sub_bureau, spell
from .timeline import draw_days

DOCUMENT_COLUMNS = ("doc_no", "title", "issuer", "action", "issued_on")
INSPECTION_COLUMNS = ("inspection_no", "bureau", "sub_bureau", "category", "started_on")
HQ_DOCUMENT_SHARE = 0.45
INSPECTIONS_PER_MONTH = 13
DOC_TITLES = ("关于加强{cat}风险防控工作的通知", "{cat}专项整治工作方案", "关于印发《{cat}线索移送工作指引》的通知",
              "关于规范{cat}相关业务的指导意见", "{cat}风险监测预警工作规程")


def doc_prefix(code: str) -> str:
    if code == HQ_CODE:
        return "金规"
    unit = all_units()[code]
    return f"{unit.short_zh or unit.name_zh}金监发"


def build_documents(rng: np.random.Generator, until: dt.date, pick_bureau, scale: float) -> Built:
    serial: dict[tuple[str, int], int] = defaultdict(int)
    rows = []
    for day in draw_days(rng, target_count("regulatory_documents", scale), until, weekend=0.05):
        code = HQ_CODE if rng.random() < HQ_DOCUMENT_SHARE else pick_bureau(day)
        serial[(code, day.year)] += 1
        issuer = HQ_SPELLINGS[int(rng.integers(len(HQ_SPELLINGS)))] if code == HQ_CODE else spell(code, rng)
        rows.append({"_day": day, "_valid": True, "_issuer": code,
                     "doc_no": f"{doc_prefix(code)}〔{day.year}〕{serial[(code, day.year)]}号",
                     "title": DOC_TITLES[int(rng.integers(len(DOC_TITLES)))].format(cat=pick_category(rng)),
                     "issuer": issuer, "action": "修订" if rng.random() < 0.25 else "制定",
                     "issued_on": day.isoformat()})
    duplicates = [{**r, "_valid": False} for r in choose(rng, rows, 1)]
    dirty = []
    for number, template in enumerate(choose(rng, rows, 2)):
        row = {**template, "_valid": False, "doc_no": template["doc_no"].replace("号", "-1号")}
        if number % 2 == 0:
            row["issued_on"] = impossible_date(rng)
        else:
            row["issuer"] = dirty_spelling(rng)
        dirty.append(row)
    return Built(_in_order(rows, duplicates, dirty), dirty=len(dirty), duplicates=len(duplicates))


def build_inspections(rng: np.random.Generator, until: dt.date, pick_bureau, scale: float) -> Built:
    serial: dict[tuple[str, int], int] = defaultdict(int)
    rows = []
    for day in draw_days(rng, max(1, round(INSPECTIONS_PER_MONTH * 30 * scale)), until, weekend=0.05):
        code = pick_bureau(day)
        sub = pick_sub_bureau(code, rng, share=0.6)
        serial[(code, day.year)] += 1
        rows.append({"_day": day, "_valid": True, "_bureau": code,
                     "inspection_no": f"JC-{code}-{day.year}-{serial[(code, day.year)]:03d}",
                     "bureau": spell(code, rng), "sub_bureau": spell(sub, rng) if sub else "",
                     "category": pick_category(rng), "started_on": day.strftime("%Y/%m/%d")})
    duplicates = [{**r, "_valid": False} for r in choose(rng, rows, max(1, len(rows) // 100))]
    dirty = []
    for template in choose(rng, rows, max(2, len(rows) // 60)):
        row = {**template, "_valid": False, "inspection_no": template["inspection_no"] + "-X"}
        if rng.random() < 0.5:
            row["started_on"] = impossible_date(rng, "{y:04d}/{m:02d}/{d:02d}")
        else:
            row["bureau"], row["sub_bureau"] = dirty_spelling(rng), ""
        dirty.append(row)
    return Built(_in_order(rows, duplicates, dirty), dirty=len(dirty), duplicates=len(duplicates))


def _in_order(rows: list[dict], duplicates: list[dict], dirty: list[dict]) -> list[dict]:
    return sorted(rows + duplicates + dirty, key=lambda r: (r["_day"], r["_valid"] is False))


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    with open(temp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows([row.get(c) for c in columns] for row in rows)
    os.replace(temp, path)


def append_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    if not path.exists():
        write_csv(path, columns, rows)
        return
    with open(path, "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([row.get(c) for c in columns] for row in rows)
