"""`etl run|backfill|status|quarantine`. Handlers take (args, settings) and return an exit code."""
from __future__ import annotations

import json
import sys

from etl.config import SourceConfigError
from metrics.cli_usage import exit_2_on

_usage_errors = exit_2_on(SourceConfigError)  # a bad sources file: one line, exit 2


def _engine(settings):
    from metrics.db import store_engine

    return store_engine(settings, check=True)


def _print_result(result) -> None:
    if result.status == "success":
        print(f"{result.source}: success, read {result.rows_read}, loaded {result.rows_loaded}, "
              f"quarantined {result.rows_quarantined}")
    elif result.status == "refused":
        print(f"{result.source}: {result.error}")  # the error starts with "refused: "
    else:
        print(f"{result.source}: failed: {result.error}")


@_usage_errors
def cmd_run(args, settings) -> int:
    from etl.jobs import load_specs, pick, run_sources

    specs = pick(load_specs(settings), args.source)
    results = run_sources(_engine(settings), specs, trigger="manual", full=args.full, on_done=_print_result,
                          accept=args.accept)
    return 0 if all(r.status == "success" for r in results) else 1


@_usage_errors
def cmd_backfill(args, settings) -> int:
    from tqdm import tqdm

    from etl.jobs import backfill, load_specs, month_windows, pick
    from metrics.windows import Window, parse_date

    window = Window(parse_date(args.date_from), parse_date(args.date_to))
    specs = pick(load_specs(settings), args.source)
    total = len(specs) * len(month_windows(window.start, window.end))
    failed = []
    with tqdm(total=total, unit="month", desc="backfill", file=sys.stderr) as bar:
        def step(result):
            bar.set_postfix_str(f"{result.source} {result.status}")
            bar.update(1)
            if result.status != "success":
                failed.append(result)

        results = backfill(_engine(settings), specs, window.start, window.end, progress=step, accept=args.accept)
    loaded = sum(r.rows_loaded for r in results)
    quarantined = sum(r.rows_quarantined for r in results)
    print(f"backfill {window.start}..{window.end}: {len(results)} batches, loaded {loaded}, "
          f"quarantined {quarantined}, failed {len(failed)}")
    for result in failed:
        _print_result(result)
    return 0 if not failed else 1


def _status_rows(engine, specs) -> list[dict]:
    import datetime as dt

    from etl.scheduler import expected_intervals
    from metrics.status import source_status_rows

    now = dt.datetime.now(dt.timezone.utc)
    return source_status_rows(engine, now=now, expected_every=expected_intervals(specs, now))


