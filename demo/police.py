"""The police case-intake system: its own ids, coded by county, lagging days to weeks behind referrals."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import Built, choose, impossible_date
from .spelling import county_code
from .timeline import shanghai_timestamp

ARRIVES = 0.94  # some referrals never reach the police system
ACCEPTED = 0.91
FILED = 0.65
CITES = 0.92  # the rest were keyed in without the regulator's number
UNMATCHED = 0.03  # rows that match nothing on the regulator's side, per referral
BAD_REGIONS = ("999999", "990101", "2102")


def _dates(rng, referred: dt.date, until: dt.date) -> tuple[dt.date, dt.date | None, dt.date | None] | None:
    received = referred + dt.timedelta(days=int(rng.geometric(1 / 4)))
    if received > until:
        return None
    accepted = filed = None
    if rng.random() < ACCEPTED:
        accepted = received + dt.timedelta(days=int(rng.geometric(1 / 9)))
        if rng.random() < FILED:
            filed = accepted + dt.timedelta(days=int(rng.geometric(1 / 20)))
    accepted = accepted if accepted and accepted <= until else None
    filed = filed if filed and accepted and filed <= until else None
    return received, accepted, filed


def _row(rng, region: str, cited: str | None, dates, *, valid: bool = True) -> dict:
    received, accepted, filed = dates
    touched = max(d for d in dates if d is not None)
    return {"region_code": region, "cited_referral_no": cited, "received_on": received.isoformat(),
            "accepted_on": accepted.isoformat() if accepted else None,
            "filed_on": filed.isoformat() if filed else None,
            "updated_at": shanghai_timestamp(touched, rng), "_valid": valid, "_received": received}


def build_police(rng: np.random.Generator, referral_rows: list[dict], until: dt.date) -> Built:
    rows = []
    for clue in referral_rows:
        if rng.random() >= ARRIVES:
            continue
        dates = _dates(rng, clue["_referred"], until)
        if dates is None:
            continue
        region = county_code(clue["_bureau"], clue["_sub"], rng)
        cited = clue["referral_no"] if rng.random() < CITES else None
        rows.append(_row(rng, region, cited, dates))
    for clue in choose(rng, referral_rows, int(len(referral_rows) * UNMATCHED)):
        dates = _dates(rng, clue["_referred"], until)
        if dates is not None:  # a case the police opened that the regulator never referred
            orphan = f"YJ-{clue['_bureau']}-{clue['_referred'].year}-9{int(rng.integers(0, 10_000)):04d}"
            rows.append(_row(rng, county_code(clue["_bureau"], clue["_sub"], rng), orphan, dates))
    duplicates = [{**row, "_valid": False} for row in choose(rng, rows, len(rows) // 200)]
    dirty = []
    for template in choose(rng, rows, len(rows) // 80):
        row = {**template, "_valid": False}
        if rng.random() < 0.5:
            row["region_code"] = BAD_REGIONS[int(rng.integers(len(BAD_REGIONS)))]
        else:
            row["received_on"] = impossible_date(rng)
        dirty.append(row)
    rows = rows + duplicates + dirty
    rows.sort(key=lambda r: (r["_received"], r["updated_at"]))
    first = int(rng.integers(1_000_000_000, 1_100_000_000))
    for number, row in enumerate(rows):
        row["intake_id"] = f"JA{first + number * 7:010d}"
    return Built(rows, dirty=len(dirty), duplicates=len(duplicates))
