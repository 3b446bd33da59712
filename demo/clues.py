"""The regulator's clue and referral system: one row per clue, referred clues carry a referral number."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from .calibration import BANDS, heavy_tail, hit_sum, in_window, target_count
from .common import Built, choose, impossible_date, later_day, pick_category
from .spelling import dirty_spelling, pick_sub_bureau, police_unit, spell
from .timeline import WINDOW_END, WINDOW_START, draw_days, shanghai_timestamp

FOUND_BY = {"big_data_model": 0.35, "inspection": 0.2, "complaint": 0.3, "institution_report": 0.15}
MAJOR = 100_000_000
BIG_DATA_CAP = 96_000_000  # big-data clues other than the planned major cases stay under 100 million
CLUES_PER_REFERRAL = 1.72  # unreferred clues per referral: clues_identified ends near 2.7x referrals
BAD_AMOUNTS = ("N/A", "12,3x", "-35000", "-1200000", "不详", "")


def _found_by(rng) -> str:
    keys = list(FOUND_BY)
    return keys[int(rng.choice(len(keys), p=list(FOUND_BY.values())))]


def _clue(rng, day: dt.date, pick_bureau, *, referred_on: dt.date | None) -> dict:
    bureau = pick_bureau(day)
    sub = pick_sub_bureau(bureau, rng)
    return {"_day": day, "_bureau": bureau, "_sub": sub, "_referred": referred_on, "_valid": True,
            "_major": False, "category": pick_category(rng), "found_by": _found_by(rng)}


def _draw_clues(rng, until, pick_bureau, scale) -> list[dict]:
    clues = []
    for referred in draw_days(rng, target_count("clue_referrals", scale), until):
        lag = int(rng.geometric(1 / 12))
        identified = max(WINDOW_START, referred - dt.timedelta(days=lag))
        clues.append(_clue(rng, identified, pick_bureau, referred_on=referred))
    n_unreferred = int(round(target_count("clue_referrals", scale) * CLUES_PER_REFERRAL))
    for day in draw_days(rng, n_unreferred, until):
        clues.append(_clue(rng, day, pick_bureau, referred_on=None))
    return clues


def _plan_majors(rng, clues, scale) -> None:
    """Several big-data clues over 100 million: an exact number in the window, a few more after it."""
    def candidates(inside: bool):
        return [c for c in clues if c["found_by"] == "big_data_model" and c["_referred"]
                and in_window(c["_referred"]) == inside and in_window(c["_day"]) == inside]

    n_inside = max(1, round(BANDS["major_cases"].target * scale))
    later = candidates(False)
    n_later = min(len(later), int(rng.poisson(n_inside / 30 * 12))) if later else 0
    for clue in choose(rng, candidates(True), n_inside) + choose(rng, later, n_later):
        clue["_major"] = True


def _assign_amounts(rng, clues, scale) -> None:
    raw = heavy_tail(rng, len(clues), median=1_500_000, sigma=1.5)
    major = np.array([c["_major"] for c in clues])
    raw[major] = np.exp(rng.uniform(np.log(1.05e8), np.log(1.5e9), size=int(major.sum())))
    big_data = np.array([c["found_by"] == "big_data_model" for c in clues])
    cap = np.where(big_data & ~major, BIG_DATA_CAP, np.inf)
    counted = np.array([c["_referred"] is not None and in_window(c["_referred"]) for c in clues])
    adjustable = counted & ~major
    target = target_count("clue_referral_amount", scale)
    factor = (target - raw[major & counted].sum()) / raw[adjustable].sum()
    amounts = np.minimum(np.maximum(1_000, np.round(raw * np.where(major, 1.0, factor))), cap)
    amounts[counted] = hit_sum(amounts[counted], target, adjustable=adjustable[counted], cap=cap[counted])
    for clue, amount in zip(clues, amounts):
        clue["amount_yuan"] = str(int(amount))


def _finish(rng, clue: dict, until: dt.date) -> None:
    clue["identified_on"] = clue.get("identified_on", clue["_day"].isoformat())
    clue["bureau"] = clue.get("bureau") or spell(clue["_bureau"], rng)
    clue["sub_bureau"] = spell(clue["_sub"], rng) if clue["_sub"] else None
    referred = clue["_referred"]
    clue["referred_on"] = referred.isoformat() if referred else None
    clue["police_unit"] = police_unit(clue["_bureau"], clue["_sub"]) if referred else None
    touched = clue.get("_touched") or referred or clue["_day"]
    clue["updated_at"] = shanghai_timestamp(min(touched, until), rng)


def _add_dirt(rng, clues, until) -> list[dict]:
    """Extra rows, each with one defect: bad or missing date, bad amount, unknown region name."""
    referred = [c for c in clues if c["_referred"] and not c["_major"]]
    unreferred = [c for c in clues if not c["_referred"] and not c["_major"]]
    templates = choose(rng, referred, len(referred) // 200) + choose(rng, unreferred, len(unreferred) * 3 // 200)
    dirty = []
    for template in templates:
        row = {**template, "_valid": False, "_major": False}
        defect = int(rng.integers(3))
        if defect == 0:
            row["identified_on"] = None if rng.random() < 0.5 else impossible_date(rng)
        elif defect == 1:
            row["amount_yuan"] = BAD_AMOUNTS[int(rng.integers(len(BAD_AMOUNTS)))]
        else:  # a legacy office name and no sub-bureau to fall back on
            row["bureau"], row["_sub"] = dirty_spelling(rng), None
        dirty.append(row)
    return dirty


def _add_duplicates(rng, clues, until) -> list[dict]:
    """Referred clues submitted twice: a second row with the same referral number (counted once)."""
    referred = [c for c in clues if c["_referred"] and not c["_major"] and c["_valid"]]
    copies = []
    for original in choose(rng, referred, max(1, len(referred) * 3 // 200)):
        copy = {**original, "_dup_of": id(original), "_valid": False, "bureau": None}
        copy["_touched"] = later_day(original["_referred"], rng, 0, 3, until)
        copies.append(copy)
    return copies


def _number(rng, clues) -> None:
    """Clue ids per identified day; referral numbers per bureau and year; duplicates reuse the original's."""
    per_day: dict[str, int] = defaultdict(int)
    per_bureau_year: dict[tuple[str, int], int] = defaultdict(int)
    by_id = {}
    for clue in sorted(clues, key=lambda c: (c["_day"], c.get("_dup_of") is not None)):
        stamp = clue["_day"].strftime("%Y%m%d")
        per_day[stamp] += 1
        clue["clue_id"] = f"XS{stamp}{per_day[stamp]:05d}"
        if clue["_referred"] is None:
            clue["referral_no"] = None
        elif clue.get("_dup_of") is not None:
            clue["referral_no"] = by_id[clue["_dup_of"]]
        else:
            key = (clue["_bureau"], clue["_referred"].year)
            per_bureau_year[key] += 1
            clue["referral_no"] = f"YJ-{key[0]}-{key[1]}-{per_bureau_year[key]:05d}"
            by_id[id(clue)] = clue["referral_no"]


def build_clues(rng: np.random.Generator, until: dt.date, pick_bureau, scale: float) -> Built:
    clues = _draw_clues(rng, until, pick_bureau, scale)
    _plan_majors(rng, clues, scale)
    _assign_amounts(rng, clues, scale)
    corrected = choose(rng, [c for c in clues if c["_day"] < WINDOW_END], len(clues) // 100)
    for clue in corrected:  # late corrections: the row was restated months later (newer updated_at)
        clue["_touched"] = later_day(clue["_referred"] or clue["_day"], rng, 30, 200, until)
    duplicates = _add_duplicates(rng, clues, until)
    dirty = _add_dirt(rng, clues, until)
    rows = clues + duplicates + dirty
    _number(rng, rows)
    for row in rows:
        _finish(rng, row, until)
    rows.sort(key=lambda r: r["clue_id"])
    return Built(rows, dirty=len(dirty), duplicates=len(duplicates), corrections=len(corrected))


def referrals(built: Built) -> list[dict]:
    """The valid, distinct referrals, as the police would receive them."""
    return [r for r in built.rows if r["_valid"] and r["_referred"] is not None]
