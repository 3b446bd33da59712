"""`briefing` subcommand: build (and with --publish, freeze) a quarterly brief and write HTML, PDF and PNGs."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from metrics.api import BriefingPeriod, parse_date, store_engine

from briefing.export import LANGS


def _langs(text: str) -> tuple[str, ...]:
    langs = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    bad = [lang for lang in langs if lang not in LANGS]
    if not langs or bad:
        raise argparse.ArgumentTypeError(f"--lang takes zh and/or en separated by a comma, not '{text}'")
    return langs


def cmd_briefing(args, settings) -> int:
    from briefing.service import generate_briefing

    period = BriefingPeriod.for_quarter(args.quarter) if args.quarter else BriefingPeriod.for_as_of(parse_date(args.as_of))
    engine = store_engine(settings, check=True)
    outcome = generate_briefing(engine, period, out_dir=Path(args.out or settings.briefings_dir),
                                now=dt.datetime.now(dt.timezone.utc), langs=args.lang, publish=args.publish,
                                force=args.force)
    b = outcome.briefing
    if b.is_draft:
        state = "draft (not stored; use --publish to freeze it)"
    else:
        state = f"version {b.version} " + ("published" if outcome.created else "unchanged since it was published")
    print(f"briefing {b.period}: {state}; content hash {b.content_hash[:16]}; {outcome.seconds:.1f} s")
    for path in outcome.rendered.files():
        print(f"  {path}")
    return 0


def add_commands(subparsers, parser_class) -> None:
    parser = subparsers.add_parser("briefing", help="quarterly brief: HTML, PDF, Word and PNG charts, zh and en")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--quarter", metavar="YYYYQn", help="a calendar quarter, e.g. 2025Q4")
    which.add_argument("--as-of", dest="as_of", metavar="DATE", help="the quarter containing DATE, cut at DATE")
    parser.add_argument("--out", metavar="DIR", help="output directory (default: the data dir's briefings/)")
    parser.add_argument("--lang", type=_langs, default=LANGS, help="zh, en or zh,en (default)")
    parser.add_argument("--publish", action="store_true",
                        help="freeze it as a new version in the store (kept as is when nothing changed)")
    parser.add_argument("--force", action="store_true", help="with --publish: a new version even if unchanged")
    parser.set_defaults(func=cmd_briefing)