def _shown(value):
    """A status cell as the table prints it."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="seconds")
    return value


@_usage_errors
def cmd_status(args, settings) -> int:
    from etl.jobs import load_specs

    specs = load_specs(settings)  # a bad sources file is reported before the store is asked
    engine = _engine(settings)  # once: each call connects and checks the schema
    rows = _status_rows(engine, specs)
    if args.format == "json":
        records = [{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()} for row in rows]
        print(json.dumps(records, ensure_ascii=False, indent=2, default=str))
        return 0
    from tabulate import tabulate

    columns = [c for c in rows[0] if c != "error"] if rows else []
    print(tabulate([[_shown(row[c]) for c in columns] for row in rows], headers=columns, tablefmt="plain",
                   floatfmt=".1f")
          if rows else "no sources have run")
    for row in rows:
        if row["status"] in ("failed", "refused") and row["error"]:
            print(f"{row['source']} last error: {row['error']}")
    from metrics.status import file_finding_counts

    for src, n in file_finding_counts(engine).items():
        print(f"{src}: {n} file finding(s), reported with a discrepancy (etl quarantine --source {src})")
    return 0


def _print_findings(settings, source: str | None) -> None:
    """Data-quality findings on files (a 合计 that disagrees with its rows): counted in status, listed in quarantine."""
    from metrics.access import SYSTEM
    from metrics.findings import file_findings

    for row in file_findings(_engine(settings), SYSTEM, source=source).itertuples():
        print(f"finding {row.source} {row.file_ref}: {row.detail}")


def _print_groups(settings, source: str | None) -> None:
    from metrics.access import SYSTEM
    from metrics.quarantine_groups import quarantine_groups

    groups = quarantine_groups(_engine(settings), SYSTEM, source=source)
    if groups.empty:
        print("no quarantined rows")
    for row in groups.itertuples():
        hint = f" → did you mean {row.suggestion}?" if row.suggestion else ""
        print(f"{row.source}: {row.reason} x{row.rows}{hint}")


@_usage_errors
def cmd_quarantine(args, settings) -> int:
    from sqlalchemy import select

    from etl.jobs import load_specs, pick
    from metrics.models import QuarantinedRow
    from metrics.result_frame import result_frame

    if args.source is not None:
        pick(load_specs(settings), args.source)
    if args.group:
        _print_groups(settings, args.source)
        _print_findings(settings, args.source)
        return 0
    q = (select(QuarantinedRow.source, QuarantinedRow.row_ref, QuarantinedRow.unit_code, QuarantinedRow.reason,
                QuarantinedRow.raw, QuarantinedRow.run_id, QuarantinedRow.created_at)
         .order_by(QuarantinedRow.source, QuarantinedRow.id))
    if args.source is not None:
        q = q.where(QuarantinedRow.source == args.source)
    with _engine(settings).connect() as conn:
        frame = result_frame(conn.execute(q), ["source", "row_ref", "unit_code", "reason", "raw", "run_id",
                                               "created_at"])
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    else:
        shown = frame.drop(columns=["raw"]).astype({"unit_code": object}).fillna("")
        print(shown.to_string(index=False) if len(frame) else "no quarantined rows")
        _print_findings(settings, args.source)
    return 0


@_usage_errors
def cmd_reprocess(args, settings) -> int:
    from etl.jobs import load_specs, pick
    from etl.reprocess import reprocess

    [spec] = pick(load_specs(settings), args.source)
    result, matched, dayless = reprocess(_engine(settings), spec, kind=args.kind, accept=args.accept)
    if dayless:
        print(f"{spec.name}: {dayless} of {matched} rows have no readable day; "
              f"re-read them with: etl run --source {spec.name} --full")
    if result is None:
        if not matched:
            print(f"{spec.name}: no quarantined rows to reprocess")
        return 0
    _print_result(result)
    return 0 if result.status == "success" else 1


def add_commands(subparsers, parser_class) -> None:
    etl = subparsers.add_parser("etl", help="load the source systems into the metrics store")
    sub = etl.add_subparsers(dest="etl_command", required=True, parser_class=parser_class)

    run = sub.add_parser("run", help="run sources now (incremental from each watermark)")
    run.add_argument("--source", metavar="NAME")
    run.add_argument("--full", action="store_true", help="ignore the watermark and restate every day")
    run.add_argument("--accept", action="store_true", help="load even a run the source's guard would refuse")
    run.set_defaults(func=cmd_run)

    backfill = sub.add_parser("backfill", help="restate a day range month by month")
    backfill.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    backfill.add_argument("--to", dest="date_to", required=True, metavar="DATE")
    backfill.add_argument("--source", metavar="NAME")
    backfill.add_argument("--accept", action="store_true", help="load even batches the source's guard would refuse")
    backfill.set_defaults(func=cmd_backfill)

    again = sub.add_parser("reprocess", help="re-read the quarantined rows' days and load the rows that now pass")
    again.add_argument("--source", metavar="NAME", required=True)
    again.add_argument("--kind", metavar="TEXT", help="only rows whose reason contains TEXT, e.g. 'unknown region'")
    again.add_argument("--accept", action="store_true", help="load even a run the source's guard would refuse")
    again.set_defaults(func=cmd_reprocess)

    status = sub.add_parser("status", help="last run and freshness of every source")
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.set_defaults(func=cmd_status)

    quarantine = sub.add_parser("quarantine", help="rows that were not loaded, with the reason")
    quarantine.add_argument("--source", metavar="NAME")
    quarantine.add_argument("--format", choices=("table", "csv"), default="table")
    quarantine.add_argument("--group", action="store_true",
                            help="one line per reason and value, most frequent first, with suggestions")
    quarantine.set_defaults(func=cmd_quarantine)
