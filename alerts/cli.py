"""`alerts run|subscribe|subscriptions|notices`."""
from __future__ import annotations

import datetime as dt
import json

from alerts.mail import SmtpUrlError, parse_smtp_url
from alerts.rules import RULES
from metrics.cli_usage import exit_2_on
from metrics.api import (SYSTEM, AccessDenied, Accounts, AlertError, MetricsQuery, alert_rule_title, alert_text,
                         store_engine)


_usage_errors = exit_2_on(AlertError, SmtpUrlError)  # a bad subscription or IMD_SMTP_URL: one line, exit 2


def _engine(settings):
    return store_engine(settings, check=True)


def cmd_run(args, settings) -> int:
    from alerts.job import run_now

    if settings.smtp_url:
        parse_smtp_url(settings.smtp_url)  # a bad URL stops the run before any rule is evaluated
    report = run_now(settings, _engine(settings), dt.datetime.now(dt.timezone.utc))
    print(report.line())
    return 1 if report.rule_errors else 0


def cmd_subscribe(args, settings) -> int:
    rules = [r.strip() for r in args.rules.split(",") if r.strip()]
    count = MetricsQuery(_engine(settings), SYSTEM).alerts.subscribe(args.name, rules, email=args.email,
                                                                       lang=args.lang, known_rules=tuple(RULES))
    print(f"'{args.name}' subscribed to {count} rule(s)" + (f", digests to {args.email}" if args.email else
                                                            ", in-app notices only"))
    return 0


def cmd_subscriptions(args, settings) -> int:
    frame = MetricsQuery(_engine(settings), SYSTEM).alerts.subscriptions()
    print(frame.to_string(index=False) if len(frame) else "(none)")
    return 0


def cmd_notices(args, settings) -> int:
    engine = _engine(settings)
    principal = Accounts(engine).load_principal(args.user)
    if principal is None:
        raise AccessDenied(f"no active user '{args.user}'")
    frame = MetricsQuery(engine, principal).alerts.notices()
    rows = [{"rule": r.rule, "title": alert_rule_title(r.rule, args.lang), "text": alert_text(r.rule, r.detail, args.lang),
             "created_at": r.created_at.isoformat(), "emailed": r.emailed_at is not None}
            for r in frame.itertuples(index=False)]
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0


def add_commands(subparsers, parser_class) -> None:
    alerts = subparsers.add_parser("alerts", help="alert rules, subscriptions and the daily digest")
    sub = alerts.add_subparsers(dest="alerts_command", required=True, parser_class=parser_class)
    sub.add_parser("run", help="evaluate every rule once and send the digests (IMD_SMTP_URL)").set_defaults(
        func=_usage_errors(cmd_run))
    s = sub.add_parser("subscribe", help="subscribe a user to rules")
    s.add_argument("name")
    s.add_argument("--rules", required=True, help=f"comma-separated: {', '.join(RULES)}")
    s.add_argument("--email", help="where the daily digest goes (without it: in-app notices only)")
    s.add_argument("--lang", choices=("zh", "en"), default="zh")
    s.set_defaults(func=_usage_errors(cmd_subscribe))
    sub.add_parser("subscriptions", help="every subscription").set_defaults(func=cmd_subscriptions)
    n = sub.add_parser("notices", help="a user's notices as JSON")
    n.add_argument("--user", required=True)
    n.add_argument("--lang", choices=("zh", "en"), default="zh")
    n.set_defaults(func=cmd_notices)
