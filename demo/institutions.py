"""The financial-institution crime-report register: banks and insurers report crimes, amounts in 万元."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .calibration import heavy_tail, hit_sum, in_window, target_count
from .common import Built, choose, impossible_date, pick_category
from .spelling import city_label, dirty_spelling, pick_sub_bureau, spell
from .timeline import draw_days, shanghai_timestamp

BANKS = ("中国工商银行", "中国农业银行", "中国银行", "中国建设银行", "交通银行", "中国邮政储蓄银行", "招商银行",
         "兴业银行", "中信银行", "浦发银行", "民生银行", "平安银行", "光大银行", "华夏银行")
INSURERS = ("中国人民财产保险", "平安财产保险", "太平洋财产保险", "中国人寿财产保险", "大地财产保险",
            "阳光财产保险", "中华联合财产保险", "太平财产保险")
BAD_AMOUNTS = ("-120.50", "约300万", "—", "12.3.4", "-8")
YUAN_PER_WAN = 10_000
QUANTUM = 100  # amounts are kept in 万元 with two decimals: whole hundreds of yuan


def institution_for(rng, bureau: str, sub: str | None, category: str) -> tuple[str, str]:
    insurer = category == "车险欺诈" or rng.random() < 0.2
    names = INSURERS if insurer else BANKS
    place = city_label(bureau, sub)
    suffix = "分公司" if insurer else "分行"
    return f"{names[int(rng.integers(len(names)))]}{place}{suffix}", "insurer" if insurer else "bank"


def wan_text(yuan: int) -> str:
    return f"{yuan // YUAN_PER_WAN}.{yuan % YUAN_PER_WAN // QUANTUM:02d}"


def build_reports(rng: np.random.Generator, until: dt.date, pick_bureau, scale: float) -> Built:
    rows = []
    for day in draw_days(rng, target_count("institution_reports", scale), until):
        bureau = pick_bureau(day)
        sub = pick_sub_bureau(bureau, rng, share=0.6)
        category = pick_category(rng)
        name, kind = institution_for(rng, bureau, sub, category)
        rows.append({"_day": day, "_valid": True, "_bureau": bureau, "institution_name": name,
                     "institution_type": kind, "bureau": spell(bureau, rng), "category": category,
                     "reported_on": day.strftime("%Y%m%d"), "updated_at": shanghai_timestamp(day, rng)})
    raw = heavy_tail(rng, len(rows), median=3_800_000, sigma=1.4)
    counted = np.array([in_window(r["_day"]) for r in rows])
    target = target_count("institution_report_amount", scale)
    factor = target / raw[counted].sum()
    amounts = np.maximum(QUANTUM, np.round(raw * factor / QUANTUM) * QUANTUM).astype(np.int64)
    amounts[counted] = hit_sum(amounts[counted], target, adjustable=np.ones(counted.sum(), bool), quantum=QUANTUM)
    largest = int(np.argmax(np.where(counted, amounts, -1)))
    seen = set()
    for index, row in enumerate(rows):
        key = (row["institution_name"], row["reported_on"], row["category"])
        while (*key, int(amounts[index])) in seen:  # two distinct reports must never look like a duplicate
            amounts[index] += QUANTUM
            if counted[index]:
                amounts[largest] -= QUANTUM
        seen.add((*key, int(amounts[index])))
    for row, amount in zip(rows, amounts):
        row["amount_wan"] = wan_text(int(amount))
        row["_yuan"] = int(amount)
    duplicates = [{**r, "_valid": False, "updated_at": shanghai_timestamp(r["_day"], rng, lo_hour=19, hi_hour=23)}
                  for r in choose(rng, rows, len(rows) * 3 // 200)]
    corrected = choose(rng, rows, len(rows) // 100)
    for row in corrected:  # restated later: the register keeps the corrected row with a newer updated_at
        stamp = min(until, row["_day"] + dt.timedelta(days=int(rng.integers(30, 150))))
        row["updated_at"] = shanghai_timestamp(stamp, rng)
    dirty = []
    for template in choose(rng, rows, len(rows) * 5 // 200):
        row = {**template, "_valid": False}
        defect = int(rng.integers(3))
        if defect == 0:
            row["amount_wan"] = BAD_AMOUNTS[int(rng.integers(len(BAD_AMOUNTS)))]
        elif defect == 1:
            row["reported_on"] = impossible_date(rng, "{y:04d}{m:02d}{d:02d}")
        else:  # on another day, so it never shares a duplicate key with the valid row it was copied from
            row["bureau"] = dirty_spelling(rng)
            row["reported_on"] = (template["_day"] + dt.timedelta(days=1)).strftime("%Y%m%d")
        dirty.append(row)
    rows = rows + duplicates + dirty
    rows.sort(key=lambda r: (r["updated_at"], r["reported_on"]))
    for report_id, row in enumerate(rows, start=1):
        row["report_id"] = report_id
    return Built(rows, dirty=len(dirty), duplicates=len(duplicates), corrections=len(corrected))
