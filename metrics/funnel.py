"""The interagency funnel: clues identified → referred → received by police → accepted → case filed.

Cohort. The funnel follows the clues *identified* in the window (of one bureau or the nation) through every
later stage, whenever it happened up to the last load; so each stage is a subset of the one before and
counts never grow down the funnel. Police records received in the window that match no referral are listed
as police_only; they are outside the cohort and do not enter the stage counts.

Matching a referral (referral_record with a referral_no) to a police intake (police_record), over the whole
store so the answer does not depend on the window asked for:
1. By number: the intake cites the referral's number. When several intakes cite one number, the earliest
   received (then lowest intake id) matches; the others are police_only ("number already matched").
   An intake citing a number the regulator does not have is police_only ("unknown referral number").
2. Fallback, for intakes that cite no number: a referral no intake cited, of the same bureau, whose
   intake was received 0 to 30 days (FALLBACK_MAX_LAG_DAYS) after the referral. One-to-one, greedy by the
   smallest lag (ties: earlier referral date, then referral number, then intake id).
A referral left unmatched is regulator_only. Stages past "received" read the matched intake: accepted when
it has accepted_on, case_filed when it has accepted_on and filed_on.

Record-level output (the unmatched records) is scoped by the principal: national lists need a national
reader; a bureau user sees its own bureau's lists only (Principal.require_detail).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from metrics.access import AccessDenied, Principal
from metrics.models import PoliceRecord, ReferralRecord
from metrics.result_frame import result_frame
from metrics.units import get_unit
from metrics.windows import Window

STAGES = ("identified", "referred", "received", "accepted", "case_filed")
LAGS = (("identified", "referred", "identified_on", "referred_on"),
        ("referred", "received", "referred_on", "received_on"),
        ("received", "accepted", "received_on", "accepted_on"),
        ("accepted", "case_filed", "accepted_on", "filed_on"))
FALLBACK_MAX_LAG_DAYS = 30
REGULATOR_COLUMNS = ["clue_id", "referral_no", "unit_code", "bureau_code", "identified_on", "referred_on",
                     "amount_yuan", "police_unit"]
POLICE_COLUMNS = ["intake_id", "cited_referral_no", "unit_code", "bureau_code", "received_on", "accepted_on",
                  "filed_on"]


@dataclass(frozen=True, slots=True)
class FunnelResult:
    window: Window
    unit: str | None
    stages: pd.DataFrame  # stage, count, rate (share of the previous stage)
    lags: pd.DataFrame  # from_stage, to_stage, median_days, pairs
    by_bureau: pd.DataFrame  # bureau_code + one column per stage
    matched: dict[str, int]  # by_number, by_fallback
    regulator_only: pd.DataFrame | None = field(default=None)  # None when record-level detail was not asked
    police_only: pd.DataFrame | None = field(default=None)

    @property
    def counts(self) -> dict[str, int]:
        return dict(zip(self.stages["stage"], self.stages["count"].astype(int)))


def _frame(conn, model, columns) -> pd.DataFrame:
    # As tuples (result_frame): pandas probing each SQLAlchemy Row cost ~0.4 s per funnel.
    frame = result_frame(conn.execute(select(*(getattr(model, c) for c in columns))), columns, dtype=object)
    for c in columns:
        if c.endswith("_on"):
            frame[c] = pd.to_datetime(frame[c])
    return frame


def load_records(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    with engine.connect() as conn:
        return _frame(conn, ReferralRecord, REGULATOR_COLUMNS), _frame(conn, PoliceRecord, POLICE_COLUMNS)


def match_referrals(clues: pd.DataFrame, police: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """(matches: referral_no, intake_id, rule) and a reason for every intake left unmatched (by intake_id)."""
    referrals = clues[clues["referral_no"].notna()].drop_duplicates("referral_no")
    known = set(referrals["referral_no"])
    ordered = police.sort_values(["received_on", "intake_id"], kind="stable")
    cited = ordered[ordered["cited_referral_no"].notna()]
    first = cited[cited["cited_referral_no"].isin(known)].drop_duplicates("cited_referral_no")
    by_number = pd.DataFrame({"referral_no": first["cited_referral_no"], "intake_id": first["intake_id"],
                              "rule": "number"})
    reasons = pd.Series(dtype=object)
    reasons = pd.concat([reasons,
                         pd.Series("unknown referral number", index=cited["intake_id"][~cited["cited_referral_no"]
                                                                                      .isin(known)].tolist()),
                         pd.Series("number already matched", index=cited["intake_id"][
                             cited["cited_referral_no"].isin(known) & ~cited["intake_id"].isin(first["intake_id"])
                         ].tolist())])
    free_refs = referrals[~referrals["referral_no"].isin(by_number["referral_no"])]
    free_police = ordered[ordered["cited_referral_no"].isna()]
    pairs = free_refs[["referral_no", "bureau_code", "referred_on"]].merge(
        free_police[["intake_id", "bureau_code", "received_on"]], on="bureau_code")
    pairs["lag"] = (pairs["received_on"] - pairs["referred_on"]).dt.days
    pairs = pairs[(pairs["lag"] >= 0) & (pairs["lag"] <= FALLBACK_MAX_LAG_DAYS)]
    pairs = pairs.sort_values(["lag", "referred_on", "referral_no", "intake_id"], kind="stable")
    taken_refs, taken_police, fallback = set(), set(), []
    for ref, intake in zip(pairs["referral_no"], pairs["intake_id"]):
        if ref not in taken_refs and intake not in taken_police:
            taken_refs.add(ref)
            taken_police.add(intake)
            fallback.append((ref, intake))
    by_fallback = pd.DataFrame(fallback, columns=["referral_no", "intake_id"]).assign(rule="fallback")
    unmatched_numberless = free_police["intake_id"][~free_police["intake_id"].isin(taken_police)]
    reasons = pd.concat([reasons, pd.Series("no number and no referral within the fallback rule",
                                            index=unmatched_numberless.tolist())])
    matches = pd.concat([by_number, by_fallback], ignore_index=True)
    return matches, reasons


def _scope(frame: pd.DataFrame, unit: str | None) -> pd.Series:
    if unit is None:
        return pd.Series(True, index=frame.index)
    column = "unit_code" if get_unit(unit).kind == "sub_bureau" else "bureau_code"
    return frame[column] == unit


def _in(days: pd.Series, window: Window) -> pd.Series:
    return days.notna() & (days >= pd.Timestamp(window.start)) & (days <= pd.Timestamp(window.end))


def _stage_flags(cohort: pd.DataFrame) -> pd.DataFrame:
    referred = cohort["referral_no"].notna()
    received = referred & cohort["intake_id"].notna()
    accepted = received & cohort["accepted_on"].notna()
    filed = accepted & cohort["filed_on"].notna()
    return pd.DataFrame({"identified": True, "referred": referred, "received": received, "accepted": accepted,
                         "case_filed": filed}, index=cohort.index)


def _days(value) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def _listing(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame[columns].copy()
    for c in columns:
        if c.endswith("_on"):
            out[c] = [_days(v) for v in out[c]]
    return out.reset_index(drop=True)


def check_access(principal: Principal, unit: str | None) -> None:
    """Record-level reconciliation: national lists for national readers, a bureau's lists for its own users."""
    if unit is None:
        if principal.is_local:
            raise AccessDenied(f"{principal.name} ({principal.role}) may see record-level reconciliation of its own unit "
                               f"{principal.unit_code} only; name it with --unit")
        return
    principal.require_detail(unit)


