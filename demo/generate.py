"""Generate every demo stand-in into one folder, deterministically for a seed."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .activity import build_activity, write_activity
from .calibration import BANDS, in_window
from .clues import build_clues, referrals
from .common import Built
from .institutions import build_reports
from .police import build_police
from .publications import build_publications, write_export
from .registers import (DOCUMENT_COLUMNS, INSPECTION_COLUMNS, build_documents, build_inspections,
                        write_csv)
from .spelling import bureau_picker, economic_weights
from .sqlout import clue_table, intake_table, replace_table, report_table, sqlite_url
from .timeline import WINDOW_START

DEFAULT_SEED = 20231
# One random stream per system, so changing one generator never shifts another's data.
STREAMS = {"bureaus": 0, "clues": 1, "police": 2, "reports": 3, "publications": 4, "activity": 5,
           "documents": 6, "inspections": 7, "activity_files": 8}


@dataclass(frozen=True)
class GenerationReport:
    out_dir: Path
    seed: int
    until: dt.date
    scale: float
    seconds: float
    rows: dict[str, int]
    dirty: dict[str, int]
    duplicates: dict[str, int]
    corrections: dict[str, int]
    figures: dict[str, int]  # valid, distinct, national, over the published window
    activity_files: int = 0
    missing_months: int = 0
    notes: list[str] = field(default_factory=list)

    def calibrated(self) -> dict[str, bool]:
        return {metric: band.holds(self.figures[metric]) for metric, band in BANDS.items()}


def stream(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, STREAMS[name]])


def generate(out_dir: Path, *, seed: int = DEFAULT_SEED, until: dt.date, scale: float = 1.0,
             clue_db_url: str | None = None) -> GenerationReport:
    if until < WINDOW_START:
        raise ValueError(f"until {until} is before the campaign started ({WINDOW_START})")
    if scale <= 0:
        raise ValueError("scale must be positive")
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = economic_weights(stream(seed, "bureaus"))

    def picker(name: str):
        rng = stream(seed, name)
        return rng, bureau_picker(weights, rng)

    rng, pick = picker("clues")
    clues = build_clues(rng, until, pick, scale)
    police = build_police(stream(seed, "police"), referrals(clues), until)
    reports = build_reports(*_with(picker("reports"), until, scale))
    publications = build_publications(*_with(picker("publications"), until, scale))
    activity = build_activity(*_with(picker("activity"), until, scale))
    documents = build_documents(*_with(picker("documents"), until, scale))
    inspections = build_inspections(*_with(picker("inspections"), until, scale))

    replace_table(clue_db_url or sqlite_url(out_dir / "regulator.sqlite"), clue_table, clues.public_rows())
    replace_table(sqlite_url(out_dir / "police.sqlite"), intake_table, police.public_rows())
    replace_table(sqlite_url(out_dir / "institutions.sqlite"), report_table, reports.public_rows())
    exported_at = max(i["updated_at"] for i in publications.rows)
    write_export(out_dir / "publications.json", publications.rows, exported_at)
    files = write_activity(out_dir / "activity", activity, until, stream(seed, "activity_files"))
    write_csv(out_dir / "documents.csv", DOCUMENT_COLUMNS, documents.rows)
    write_csv(out_dir / "inspections.csv", INSPECTION_COLUMNS, inspections.rows)

    systems = {"clue": clues, "case_intake": police, "crime_report": reports, "publications": publications,
               "activity": activity, "documents": documents, "inspections": inspections}
    return GenerationReport(
        out_dir=out_dir, seed=seed, until=until, scale=scale, seconds=round(time.perf_counter() - started, 2),
        rows={k: len(b.rows) for k, b in systems.items()}, dirty={k: b.dirty for k, b in systems.items()},
        duplicates={k: b.duplicates for k, b in systems.items()},
        corrections={k: b.corrections for k, b in systems.items()},
        figures=measure(clues, police, reports, publications, activity, documents, inspections),
        activity_files=files, missing_months=activity.extra["missing"])


def _with(rng_and_pick, until, scale):
    rng, pick = rng_and_pick
    return rng, until, pick, scale


def _valid(built: Built, day_key: str = "_day") -> list[dict]:
    return [r for r in built.rows if r["_valid"] and in_window(r[day_key])]


def measure(clues, police, reports, publications, activity, documents, inspections) -> dict[str, int]:
    """The truth the generator planned: valid, distinct rows inside the published window."""
    referred = [r for r in clues.rows if r["_valid"] and r["_referred"] and in_window(r["_referred"])]
    accepted = [r for r in police.rows if r["_valid"] and r["accepted_on"]
                and in_window(dt.date.fromisoformat(r["accepted_on"]))]
    filed = [r for r in police.rows
             if r["_valid"] and r["filed_on"] and in_window(dt.date.fromisoformat(r["filed_on"]))]
    events = _valid(activity)
    return {
        "clues_identified": len(_valid(clues)),
        "clue_referrals": len({r["referral_no"] for r in referred}),
        "clue_referral_amount": sum(int(r["amount_yuan"]) for r in referred),
        "major_cases": sum(1 for r in _valid(clues) if r["_major"]),
        "referrals_accepted": len(accepted),
        "cases_filed": len(filed),
        "institution_reports": len(_valid(reports)),
        "institution_report_amount": sum(r["_yuan"] for r in _valid(reports)),
        "risk_warnings": sum(1 for r in _valid(publications) if r["type"] != "ad_takedown"),
        "ads_removed": sum(r.get("ads", 0) for r in _valid(publications)),
        "education_events": len(events),
        "education_participants": sum(e["_people"] for e in events),
        "media_reports": sum(e["_media"] for e in events),
        "regulatory_documents": len(_valid(documents)),
        "special_inspections": len(_valid(inspections)),
    }
