"""Calibration targets: what the valid, distinct rows must add up to over the published window.

Targets sit inside the contract's bands with room for the worst case in which a reader counts a stray
duplicate or dirty row the contract says to drop; dirt is always added on top of these figures.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .timeline import WINDOW_END, WINDOW_START


@dataclass(frozen=True, slots=True)
class Band:
    target: int
    low: int
    high: int

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high


BANDS: dict[str, Band] = {
    "clue_referrals": Band(4_560, 4_501, 4_635),
    "clue_referral_amount": Band(21_300_000_000, 21_000_000_000, 21_630_000_000),
    "institution_reports": Band(1_725, 1_701, 1_751),
    "institution_report_amount": Band(17_250_000_000, 17_000_000_000, 17_510_000_000),
    "major_cases": Band(7, 5, 9),
    "risk_warnings": Band(1_117, 1_101, 1_133),
    "education_events": Band(1_722, 1_701, 1_751),
    "media_reports": Band(305, 301, 309),
    "regulatory_documents": Band(162, 161, 164),
}
WINDOW = (WINDOW_START, WINDOW_END)


def target_count(metric: str, scale: float) -> int:
    return max(1, int(round(BANDS[metric].target * scale)))


def in_window(day) -> bool:
    return day is not None and WINDOW_START <= day <= WINDOW_END


def heavy_tail(rng: np.random.Generator, size: int, *, median: float, sigma: float) -> np.ndarray:
    return rng.lognormal(np.log(median), sigma, size=size)


def hit_sum(amounts: np.ndarray, target: int, *, adjustable: np.ndarray, cap: np.ndarray | None = None,
            quantum: int = 1) -> np.ndarray:
    """Rescale the adjustable amounts so the total is exactly `target` (whole multiples of `quantum`).

    `cap` bounds individual adjustable amounts (e.g. big-data clues that must stay under 100 million);
    capped amounts stay fixed while the rest absorb the remainder.
    """
    values = amounts.astype(float).copy()
    free = adjustable.copy()
    cap = np.full(len(values), np.inf) if cap is None else cap
    for _ in range(20):
        fixed = values[~free].sum()
        factor = (target - fixed) / values[free].sum()
        values[free] *= factor
        over = free & (values > cap)
        if not over.any():
            break
        values[over] = cap[over]
        free &= ~over
    units = np.maximum(1, np.round(values / quantum)).astype(np.int64)
    remainder = target // quantum - int(units.sum())
    # put the rounding remainder on the largest freely adjustable amount
    candidates = np.flatnonzero(free)
    largest = candidates[np.argmax(units[candidates])]
    units[largest] += remainder
    return units * quantum
