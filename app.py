"""Entry point: `python app.py [command]` (also the `imd` console script).

The command line only; the settings, the web app and the scheduler are built in `wiring`.
"""
from __future__ import annotations

import argparse
import json
import sys

from metrics.config import Settings
from wiring.settings import ROOT, get_settings, make_store_engine  # noqa: F401  (ROOT: the tests' project root)


class UsageError(Exception):
    """Bad input from the command line: one line on stderr, exit code 2."""


# -- commands --------------------------------------------------------------------------------------------
def cmd_db_upgrade(args, settings: Settings) -> int:
    from metrics.db import upgrade

    upgrade(make_store_engine(settings))
    print("metrics store is at the latest schema")
    return 0


def cmd_summary(args, settings: Settings) -> int:
    # The query API's own modules, not the whole metrics.api facade: the command starts in well under 1 s.
    from metrics.access import SYSTEM
    from metrics.db import store_engine
    from metrics.query import MetricsQuery
    from metrics.requests import TotalsRequest
    from metrics.units import get_unit
    from metrics.windows import Window, parse_date

    window = Window(parse_date(args.date_from), parse_date(args.date_to))
    if args.unit:
        get_unit(args.unit)
    engine = store_engine(settings, check=True)
    frame = MetricsQuery(engine, SYSTEM).totals(TotalsRequest(window, unit=args.unit)).frame
    if args.format == "json":
        print(json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    else:
        print(frame.to_string(index=False))
    return 0


def cmd_serve(args, settings: Settings) -> int:
    from wiring.web import serve

    return serve(args, settings)


def cmd_scheduler(args, settings: Settings) -> int:
    from wiring.jobs import run_scheduler

    return run_scheduler(args, settings)


def build_web_app(settings: Settings):
    """The Dash app of one production web worker (wsgi.py)."""
    from wiring.web import build_web_app as build

    return build(settings)


def build_app_scheduler(settings: Settings, engine, scheduler_class=None):
    from wiring.jobs import build_app_scheduler as build

    return build(settings, engine, scheduler_class)


# -- parser ----------------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit code 2, no usage dump
        raise UsageError(f"{self.prog}: {message}")


def build_parser(settings: Settings, argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="imd", description="Interagency Metrics Dashboard")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    serve = sub.add_parser("serve", help="serve the dashboard (default)")
    serve.add_argument("--host", default=settings.web.host)
    serve.add_argument("--port", type=int, default=settings.web.port)
    serve.add_argument("--no-scheduler", action="store_true", help="do not run the scheduler in this process")
    serve.add_argument("--prod", action="store_true",
                       help="gunicorn with IMD_WEB_WORKERS workers (default 2*cores+1), no scheduler")
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="metrics store administration")
    db_sub = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    db_sub.add_parser("upgrade", help="apply migrations and sync reference data").set_defaults(func=cmd_db_upgrade)
    backup = db_sub.add_parser("backup", help="write a consistent backup of the store (SQLite file or pg_dump)")
    backup.add_argument("--out", required=True, metavar="FILE")
    backup.set_defaults(func=_lazy("metrics.cli_backup", "cmd_backup"))
    restore = db_sub.add_parser("restore", help="restore a backup into an empty store, checked by its checksum")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--force", action="store_true", help="replace a store that already holds data")
    restore.set_defaults(func=_lazy("metrics.cli_backup", "cmd_restore"))

    summary = sub.add_parser("summary", help="total of every metric over a window")
    summary.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    summary.add_argument("--to", dest="date_to", required=True, metavar="DATE")
    summary.add_argument("--unit", metavar="CODE", help="reporting unit code (default: the nation)")
    summary.add_argument("--format", choices=("table", "json", "csv"), default="table")
    summary.set_defaults(func=cmd_summary)

    sub.add_parser("scheduler", help="run the scheduler as its own process (production)").set_defaults(
        func=cmd_scheduler)

    import importlib

    # Only the package of the command being run is imported (all of them when argv is not given), so
    # `--help` and the light commands start at once; the others get a placeholder holding their help line.
    loaded = set(COMMAND_MODULES.values()) if argv is None else {COMMAND_MODULES.get(_command_word(argv))} - {None}
    for name, module in COMMAND_MODULES.items():
        if module not in loaded:
            sub.add_parser(name, help=COMMAND_HELP[name])
    for module in dict.fromkeys(m for m in COMMAND_MODULES.values() if m in loaded):
        importlib.import_module(module).add_commands(sub, _Parser)
    return parser


# Subcommands contributed by packages (each module exposes add_commands(subparsers, parser_class)).
COMMAND_MODULES = {"users": "metrics.cli", "reconcile": "metrics.cli_reconcile", "etl": "etl.cli",
                   "demo": "demo.cli", "briefing": "briefing.cli", "units": "metrics.cli_units",
                   "metrics": "metrics.cli_units", "returns": "etl.returns_cli",
                   "targets": "metrics.cli_targets", "scorecard": "metrics.cli_targets", "alerts": "alerts.cli"}
COMMAND_HELP = {  # the same lines as the modules' own (tests/test_cli_lazy.py checks)
    "users": "manage sign-in users and API tokens",
    "reconcile": "the referral funnel and the records matched on one side only",
    "etl": "load the source systems into the metrics store",
    "demo": "demo operational systems",
    "briefing": "quarterly brief: HTML, PDF, Word and PNG charts, zh and en",
    "units": "reporting units: how spellings resolve, store-wide aliases",
    "metrics": "the metric catalog",
    "returns": "bureau returns: list, overdue, signatories",
    "targets": "annual and campaign-phase targets",
    "scorecard": "the composite standing of the 36 bureaus",
    "alerts": "alert rules, subscriptions and the daily digest",
}


def _lazy(module: str, name: str):
    """A command handler imported when it runs."""
    def handler(args, settings: Settings) -> int:
        import importlib

        return getattr(importlib.import_module(module), name)(args, settings)
    return handler


def _command_word(argv: list[str]) -> str | None:
    return next((word for word in argv if not word.startswith("-")), None)


def _usage_errors() -> tuple[type[Exception], ...]:
    """Errors that are bad input, not bugs; imported only once one was raised (they pull in the store)."""
    from metrics.api import AccessDenied, InvalidWindowError, UnknownMetricError, UnknownUnitError
    from metrics.backup import BackupError
    from metrics.db import StoreUnavailableError
    from metrics.users import UserError

    return (InvalidWindowError, UnknownMetricError, UnknownUnitError, StoreUnavailableError, AccessDenied, UserError,
            BackupError)


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    argv = list(sys.argv[1:] if argv is None else argv) or ["serve"]
    try:
        parser = build_parser(settings, argv)
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return args.func(args, settings) or 0
    except Exception as exc:
        if not isinstance(exc, (UsageError, *_usage_errors())):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


def run() -> None:
    """`python app.py` and the `imd` script: main, then exit without the interpreter's final garbage collections.
    Objects alive at the end are frozen (gc.freeze), not walked again: that walk took ~0.25 s after `summary`
    (0.8 -> 0.55 s). Finalizers and atexit handlers still run."""
    try:
        code = main()
        sys.stdout.flush()  # here, not at exit, where a closed pipe could only be reported as "Exception ignored"
    except BrokenPipeError:  # `imd etl status | head`: the reader left; as the Python docs advise, no traceback
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    import gc

    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
