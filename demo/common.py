"""Pieces every stand-in generator shares: categories, impossible dates, the per-system result."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from metrics.catalog import CATEGORIES

CATEGORY_WEIGHTS = {
    "illegal_loan_intermediary": 0.2, "vehicle_insurance_fraud": 0.14, "fake_rights_protection": 0.16,
    "anti_debt_collection": 0.1, "fake_credit_repair": 0.08, "account_card_trading": 0.17,
    "illegal_fundraising": 0.1, "other": 0.05,
}
CATEGORY_ZH = {key: CATEGORIES[key][1] for key in CATEGORY_WEIGHTS}
IMPOSSIBLE_DATES = ((2024, 2, 30), (2023, 2, 29), (2025, 4, 31), (2024, 6, 31), (2023, 11, 31), (2025, 2, 29))


@dataclass
class Built:
    """One stand-in's rows (private '_' keys carry the truth the calibration report needs)."""

    rows: list[dict]
    dirty: int = 0
    duplicates: int = 0
    corrections: int = 0
    extra: dict = field(default_factory=dict)

    def public_rows(self) -> list[dict]:
        return [{k: v for k, v in row.items() if not k.startswith("_")} for row in self.rows]


def pick_category(rng: np.random.Generator) -> str:
    keys = list(CATEGORY_WEIGHTS)
    weights = np.array(list(CATEGORY_WEIGHTS.values()))
    return CATEGORY_ZH[keys[int(rng.choice(len(keys), p=weights / weights.sum()))]]


def impossible_date(rng: np.random.Generator, fmt: str = "{y:04d}-{m:02d}-{d:02d}") -> str:
    y, m, d = IMPOSSIBLE_DATES[int(rng.integers(len(IMPOSSIBLE_DATES)))]
    return fmt.format(y=y, m=m, d=d)


def later_day(day: dt.date, rng: np.random.Generator, lo: int, hi: int, until: dt.date) -> dt.date:
    return min(until, day + dt.timedelta(days=int(rng.integers(lo, hi + 1))))


def choose(rng: np.random.Generator, items, k: int) -> list:
    """k distinct items (fewer if there are not enough), in their original order."""
    k = min(k, len(items))
    idx = sorted(rng.choice(len(items), size=k, replace=False)) if k else []
    return [items[i] for i in idx]
