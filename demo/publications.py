"""The publications system: risk warnings, public statements and advert take-downs, exported as JSON."""
from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from pathlib import Path

import numpy as np

from metrics.units import HQ_CODE

from .calibration import target_count
from .common import Built, choose, impossible_date, pick_category
from .spelling import dirty_spelling, spell
from .timeline import draw_days, shanghai_timestamp

STATEMENT_SHARE = 0.3  # of warnings and statements together
TAKEDOWNS_PER_WARNING = 0.55
HQ_SPELLINGS = ("总局机关", "国家金融监督管理总局", "000000", "金融监管总局")
TITLES = {
    "risk_warning": "关于防范{cat}的风险提示",
    "public_statement": "关于{cat}相关问题的公开声明",
    "ad_takedown": "联合清理{cat}违法违规广告",
}


def _issuer(rng, kind: str, day: dt.date, pick_bureau) -> str:
    hq_share = {"risk_warning": 0.12, "public_statement": 0.7, "ad_takedown": 0.05}[kind]
    return HQ_CODE if rng.random() < hq_share else pick_bureau(day)


def spell_issuer(rng, code: str) -> str:
    if code == HQ_CODE:
        return HQ_SPELLINGS[int(rng.integers(len(HQ_SPELLINGS)))]
    return spell(code, rng)


def build_publications(rng: np.random.Generator, until: dt.date, pick_bureau, scale: float) -> Built:
    n_counted = target_count("risk_warnings", scale)
    n_statements = int(round(n_counted * STATEMENT_SHARE))
    plan = [("public_statement", d) for d in draw_days(rng, n_statements, until, weekend=0.4)]
    plan += [("risk_warning", d) for d in draw_days(rng, n_counted - n_statements, until, weekend=0.4)]
    plan += [("ad_takedown", d) for d in draw_days(rng, int(n_counted * TAKEDOWNS_PER_WARNING), until)]
    plan.sort(key=lambda p: (p[1], p[0]))
    serial: dict[tuple[str, str, int], int] = defaultdict(int)
    items = []
    for kind, day in plan:
        code = _issuer(rng, kind, day, pick_bureau)
        serial[(kind, code, day.year)] += 1  # 第N期 keeps every title distinct
        title = TITLES[kind].format(cat=pick_category(rng)) + f"（{day.year}年第{serial[(kind, code, day.year)]}期）"
        item = {"_day": day, "_valid": True, "_issuer": code, "type": kind, "published_on": day.isoformat(),
                "issuer": spell_issuer(rng, code), "title": title,
                "updated_at": shanghai_timestamp(day, rng)}
        if kind == "ad_takedown":
            item["ads"] = int(max(1, round(rng.lognormal(np.log(40), 0.9))))
        items.append(item)
    corrected = choose(rng, items, len(items) // 100)
    for item in corrected:  # restated later: the system re-exports the item with a newer updated_at
        item["updated_at"] = shanghai_timestamp(min(until, item["_day"] + dt.timedelta(days=45)), rng)
    duplicates = [{**i, "_valid": False} for i in choose(rng, items, max(1, len(items) // 400))]
    dirty = []
    for template in choose(rng, items, len(items) // 100):
        item = {**template, "_valid": False, "title": template["title"] + "（补录）"}
        defect = int(rng.integers(3))
        if defect == 0:
            item["published_on"] = None if rng.random() < 0.4 else impossible_date(rng)
        elif defect == 1:
            item["issuer"] = dirty_spelling(rng)
        elif item["type"] == "ad_takedown":
            item["ads"] = -int(rng.integers(1, 60))
        else:
            item["issuer"] = dirty_spelling(rng)
        dirty.append(item)
    items = items + duplicates + dirty
    items.sort(key=lambda i: (i["updated_at"], i["title"]))
    for number, item in enumerate(items, start=1):
        item["id"] = f"P{number:06d}"
    return Built(items, dirty=len(dirty), duplicates=len(duplicates), corrections=len(corrected))


def export_item(item: dict) -> dict:
    keys = ("id", "type", "published_on", "issuer", "title", "ads", "updated_at")
    return {k: item[k] for k in keys if k in item}


def write_export(path: Path, items: list[dict], exported_at: str) -> None:
    """Write atomically (temp file, then rename) so a reader never sees half a file."""
    payload = {"exported_at": exported_at, "items": [export_item(i) for i in items]}
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temp, path)


def read_export(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
