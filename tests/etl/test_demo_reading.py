"""Independent readers for the demo stand-ins: they count valid, distinct rows straight from the files and
databases, following the demo contract, without using the generator's own code."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook

from metrics.units import UnknownUnitError, bureau_of, resolve_unit

WINDOW = (dt.date(2023, 6, 1), dt.date(2025, 11, 30))
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def unit(spelling) -> str | None:
    try:
        return resolve_unit(spelling)
    except UnknownUnitError:
        return None


def iso(text, fmt: str = "%Y-%m-%d") -> dt.date | None:
    try:
        return dt.datetime.strptime(str(text), fmt).date()
    except (TypeError, ValueError):
        return None


def inside(day: dt.date | None) -> bool:
    return day is not None and WINDOW[0] <= day <= WINDOW[1]


def whole_yuan(text) -> int | None:
    return int(text) if isinstance(text, str) and text.isdigit() else None


def rows(path: Path, table: str) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]
    finally:
        conn.close()


def valid_clue(r: dict) -> bool:
    return (iso(r["identified_on"]) is not None and unit(r["bureau"]) is not None
            and (r["sub_bureau"] is None or unit(r["sub_bureau"]) is not None)
            and whole_yuan(r["amount_yuan"]) is not None
            and (r["referred_on"] is None or iso(r["referred_on"]) is not None))


def clue_figures(clues: list[dict]) -> dict[str, int]:
    valid = [r for r in clues if valid_clue(r)]
    referred: dict[str, int] = {}
    for r in valid:
        if r["referral_no"] and inside(iso(r["referred_on"])):
            referred.setdefault(r["referral_no"], whole_yuan(r["amount_yuan"]))
    seen, identified, major = set(), 0, 0
    for r in valid:
        key = r["referral_no"] or r["clue_id"]
        if key in seen:
            continue
        seen.add(key)
        if inside(iso(r["identified_on"])):
            identified += 1
            major += r["found_by"] == "big_data_model" and whole_yuan(r["amount_yuan"]) >= 100_000_000
    return {"clue_referrals": len(referred), "clue_referral_amount": sum(referred.values()),
            "clues_identified": identified, "major_cases": major}


def police_figures(intakes: list[dict]) -> dict[str, int]:
    distinct = {}
    for r in intakes:
        if unit(r["region_code"]) and iso(r["received_on"]):
            distinct.setdefault((r["cited_referral_no"] or r["intake_id"], r["received_on"]), r)
    return {"referrals_accepted": sum(inside(iso(r["accepted_on"])) for r in distinct.values()),
            "cases_filed": sum(inside(iso(r["filed_on"])) for r in distinct.values())}


def wan_to_yuan(text) -> int | None:
    if not isinstance(text, str) or not re.fullmatch(r"\d+(\.\d{1,2})?", text):
        return None
    try:
        return int(Decimal(text) * 10_000)
    except InvalidOperation:
        return None


def report_figures(reports: list[dict]) -> dict[str, int]:
    distinct = {}
    for r in reports:
        day, yuan = iso(r["reported_on"], "%Y%m%d"), wan_to_yuan(r["amount_wan"])
        if day and yuan is not None and unit(r["bureau"]) and inside(day):
            distinct.setdefault((r["institution_name"], r["reported_on"], r["amount_wan"], r["category"]), yuan)
    return {"institution_reports": len(distinct), "institution_report_amount": sum(distinct.values())}


def publication_figures(path: Path) -> dict[str, int]:
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    distinct = {}
    for i in items:
        ads = i.get("ads", 0)
        if unit(i["issuer"]) and inside(iso(i["published_on"])) and isinstance(ads, int) and ads >= 0:
            distinct.setdefault((i["type"], unit(i["issuer"]), i["published_on"], i["title"]), i)
    return {"risk_warnings": sum(i["type"] != "ad_takedown" for i in distinct.values()),
            "ads_removed": sum(i.get("ads", 0) for i in distinct.values())}


def sheet_date(cell) -> dt.date | None:
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, int):
        return dt.date(1899, 12, 30) + dt.timedelta(days=cell)
    match = _CN_DATE.match(str(cell or ""))
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            return None
    return None


def people(cell) -> int | None:
    if isinstance(cell, int):
        return cell
    text = str(cell or "").replace(",", "")
    if text.endswith("万"):
        return int(Decimal(text[:-1]) * 10_000) if re.fullmatch(r"\d+(\.\d+)?", text[:-1]) else None
    return int(text) if text.isdigit() else None


def sheet_rows(path: Path) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    try:
        return list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()


def activity_figures(folder: Path) -> dict[str, int]:
    events = participants = media = 0
    for path in sorted(folder.glob("*.xlsx")):
        bureau = path.name.split("_")[0]
        for row in sheet_rows(path)[4:]:
            if row[0] == "合计":
                break
            spelled, day, who = unit(row[1]), sheet_date(row[2]), people(row[4])
            if spelled and bureau_of(spelled) == bureau and inside(day) and who is not None:
                events += 1
                participants += who
                media += row[5] or 0
    return {"education_events": events, "education_participants": participants, "media_reports": media}


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def register_figures(folder: Path) -> dict[str, int]:
    docs = {r["doc_no"] for r in csv_rows(folder / "documents.csv")
            if unit(r["issuer"]) and inside(iso(r["issued_on"]))}
    inspections = {r["inspection_no"] for r in csv_rows(folder / "inspections.csv")
                   if unit(r["bureau"]) and inside(iso(r["started_on"], "%Y/%m/%d"))}
    return {"regulatory_documents": len(docs), "special_inspections": len(inspections)}


def all_figures(folder: Path) -> dict[str, int]:
    return {**clue_figures(rows(folder / "regulator.sqlite", "clue")),
            **police_figures(rows(folder / "police.sqlite", "case_intake")),
            **report_figures(rows(folder / "institutions.sqlite", "crime_report")),
            **publication_figures(folder / "publications.json"),
            **activity_figures(folder / "activity"), **register_figures(folder)}


def test_the_readers_follow_the_contract_formats():
    assert sheet_date(45366) == dt.date(2024, 3, 15)
    assert sheet_date("2024年3月15日") == dt.date(2024, 3, 15)
    assert sheet_date("2024年2月30日") is None
    assert people("1,200") == 1200 and people("1.25万") == 12500 and people("若干") is None
    assert wan_to_yuan("1234.56") == 12_345_600 and wan_to_yuan("-8") is None and wan_to_yuan("约300万") is None
    assert whole_yuan("12,3x") is None and whole_yuan("-35000") is None
    assert unit("广东银保监局") == "440000" and unit("999999") is None and unit("210281") == "210200"
