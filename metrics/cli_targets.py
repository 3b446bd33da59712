"""`targets import|list|status` and `scorecard`."""
from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import pandas as pd

from metrics.access import AccessDenied, Principal
from metrics.db import store_engine
from metrics.query import MetricsQuery
from metrics.targets import TargetError, read_targets_csv
from metrics.users import load_principal
from metrics.windows import parse_date, today_shanghai


def _engine(settings):
    return store_engine(settings, check=True)


def _principal(engine, name: str | None) -> Principal:
    """--user NAME answers as that user; without it the operator at the console acts (as system)."""
    if not name:
        return Principal(f"cli:{getpass.getuser()}", "system")
    principal = load_principal(engine, name)
    if principal is None:
        raise AccessDenied(f"no active user '{name}'")
    return principal


def _print(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        print(json.dumps(records, ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    else:
        print(frame.to_string(index=False) if len(frame) else "(none)")


def cmd_import(args, settings) -> int:
    path = Path(args.file)
    try:
        rows = read_targets_csv(path)
    except TargetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = _engine(settings)
    added = MetricsQuery(engine, _principal(engine, args.user)).targets.set(rows, origin=f"csv:{path.name}")
    print(f"{len(rows)} target(s) read from {path}; {added} new version(s), {len(rows) - added} unchanged")
    return 0


def cmd_list(args, settings) -> int:
    engine = _engine(settings)
    on = parse_date(args.on) if args.on else None
    frame = MetricsQuery(engine, _principal(engine, args.user)).targets.current(on=on)
    _print(frame.drop(columns=["period_start", "period_end"]), args.format)
    return 0


def cmd_status(args, settings) -> int:
    engine = _engine(settings)
    as_of = parse_date(args.as_of) if args.as_of else today_shanghai()
    frame = MetricsQuery(engine, _principal(engine, args.user)).targets.status(as_of=as_of)
    if args.format == "table":
        frame = frame.assign(expected_share=frame["expected_share"].map("{:.1%}".format),
                             share_of_target=frame["share_of_target"].map("{:.1%}".format),
                             ratio_to_expected=frame["ratio_to_expected"].map(
                                 lambda r: "" if r is None or pd.isna(r) else f"{r:.2f}"),
                             expected=frame["expected"].round(0).astype("int64"))
    _print(frame.drop(columns=["period_start", "period_end"]), args.format)
    return 0


def _scorecard_table(card) -> str:
    lines = [f"Scorecard as of {card.as_of} over {card.window.start}..{card.window.end} "
             f"({len(card.config.indicators)} indicators; rank among {int(card.bureaus['ranked_of'].iloc[0])})"]
    for r in card.bureaus.itertuples(index=False):
        rank = "  -" if pd.isna(r.rank) else f"{int(r.rank):3d}"
        note = (f"rank withheld: reporting short on {', '.join(r.withheld_metrics)}" if r.withheld_metrics else
                f"most rank to gain: {r.move_indicator} to {r.move_to_value:.4g} (+{r.move_needed:.4g}) -> "
                f"rank {int(r.move_rank)}" if isinstance(r.move_indicator, str) else "")
        lines.append(f"{rank}  {r.unit_code}  {r.name_en:<15} {r.score:6.1f}  {note}")
    return "\n".join(lines)


def cmd_scorecard(args, settings) -> int:
    engine = _engine(settings)
    card = MetricsQuery(engine, _principal(engine, args.user)).targets.scorecard(as_of=parse_date(args.as_of))
    if args.format == "json":
        print(json.dumps({"as_of": card.as_of.isoformat(), "window": [card.window.start.isoformat(),
                                                                        card.window.end.isoformat()],
                          "indicators": [{"id": x.id, "metric": x.metric, "basis": x.basis, "weight": x.weight}
                                         for x in card.config.indicators],
                          "bureaus": card.to_records()}, ensure_ascii=False, indent=2))
    else:
        print(_scorecard_table(card))
    return 0


def add_commands(subparsers, parser_class) -> None:
    targets = subparsers.add_parser("targets", help="annual and campaign-phase targets")
    sub = targets.add_subparsers(dest="targets_command", required=True, parser_class=parser_class)
    imp = sub.add_parser("import", help="import targets from a CSV (metric,unit,period,value[,note])")
    imp.add_argument("file")
    imp.add_argument("--user", metavar="NAME", help="record the change as this admin (default: the operator)")
    imp.set_defaults(func=cmd_import)
    lst = sub.add_parser("list", help="the current version of every target")
    lst.add_argument("--on", metavar="DATE", help="only targets whose period contains DATE")
    lst.add_argument("--user", metavar="NAME", help="list what this user may see")
    lst.add_argument("--format", choices=("table", "json", "csv"), default="table")
    lst.set_defaults(func=cmd_list)
    st = sub.add_parser("status", help="actual, expected by now and status of every current target")
    st.add_argument("--as-of", metavar="DATE", help="the day judged (default: today, Asia/Shanghai)")
    st.add_argument("--user", metavar="NAME", help="what this user may see")
    st.add_argument("--format", choices=("table", "json", "csv"), default="table")
    st.set_defaults(func=cmd_status)

    card = subparsers.add_parser("scorecard", help="the composite standing of the 36 bureaus")
    card.add_argument("--as-of", required=True, metavar="DATE")
    card.add_argument("--format", choices=("table", "json"), default="table")
    card.add_argument("--user", metavar="NAME", help="answer as this user would see it")
    card.set_defaults(func=cmd_scorecard)
