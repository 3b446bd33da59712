"""`units resolve|alias add|alias list|alias remove` and `metrics list`: onboarding aids on the command line."""
from __future__ import annotations

import sys

from metrics.access import SYSTEM


def _engine(settings):
    from metrics.db import check_reachable, make_engine

    engine = make_engine(settings.store.url, schema=settings.store.schema)
    check_reachable(engine)
    return engine


def _named(code: str) -> str:
    from metrics.units import bureau_of, get_unit

    unit = get_unit(code)
    shown = f"{code} {unit.name_zh} ({unit.name_en})"
    return shown if bureau_of(code) == code else f"{shown}, under bureau {_named(bureau_of(code))}"


def cmd_resolve(args, settings) -> int:
    from metrics.unit_aliases import alias_table
    from metrics.units import AmbiguousUnitError, UnknownUnitError, normalise_spelling, resolve_unit

    stored = alias_table(_engine(settings), SYSTEM).get(normalise_spelling(args.text))
    if stored is not None:
        print(f"'{args.text}' -> {_named(stored)} (store alias)")
        return 0
    try:
        code = resolve_unit(args.text)
    except AmbiguousUnitError as exc:
        print(exc)
        return 1
    except UnknownUnitError:
        print(f"unknown region '{args.text}'; teach it with: units alias add '{args.text}' CODE")
        return 1
    print(f"'{args.text}' -> {_named(code)}")
    return 0


def _actor(args) -> str:
    return args.user or "cli"


def cmd_alias_add(args, settings) -> int:
    from metrics.access import Principal
    from metrics.unit_aliases import add_alias

    alias = add_alias(_engine(settings), Principal(_actor(args), "admin"), args.spelling, args.code)
    print(f"alias '{args.spelling}' -> {_named(alias.unit_code)}; load the rows it fixes with: "
          f"etl reprocess --source NAME --kind 'region'")
    return 0


def cmd_alias_remove(args, settings) -> int:
    from metrics.access import Principal
    from metrics.unit_aliases import remove_alias

    if not remove_alias(_engine(settings), Principal(_actor(args), "admin"), args.spelling):
        print(f"error: no alias '{args.spelling}'", file=sys.stderr)
        return 2
    print(f"removed alias '{args.spelling}'")
    return 0


def cmd_alias_list(args, settings) -> int:
    from metrics.unit_aliases import list_aliases

    aliases = list_aliases(_engine(settings), SYSTEM)
    if not aliases:
        print("no store aliases")
    for a in aliases:
        print(f"{a.spelling}\t{a.unit_code}\t{a.added_by or ''}")
    return 0


def cmd_metrics_list(args, settings) -> int:
    from metrics.catalog import CATALOG

    print("id\tunit\tdirection\tname")
    for m in CATALOG:
        print(f"{m.id}\t{m.unit}\t{int(m.direction)}\t{m.name_en} / {m.name_zh}")
    return 0


def add_commands(subparsers, parser_class) -> None:
    units = subparsers.add_parser("units", help="reporting units: how spellings resolve, store-wide aliases")
    sub = units.add_subparsers(dest="units_command", required=True, parser_class=parser_class)
    resolve = sub.add_parser("resolve", help="what a spelling resolves to, or the candidates")
    resolve.add_argument("text")
    resolve.set_defaults(func=cmd_resolve)
    alias = sub.add_parser("alias", help="store-wide spellings (audited)")
    alias_sub = alias.add_subparsers(dest="alias_command", required=True, parser_class=parser_class)
    add = alias_sub.add_parser("add", help="map a spelling to a unit code for every source")
    add.add_argument("spelling")
    add.add_argument("code")
    add.add_argument("--user", metavar="NAME", help="who is adding it (written to the audit log)")
    add.set_defaults(func=cmd_alias_add)
    remove = alias_sub.add_parser("remove", help="forget a store-wide spelling")
    remove.add_argument("spelling")
    remove.add_argument("--user", metavar="NAME")
    remove.set_defaults(func=cmd_alias_remove)
    alias_sub.add_parser("list", help="the store-wide spellings").set_defaults(func=cmd_alias_list)

    catalog = subparsers.add_parser("metrics", help="the metric catalog")
    catalog_sub = catalog.add_subparsers(dest="metrics_command", required=True, parser_class=parser_class)
    catalog_sub.add_parser("list", help="catalog ids with units and directions").set_defaults(func=cmd_metrics_list)
