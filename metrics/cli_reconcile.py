"""`reconcile`: the interagency funnel over a window and the unmatched records on each side."""
from __future__ import annotations

import json

import pandas as pd

from metrics.access import SYSTEM, AccessDenied
from metrics.db import store_engine
from metrics.funnel import FALLBACK_MAX_LAG_DAYS, FunnelResult, funnel
from metrics.units import get_unit
from metrics.users import load_principal
from metrics.windows import Window, parse_date


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def as_json(result: FunnelResult) -> dict:
    return {
        "window": [result.window.start.isoformat(), result.window.end.isoformat()],
        "unit": result.unit,
        "stages": [{"stage": s, "count": int(c)} for s, c in zip(result.stages["stage"], result.stages["count"])],
        "rates": {s: (None if pd.isna(r) else float(r)) for s, r in zip(result.stages["stage"], result.stages["rate"])},
        "median_lag_days": _records(result.lags),
        "matched": result.matched,
        "unmatched": {"regulator_only": len(result.regulator_only), "police_only": len(result.police_only)},
        "unmatched_records": {"regulator_only": _records(result.regulator_only),
                              "police_only": _records(result.police_only)},
    }


def as_table(result: FunnelResult) -> str:
    where = result.unit or "national"
    stages = result.stages.assign(rate=[("" if pd.isna(r) else f"{r * 100:.1f}%") for r in result.stages["rate"]])
    lines = [f"Funnel of the clues identified {result.window.label()} ({where})", stages.to_string(index=False), "",
             "Median lag between stages (days)", result.lags.to_string(index=False), "",
             f"Matched by referral number: {result.matched['by_number']}; by the fallback rule "
             f"(same bureau, received 0-{FALLBACK_MAX_LAG_DAYS} days after referral): {result.matched['by_fallback']}",
             ""]
    for side, frame in (("regulator_only", result.regulator_only), ("police_only", result.police_only)):
        lines.append(f"{side}: {len(frame)}")
        if len(frame):
            lines.append(frame.to_string(index=False))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def cmd_reconcile(args, settings) -> int:
    window = Window(parse_date(args.date_from), parse_date(args.date_to))
    if args.unit:
        get_unit(args.unit)
    engine = store_engine(settings, check=True)
    principal = SYSTEM
    if args.user:
        principal = load_principal(engine, args.user)
        if principal is None:
            raise AccessDenied(f"no active user '{args.user}'")
    result = funnel(engine, window, unit=args.unit, records=True, principal=principal)
    if args.format == "json":
        print(json.dumps(as_json(result), ensure_ascii=False, indent=2, default=str))
    else:
        print(as_table(result), end="")
    return 0


def add_commands(subparsers, parser_class) -> None:
    rec = subparsers.add_parser("reconcile", help="the referral funnel and the records matched on one side only")
    rec.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    rec.add_argument("--to", dest="date_to", required=True, metavar="DATE")
    rec.add_argument("--unit", metavar="CODE", help="a bureau or sub-bureau (default: the nation)")
    rec.add_argument("--format", choices=("table", "json"), default="table")
    rec.add_argument("--user", metavar="NAME", help="answer as this user would see it (default: operator)")
    rec.set_defaults(func=cmd_reconcile)
