"""The interagency funnel over the demo stand-ins: it adds up, every unmatched record is listed, the fallback
rule matches a referral the police keyed without its number, and record-level output is scoped."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from metrics.api import SYSTEM, STAGES, AccessDenied, Principal, Window, bureaus
from metrics.funnel import funnel
from metrics.models import PoliceRecord, ReferralRecord
from tests.metrics.funnel_fixtures import load_demo, make_demo

WINDOW = Window(dt.date(2023, 6, 1), dt.date(2024, 12, 31))
GUANGDONG = Principal("gd", "bureau", "440000")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("funnel_demo"))


@pytest.fixture(scope="module")
def loaded(module_store_engine, demo_dir):
    load_demo(module_store_engine, demo_dir)
    return module_store_engine


def _monotone(counts: list[int]) -> bool:
    return all(b <= a for a, b in zip(counts, counts[1:]))


def test_the_funnel_adds_up(loaded):
    result = funnel(loaded, WINDOW, principal=SYSTEM)
    assert list(result.stages["stage"]) == list(STAGES)
    counts = list(result.stages["count"])
    assert _monotone(counts) and counts[-1] > 0, counts
    assert counts[1] / counts[0] < 0.5 < counts[2] / counts[1]  # ~37% of clues referred, most received
    assert (result.by_bureau[list(STAGES)].sum() == pd.Series(counts, index=list(STAGES))).all()
    for row in result.by_bureau.itertuples(index=False):
        assert _monotone([getattr(row, s) for s in STAGES]), row
    assert sum(result.matched.values()) == result.counts["received"]
    assert all(lag["median_days"] >= 0 for lag in result.lags.to_dict("records"))
    quarter = funnel(loaded, Window.quarter("2024Q2"), unit="440000", principal=SYSTEM)
    assert _monotone(list(quarter.stages["count"])) and quarter.counts["identified"] > 0


def test_every_unmatched_record_is_listed(loaded, demo_dir):
    result = funnel(loaded, WINDOW, records=True, principal=SYSTEM)
    regulator_only, police_only = result.regulator_only, result.police_only
    assert result.counts["referred"] - result.counts["received"] == len(regulator_only)
    assert regulator_only["clue_id"].is_unique and police_only["intake_id"].is_unique
    # An independent reading of the two demo systems.
    with sqlite3.connect(demo_dir / "regulator.sqlite") as reg, sqlite3.connect(demo_dir / "police.sqlite") as pol:
        clues = pd.read_sql("SELECT clue_id, referral_no, identified_on FROM clue", reg)
        intake = pd.read_sql("SELECT intake_id, cited_referral_no, received_on FROM case_intake", pol)
    known_numbers = set(clues["referral_no"].dropna())
    cited = set(intake["cited_referral_no"].dropna())
    with Session(loaded) as session:
        loaded_clues = {c.clue_id: c for c in session.query(ReferralRecord)}
        loaded_intakes = {p.intake_id: p for p in session.query(PoliceRecord)}
    # Police rows citing a number the regulator never issued: all listed as police_only, with that reason.
    foreign = intake[intake["cited_referral_no"].notna() & ~intake["cited_referral_no"].isin(known_numbers)
                     & intake["intake_id"].isin(loaded_intakes)]
    foreign = foreign[[WINDOW.start <= loaded_intakes[i].received_on <= WINDOW.end for i in foreign["intake_id"]]]
    assert len(foreign) > 0
    listed = police_only.set_index("intake_id")["reason"]
    assert all(listed.get(i) == "unknown referral number" for i in foreign["intake_id"])
    # Referrals of the cohort that no police row cites: each is listed as regulator_only unless the
    # fallback rule matched it (and then a number-less police row of its bureau exists).
    uncited = [c for c in loaded_clues.values() if c.referral_no and c.referral_no not in cited
               and WINDOW.start <= c.identified_on <= WINDOW.end]
    lonely = set(regulator_only["clue_id"])
    assert lonely <= {c.clue_id for c in uncited}
    fallback_matched = [c for c in uncited if c.clue_id not in lonely]
    assert len(fallback_matched) == result.matched["by_fallback"] > 0
    # Every police record of the window is either matched to a cohort-independent referral or listed.
    in_window = {i for i, p in loaded_intakes.items() if p.received_on and WINDOW.start <= p.received_on <= WINDOW.end}
    assert set(police_only["intake_id"]) <= in_window


def test_the_fallback_rule_pairs_by_bureau_and_smallest_lag(store_engine):
    d = dt.date
    clues = [("R1", "YJ-440000-2024-00001", "440000", d(2024, 2, 20), d(2024, 3, 1)),
             ("R2", "YJ-440000-2024-00002", "440000", d(2024, 2, 25), d(2024, 3, 20)),
             ("R3", "YJ-110000-2024-00001", "110000", d(2024, 2, 25), d(2024, 3, 20)),
             ("R4", "YJ-440000-2024-00003", "440000", d(2024, 2, 26), d(2024, 3, 2))]
    police = [("P1", None, "440000", d(2024, 3, 22), d(2024, 3, 30), None),  # lag 21 to R1, 2 to R2
              ("P2", None, "440000", d(2024, 3, 5), None, None),  # lag 4 to R1, 3 to R4
              ("P3", None, "440000", d(2024, 5, 30), None, None),  # too late for any referral
              ("P4", "YJ-440000-2024-99999", "440000", d(2024, 3, 3), None, None),  # a number nobody issued
              ("P5", "YJ-440000-2024-00003", "440000", d(2024, 3, 9), d(2024, 3, 10), d(2024, 4, 1))]
    with Session(store_engine) as session, session.begin():
        session.execute(insert(ReferralRecord), [
            {"source": "clues", "clue_id": c, "referral_no": n, "unit_code": u, "bureau_code": u, "identified_on": i,
             "referred_on": r, "amount_yuan": 1000, "police_unit": None, "run_id": 1} for c, n, u, i, r in clues])
        session.execute(insert(PoliceRecord), [
            {"source": "police", "intake_id": p, "cited_referral_no": n, "unit_code": u, "bureau_code": u,
             "received_on": r, "accepted_on": a, "filed_on": f, "run_id": 1} for p, n, u, r, a, f in police])
    result = funnel(store_engine, Window(d(2024, 2, 1), d(2024, 6, 30)), records=True, principal=SYSTEM)
    # R4 is matched by number (P5); R2 takes P1 (lag 2), then R1 takes P2 (lag 4); R3's bureau has no intake.
    assert result.counts == {"identified": 4, "referred": 4, "received": 3, "accepted": 2, "case_filed": 1}
    assert result.matched == {"by_number": 1, "by_fallback": 2}
    assert list(result.regulator_only["clue_id"]) == ["R3"]
    reasons = dict(zip(result.police_only["intake_id"], result.police_only["reason"]))
    assert reasons == {"P3": "no number and no referral within the fallback rule", "P4": "unknown referral number"}


def test_record_level_reconciliation_is_scoped(loaded):
    other = next(b.code for b in bureaus() if b.code != "440000")
    with pytest.raises(AccessDenied):
        funnel(loaded, WINDOW, unit=other, records=True, principal=GUANGDONG)
    with pytest.raises(AccessDenied):
        funnel(loaded, WINDOW, records=True, principal=GUANGDONG)  # national lists are not a bureau's
    own = funnel(loaded, WINDOW, unit="440000", records=True, principal=GUANGDONG)
    assert set(own.regulator_only["bureau_code"]) <= {"440000"} and set(own.police_only["bureau_code"]) <= {"440000"}
    counts_only = funnel(loaded, WINDOW, unit=other, principal=GUANGDONG)  # aggregate counts stay visible
    assert counts_only.regulator_only is None and counts_only.counts["identified"] > 0
