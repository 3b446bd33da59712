"""`demo generate`: write the demo stand-in systems (see the README, "Demo operational systems")."""
from __future__ import annotations

import argparse
from pathlib import Path

from metrics.windows import CAMPAIGN_START, InvalidWindowError, parse_date, today_shanghai


def _date(text: str):
    try:
        return parse_date(text)
    except InvalidWindowError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 < value <= 1000:
        raise argparse.ArgumentTypeError(f"scale must be above 0 and at most 1000, not {text}")
    return value


def add_commands(subparsers, parser_class) -> None:
    demo = subparsers.add_parser("demo", help="demo operational systems")
    demo_sub = demo.add_subparsers(dest="demo_command", required=True, parser_class=parser_class)
    gen = demo_sub.add_parser("generate", help="write the demo stand-ins for every source system")
    gen.add_argument("--out", type=Path, metavar="DIR", help="target folder (default: <data dir>/demo)")
    gen.add_argument("--seed", type=int, default=None, help="random seed (default 20231)")
    gen.add_argument("--until", type=_date, metavar="DATE", help="last day of data (default: today, Asia/Shanghai)")
    gen.add_argument("--scale", type=_scale, default=1.0, help="multiply event volumes (calibration holds at 1)")
    gen.add_argument("--clue-db-url", metavar="URL", help="SQLAlchemy URL for the clue system (default: SQLite file)")
    gen.set_defaults(func=cmd_generate)


def cmd_generate(args, settings) -> int:
    from demo import DEFAULT_SEED, generate

    until = args.until or today_shanghai()
    if until < CAMPAIGN_START:
        raise InvalidWindowError(f"--until {until} is before the campaign started on {CAMPAIGN_START}")
    report = generate(args.out or settings.demo_dir, seed=DEFAULT_SEED if args.seed is None else args.seed,
                      until=until, scale=args.scale, clue_db_url=args.clue_db_url)
    print(f"demo systems written to {report.out_dir} in {report.seconds:.1f} s "
          f"(seed {report.seed}, until {report.until}, scale {report.scale:g})")
    for system, rows in report.rows.items():
        print(f"  {system:<13} {rows:>7} rows  ({report.dirty[system]} dirty, {report.duplicates[system]} duplicates)")
    print(f"  activity files: {report.activity_files}, missing bureau-months: {report.missing_months}")
    print("published window 2023-06-01..2025-11-30 (valid, distinct rows):")
    for metric, value in report.figures.items():
        print(f"  {metric:<26} {value:>16,}")
    return 0
