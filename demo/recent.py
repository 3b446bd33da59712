"""The live demo: new events appended to every stand-in, as a scheduler job does every few minutes.

Each stand-in grows at the rate it has had so far (its rows over the days since the campaign started), scaled to
the job's interval: a 5-minute call usually adds nothing, a day of calls adds about a day's worth. Without that
a fixed amount per call made "today" a 30-50x spike on every trend chart.

Deterministic for (seed, now). Events are dated today or yesterday (Asia/Shanghai); the contract holds:
the current month's workbook is re-written with the extra rows, the JSON export is replaced atomically.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
from sqlalchemy import func, select, update

from metrics.units import HQ_CODE, UnknownUnitError, bureau_of, resolve_unit
from metrics.windows import CAMPAIGN_START, TZ

from .activity import event_row, sheet_name, totals
from .clues import BIG_DATA_CAP, FOUND_BY
from .common import pick_category
from .generate import DEFAULT_SEED, stream
from .institutions import YUAN_PER_WAN, institution_for, wan_text
from .publications import TITLES, spell_issuer, read_export, write_export
from .registers import DOCUMENT_COLUMNS, DOC_TITLES, INSPECTION_COLUMNS, doc_prefix, append_csv
from .spelling import bureau_name, bureau_picker, county_code, economic_weights, pick_sub_bureau, police_unit, spell
from .sqlout import clue_table, intake_table, open_engine, report_table, sqlite_url
from .xlsx import event_count, read_events, write_sheet

DEFAULT_EVERY = dt.timedelta(minutes=5)  # the scheduler's default interval


def append_recent(out_dir: Path, *, now: dt.datetime, seed: int, every: dt.timedelta = DEFAULT_EVERY,
                  clue_db_url: str | None = None) -> dict[str, int]:
    """Append what each stand-in in out_dir gains in `every` at its pace so far; returns the rows each gained."""
    out_dir = Path(out_dir)
    if not (out_dir / "publications.json").exists():
        raise FileNotFoundError(f"no demo systems in {out_dir}; run `demo generate` first")
    local = (now if now.tzinfo else now.replace(tzinfo=dt.timezone.utc)).astimezone(TZ)
    rng = np.random.default_rng([seed, int(local.timestamp()) // 60])
    pick = bureau_picker(economic_weights(stream(DEFAULT_SEED, "bureaus")), rng)
    stamp = local.strftime("%Y-%m-%d %H:%M:%S")
    days = [local.date() - dt.timedelta(days=1), local.date()]

    def day() -> dt.date:
        return days[int(rng.integers(2))]

    # The campaign start rather than each system's first row: no dirty date to parse, one COUNT per system.
    history_days = max(1, (local.date() - CAMPAIGN_START).days + 1)

    def due(so_far: int) -> int:
        """Events due in this call for a system with so_far rows: its daily rate times the interval."""
        return int(rng.poisson(so_far / history_days * (every / dt.timedelta(days=1))))

    clue_url = clue_db_url or sqlite_url(out_dir / "regulator.sqlite")
    added = {"clue": _clues(rng, clue_url, pick, day, stamp, due)}
    added["case_intake"] = _police(rng, out_dir / "police.sqlite", clue_url, local.date(), stamp, due)
    added["crime_report"] = _reports(rng, out_dir / "institutions.sqlite", pick, day, stamp, due)
    added["publications"] = _publications(rng, out_dir / "publications.json", pick, day, stamp, due)
    folder = out_dir / "activity"
    held = due(sum(event_count(p) for p in folder.glob("*.xlsx")))
    added["activity"] = sum(_activity(rng, folder, pick, day, local) for _ in range(held))
    added["documents"] = _documents(rng, out_dir / "documents.csv", pick, day, due)
    added["inspections"] = _inspections(rng, out_dir / "inspections.csv", pick, day, due)
    return added


def _next_serial(conn, column, prefix: str, width: int) -> int:
    last = conn.execute(select(func.max(column)).where(column.like(f"{prefix}%"))).scalar()
    return int(last[len(prefix):len(prefix) + width]) + 1 if last else 1


def _clues(rng, url: str, pick, day, stamp: str, due) -> int:
    engine = open_engine(url)
    try:
        with engine.begin() as conn:
            total, with_referral = conn.execute(select(func.count(), func.count(clue_table.c.referral_no))).one()
            count = due(total)
            if not count:
                return 0
            referral_share = with_referral / total  # new clues are referred as often as the old ones were
            stamp = _after_latest(conn, clue_table, stamp)
            rows = []
            for _ in range(count):
                identified = day()
                bureau = pick(identified)
                sub = pick_sub_bureau(bureau, rng)
                found_by = list(FOUND_BY)[int(rng.choice(len(FOUND_BY), p=list(FOUND_BY.values())))]
                amount = int(min(rng.lognormal(np.log(1_500_000), 1.5), BIG_DATA_CAP))
                prefix = f"XS{identified:%Y%m%d}"
                serial = _next_serial(conn, clue_table.c.clue_id, prefix, 5)
                serial += sum(1 for r in rows if r["clue_id"].startswith(prefix))
                row = {"clue_id": f"{prefix}{serial:05d}", "identified_on": identified.isoformat(),
                       "bureau": spell(bureau, rng), "sub_bureau": spell(sub, rng) if sub else None,
                       "category": pick_category(rng), "found_by": found_by, "amount_yuan": str(amount),
                       "referral_no": None, "referred_on": None, "police_unit": None, "updated_at": stamp}
                if rng.random() < referral_share:
                    referred = max(identified, day())
                    ref_prefix = f"YJ-{bureau}-{referred.year}-"
                    number = _next_serial(conn, clue_table.c.referral_no, ref_prefix, 5)
                    number += len([r for r in rows if (r["referral_no"] or "").startswith(ref_prefix)])
                    row.update(referral_no=f"{ref_prefix}{number:05d}", referred_on=referred.isoformat(),
                               police_unit=police_unit(bureau, sub))
                rows.append(row)
            conn.execute(clue_table.insert(), rows)
    finally:
        engine.dispose()
    return len(rows)


def _police(rng, path: Path, clue_url: str, today: dt.date, stamp: str, due) -> int:
    """Receive recent referrals, accept and file pending intakes (updates with a newer updated_at), each at the
    pace the police system has had so far."""
    since = (today - dt.timedelta(days=30)).isoformat()
    clue_engine, engine = open_engine(clue_url), open_engine(sqlite_url(path))
    try:
        with clue_engine.connect() as conn:
            recent = conn.execute(select(clue_table.c.referral_no, clue_table.c.bureau, clue_table.c.sub_bureau)
                                  .where(clue_table.c.referred_on >= since).order_by(clue_table.c.clue_id)).all()
        with engine.begin() as conn:
            t = intake_table.c
            received, accepted, filed = conn.execute(
                select(func.count(), func.count(t.accepted_on), func.count(t.filed_on))).one()
            stamp = _after_latest(conn, intake_table, stamp)
            cited = set(conn.execute(select(t.cited_referral_no).where(t.received_on >= since)).scalars())
            arriving = _some(rng, [r for r in recent if r.referral_no not in cited], due(received))
            last = int((conn.execute(select(func.max(t.intake_id))).scalar() or "JA1000000000")[2:])
            for number, referral in enumerate(arriving, start=1):
                bureau, sub = _units_of(referral)
                conn.execute(intake_table.insert().values(
                    intake_id=f"JA{last + 7 * number:010d}", region_code=county_code(bureau, sub, rng),
                    cited_referral_no=referral.referral_no, received_on=today.isoformat(), accepted_on=None,
                    filed_on=None, updated_at=stamp))
            for column, after, so_far in ((t.accepted_on, t.received_on, accepted), (t.filed_on, t.accepted_on, filed)):
                pending = conn.execute(select(t.intake_id).where(column.is_(None), after.isnot(None), after >= since,
                                                                 after < today.isoformat())
                                       .order_by(t.intake_id)).scalars().all()
                for chosen in _some(rng, pending, due(so_far)):
                    conn.execute(update(intake_table).where(t.intake_id == chosen)
                                 .values({column.name: today.isoformat(), "updated_at": stamp}))
        return len(arriving)
    finally:
        clue_engine.dispose()
        engine.dispose()


def _some(rng, items: list, count: int) -> list:
    """count distinct items in their order, or all of them when there are fewer."""
    if count >= len(items):
        return items
    return [items[i] for i in sorted(rng.choice(len(items), size=count, replace=False))]


def _units_of(referral) -> tuple[str, str | None]:
    """The bureau from the referral number; the sub-bureau if its spelling resolves under that bureau."""
    bureau = referral.referral_no.split("-")[1]
    try:
        sub = resolve_unit(referral.sub_bureau) if referral.sub_bureau else None
    except UnknownUnitError:
        sub = None
    return bureau, sub if sub and sub != bureau and bureau_of(sub) == bureau else None


def _after_latest(conn, table, stamp: str) -> str:
    """Never stamp a row earlier than the latest one stored, so the ETL's updated_at watermark sees it."""
    latest = conn.execute(select(func.max(table.c.updated_at))).scalar()
    return _later(stamp, latest)