def funnel(engine: Engine, window: Window, *, principal: Principal, unit: str | None = None,
           records: bool = False) -> FunnelResult:
    """The funnel of the clues identified in `window` (nation, a bureau or a sub-bureau); with `records`, the
    unmatched records on each side (checked against the principal)."""
    if unit is not None:
        get_unit(unit)
    if records:
        check_access(principal, unit)
    clues, police = load_records(engine)
    matches, reasons = match_referrals(clues, police)
    linked = clues.merge(matches, on="referral_no", how="left").merge(
        police.drop(columns=["unit_code", "bureau_code"]), on="intake_id", how="left")
    cohort = linked[_in(linked["identified_on"], window) & _scope(linked, unit)]
    flags = _stage_flags(cohort)
    counts = [int(flags[s].sum()) for s in STAGES]
    rates = [None] + [round(b / a, 4) if a else None for a, b in zip(counts, counts[1:])]
    stages = pd.DataFrame({"stage": STAGES, "count": counts, "rate": rates})
    lag_rows = []
    for (a, b, col_a, col_b) in LAGS:
        both = flags[b]
        diff = (cohort[col_b][both] - cohort[col_a][both]).dt.days
        lag_rows.append({"from_stage": a, "to_stage": b, "pairs": int(both.sum()),
                         "median_days": float(np.median(diff)) if len(diff) else None})
    by_bureau = flags.assign(bureau_code=cohort["bureau_code"]).groupby("bureau_code")[list(STAGES)].sum()
    by_bureau = by_bureau.astype(int).reset_index()
    in_cohort_matches = cohort[flags["received"]]
    matched = {"by_number": int((in_cohort_matches["rule"] == "number").sum()),
               "by_fallback": int((in_cohort_matches["rule"] == "fallback").sum())}
    regulator_only = police_only = None
    if records:
        lonely = cohort[flags["referred"] & ~flags["received"]]
        regulator_only = _listing(lonely, REGULATOR_COLUMNS)
        orphans = police[_in(police["received_on"], window) & _scope(police, unit)
                         & ~police["intake_id"].isin(matches["intake_id"])]
        police_only = _listing(orphans, POLICE_COLUMNS)
        police_only["reason"] = police_only["intake_id"].map(reasons)
    return FunnelResult(window, unit, stages, pd.DataFrame(lag_rows), by_bureau, matched, regulator_only,
                        police_only)
