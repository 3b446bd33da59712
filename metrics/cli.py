"""`users` subcommands: add, list, disable, token."""
from __future__ import annotations

import secrets
import sys

from metrics.access import ROLES
from metrics.db import store_engine
from metrics.users import add_user, has_users, issue_token, list_users, set_active


def _engine(settings):
    return store_engine(settings, check=True)


def cmd_add(args, settings) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else secrets.token_urlsafe(12)
    add_user(_engine(settings), args.name, args.role, password, unit_code=args.unit)
    if not args.password_stdin:
        print(f"created {args.role} user '{args.name}'; password (shown once): {password}")
    else:
        print(f"created {args.role} user '{args.name}'")
    return 0


def cmd_list(args, settings) -> int:
    for u in list_users(_engine(settings)):
        print(f"{u.name:<20} {u.role:<11} {u.unit_code or '-':<7} {'active' if u.active else 'disabled'}")
    return 0


def cmd_disable(args, settings) -> int:
    set_active(_engine(settings), args.name, False)
    print(f"disabled '{args.name}'")
    return 0


def cmd_token(args, settings) -> int:
    token = issue_token(_engine(settings), args.name, args.client)
    print(f"API token for {args.client} acting as '{args.name}' (shown once): {token}")
    return 0


def ensure_first_admin(engine, password: str | None) -> str | None:
    """On a store with no users, create 'admin'. Returns the generated password to print once, if any."""
    if has_users(engine):
        return None
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    add_user(engine, "admin", "admin", password)
    return password if generated else None


def add_commands(subparsers, parser_class) -> None:
    users = subparsers.add_parser("users", help="manage sign-in users and API tokens")
    sub = users.add_subparsers(dest="users_command", required=True, parser_class=parser_class)
    add = sub.add_parser("add", help="add a user (a random password is printed once)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--unit", metavar="CODE", help="the bureau a bureau user is bound to")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=cmd_add)
    sub.add_parser("list", help="list users").set_defaults(func=cmd_list)
    disable = sub.add_parser("disable", help="disable a user")
    disable.add_argument("name")
    disable.set_defaults(func=cmd_disable)
    token = sub.add_parser("token", help="issue an API token for a machine client")
    token.add_argument("name", help="the user whose role and scope the client gets")
    token.add_argument("--client", required=True)
    token.set_defaults(func=cmd_token)
