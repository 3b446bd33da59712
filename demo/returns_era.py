"""Which demo unit-months report education by return instead of by spreadsheet (one source per unit-month).

From RETURNS_FROM on, the sub-bureaus of RETURNS_BUREAU (Guangdong) fill in the monthly education return
(demo/returns.py seeds them); its spreadsheet then lists only the bureau's own events, so no sub-bureau month
is counted from both. The published window (to 2025-11) is before the cut-over and stays calibrated.
"""
from __future__ import annotations

import datetime as dt

RETURNS_BUREAU = "440000"
RETURNS_FROM = dt.date(2025, 12, 1)  # after the published window (2023-06 .. 2025-11)


def sub_bureaus_file_returns(bureau: str, day: dt.date) -> bool:
    """True when the bureau's sub-bureaus report `day`'s education by return, not in the spreadsheet."""
    return bureau == RETURNS_BUREAU and day >= RETURNS_FROM
