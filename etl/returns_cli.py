"""The returns desk as app.py and the CLI build it, and the `returns` subcommands.

The desk reads numbers with the ETL's own parser (etl.validation.parse_decimal), so the form, the API, the
Excel upload and the loader agree on '1,200', '1.2万' or '１２'; metrics only receives the function.
"""
from __future__ import annotations

import json
from pathlib import Path

from metrics.cli_usage import exit_2_on

DEFAULT_TYPES = Path(__file__).with_name("returns.demo.yaml")


def types_path(settings) -> Path:
    return Path(dict(settings.source_variables).get("IMD_RETURN_TYPES") or DEFAULT_TYPES)


def build_desk(settings, engine, clock=None):
    from etl.validation import parse_decimal
    from metrics.api import ReturnsDesk, load_return_types

    extra = {"clock": clock} if clock is not None else {}
    desk = ReturnsDesk(engine, load_return_types(types_path(settings)), parse_decimal, **extra)
    desk.publish_types()  # the coverage matrix and the brief read what each type expects from the store
    return desk


# A bad return type, unit, period or number (ReturnTypeError is a ValueError): one line, exit 2.
_usage_errors = exit_2_on(ValueError)


def _desk_and_principal(args, settings):
    from metrics.api import SYSTEM, Accounts
    from metrics.db import store_engine

    engine = store_engine(settings, check=True)
    principal = SYSTEM
    if getattr(args, "user", None):
        principal = Accounts(engine).load_principal(args.user)
        if principal is None:
            raise ValueError(f"no active user '{args.user}'")
    return build_desk(settings, engine), principal


def _print(frame, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records", force_ascii=False)), ensure_ascii=False, indent=2))
    else:
        print(frame.to_string(index=False) if len(frame) else "(none)")


@_usage_errors
def cmd_list(args, settings) -> int:
    desk, principal = _desk_and_principal(args, settings)
    _print(desk.list(principal, return_type=args.type, period=args.period, unit=args.unit, status=args.status),
           args.format)
    return 0


@_usage_errors
def cmd_overdue(args, settings) -> int:
    from metrics.api import parse_date

    desk, principal = _desk_and_principal(args, settings)
    as_of = parse_date(args.as_of) if args.as_of else None
    _print(desk.overdue(principal, as_of=as_of), args.format)
    return 0


@_usage_errors
def cmd_signatory(args, settings) -> int:
    from metrics.api import SYSTEM

    desk, _ = _desk_and_principal(args, settings)
    desk.grant_signatory(SYSTEM, args.name)
    print(f"'{args.name}' may now confirm its bureau's quarters")
    return 0


def add_commands(subparsers, parser_class) -> None:
    returns = subparsers.add_parser("returns", help="bureau returns: list, overdue, signatories")
    sub = returns.add_subparsers(dest="returns_command", required=True, parser_class=parser_class)
    listing = sub.add_parser("list", help="returns (newest version of each), as a user sees them")
    for name in ("type", "period", "unit", "status"):
        listing.add_argument(f"--{name}")
    overdue = sub.add_parser("overdue", help="unit-periods whose deadline passed with nothing submitted")
    overdue.add_argument("--as-of", metavar="DATE")
    for parser in (listing, overdue):
        parser.add_argument("--user", metavar="NAME", help="read as this user (default: the operator, all units)")
        parser.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(func=cmd_list)
    overdue.set_defaults(func=cmd_overdue)
    signatory = sub.add_parser("signatory", help="let a bureau user confirm its bureau's quarters")
    signatory.add_argument("name")
    signatory.set_defaults(func=cmd_signatory)