def _later(stamp: str, latest: str | None) -> str:
    if not latest or latest < stamp:
        return stamp
    return (dt.datetime.fromisoformat(latest) + dt.timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S")


def _reports(rng, path: Path, pick, day, stamp: str, due) -> int:
    engine = open_engine(sqlite_url(path))
    try:
        with engine.begin() as conn:
            count = due(conn.execute(select(func.count()).select_from(report_table)).scalar())
            if not count:
                return 0
            stamp = _after_latest(conn, report_table, stamp)
            last = conn.execute(select(func.max(report_table.c.report_id))).scalar() or 0
            conn.execute(report_table.insert(), [_report_row(rng, last + n, pick, day, stamp)
                                                 for n in range(1, count + 1)])
    finally:
        engine.dispose()
    return count


def _report_row(rng, report_id: int, pick, day, stamp: str) -> dict:
    reported = day()
    bureau = pick(reported)
    sub = pick_sub_bureau(bureau, rng, share=0.6)
    category = pick_category(rng)
    name, kind = institution_for(rng, bureau, sub, category)
    yuan = max(100, int(round(rng.lognormal(np.log(3_800_000), 1.4), -2)))
    return {"report_id": report_id, "institution_name": name, "institution_type": kind, "bureau": spell(bureau, rng),
            "category": category, "amount_wan": wan_text(yuan - yuan % (YUAN_PER_WAN // 100)),
            "reported_on": reported.strftime("%Y%m%d"), "updated_at": stamp}


def _publications(rng, path: Path, pick, day, stamp: str, due) -> int:
    items = read_export(path)["items"]
    count = due(len(items))
    if not count:
        return 0
    stamp = _later(stamp, max((i.get("updated_at") or "" for i in items), default=None))
    first = max(int(i["id"][1:]) for i in items) + 1
    for number in range(first, first + count):
        published = day()
        kind = ("risk_warning", "public_statement", "ad_takedown")[int(rng.choice(3, p=[0.45, 0.2, 0.35]))]
        code = HQ_CODE if kind == "public_statement" and rng.random() < 0.7 else pick(published)
        year = str(published.year)
        same_year = sum(1 for i in items if i.get("type") == kind and str(i.get("published_on") or "")[:4] == year)
        item = {"id": f"P{number:06d}", "type": kind, "published_on": published.isoformat(),
                "issuer": spell_issuer(rng, code),
                "title": TITLES[kind].format(cat=pick_category(rng)) + f"（{published.year}年第{same_year + 1}期）",
                "updated_at": stamp}
        if kind == "ad_takedown":
            item["ads"] = int(max(1, round(rng.lognormal(np.log(40), 0.9))))
        items = items + [item]
    write_export(path, items, stamp)
    return count


def _activity(rng, folder: Path, pick, day, local: dt.datetime) -> int:
    held = day()
    bureau = pick(held)
    path = folder / sheet_name(bureau, held.replace(day=1))
    cells = read_events(path) if path.exists() else []
    people = int(rng.lognormal(np.log(900), 1.0))
    people = int(round(people, -2)) if people >= 10_000 else max(20, people)
    cells.append(event_row(rng, bureau, held, people, int(rng.poisson(0.18))))
    # the re-written file must look newer than every file already in the folder (mtime watermark)
    latest = max((p.stat().st_mtime for p in folder.glob("*.xlsx")), default=0.0)
    written = max(local, dt.datetime.fromtimestamp(int(latest) + 1, TZ))
    write_sheet(path, bureau_name(bureau), held.replace(day=1), cells, totals(cells), written.replace(tzinfo=None))
    return 1


def _read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _append_register(path: Path, columns: tuple[str, ...], due, new_row) -> int:
    """Append the rows due to a CSV register; new_row(rows so far) builds one (serials count what exists)."""
    rows = _read_csv(path)
    added: list[dict] = []
    for _ in range(due(len(rows))):
        added.append(new_row(rows + added))
    if added:
        append_csv(path, columns, added)
    return len(added)


def _documents(rng, path: Path, pick, day, due) -> int:
    def new_row(existing: list[dict]) -> dict:
        issued = day()
        code = HQ_CODE if rng.random() < 0.45 else pick(issued)
        prefix = f"{doc_prefix(code)}〔{issued.year}〕"
        serial = 1 + sum(1 for r in existing if r["doc_no"].startswith(prefix))
        return {"doc_no": f"{prefix}{serial}号",
                "title": DOC_TITLES[int(rng.integers(len(DOC_TITLES)))].format(cat=pick_category(rng)),
                "issuer": spell_issuer(rng, code), "action": "修订" if rng.random() < 0.25 else "制定",
                "issued_on": issued.isoformat()}

    return _append_register(path, DOCUMENT_COLUMNS, due, new_row)


def _inspections(rng, path: Path, pick, day, due) -> int:
    def new_row(existing: list[dict]) -> dict:
        started = day()
        code = pick(started)
        sub = pick_sub_bureau(code, rng, share=0.6)
        prefix = f"JC-{code}-{started.year}-"
        serial = 1 + sum(1 for r in existing if r["inspection_no"].startswith(prefix))
        return {"inspection_no": f"{prefix}{serial:03d}", "bureau": spell(code, rng),
                "sub_bureau": spell(sub, rng) if sub else "",
                "category": pick_category(rng), "started_on": started.strftime("%Y/%m/%d")}

    return _append_register(path, INSPECTION_COLUMNS, due, new_row)
