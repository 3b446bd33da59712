"""Query-string parsing for the data API: every bad value becomes BadParam (HTTP 400) with a plain message."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from metrics.api import (ALL_METRICS, CAMPAIGN_START, CATEGORIES, GRAINS, NATION_CODE, InvalidWindowError, Window,
                         get_metric, get_unit, parse_date)

# Dates outside these years are typos, and would make grain=day series absurdly long.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
MAX_POINTS = 100_000  # rows one series answer may hold
MAX_LIST = 64  # items in one comma-separated parameter


class BadParam(ValueError):
    pass


def text(args: Mapping[str, str], key: str) -> str | None:
    value = args.get(key)
    if value is None or not value.strip():
        return None
    if len(value) > 2000:
        raise BadParam(f"'{key}' is too long")
    return value.strip()


def window(args: Mapping[str, str], today: dt.date) -> Window:
    """`from` defaults to the campaign start, `to` to today (Asia/Shanghai)."""
    days = []
    for key, default in (("from", CAMPAIGN_START), ("to", today)):
        raw = text(args, key)
        try:
            day = parse_date(raw) if raw else default
        except InvalidWindowError as exc:
            raise BadParam(f"'{key}': {exc}") from None
        if not EARLIEST <= day <= LATEST:
            raise BadParam(f"'{key}' must lie between {EARLIEST} and {LATEST}")
        days.append(day)
    if days[0] > days[1]:
        raise BadParam(f"'from' {days[0]} is later than 'to' {days[1]}")
    return Window(*days)


def unit(args: Mapping[str, str], key: str = "unit") -> str | None:
    """A reporting unit code; absent, 'CN' or 'nation' mean the nation (None)."""
    code = text(args, key)
    if code is None or code.upper() == NATION_CODE or code.lower() == "nation":
        return None
    try:
        get_unit(code)
    except KeyError:
        raise BadParam(f"'{key}': unknown reporting unit '{code}'") from None
    return code


def items(args: Mapping[str, str], key: str) -> list[str]:
    raw = text(args, key)
    parts = list(dict.fromkeys(p.strip() for p in (raw or "").split(",") if p.strip()))
    if len(parts) > MAX_LIST:
        raise BadParam(f"'{key}' lists more than {MAX_LIST} items")
    return parts


def metrics(args: Mapping[str, str], key: str = "metrics") -> tuple[str, ...]:
    chosen = items(args, key) or list(ALL_METRICS)
    for m in chosen:
        try:
            get_metric(m)
        except KeyError:
            raise BadParam(f"'{key}': unknown metric '{m}'") from None
    return tuple(chosen)


def units(args: Mapping[str, str], key: str) -> tuple[str, ...]:
    codes = items(args, key)
    for code in codes:
        unit({key: code}, key)
    return tuple(codes)


def choice(args: Mapping[str, str], key: str, options: tuple[str, ...], default: str) -> str:
    value = text(args, key) or default
    if value not in options:
        raise BadParam(f"'{key}' must be one of {', '.join(options)}, not '{value[:40]}'")
    return value


def flag(args: Mapping[str, str], key: str, default: bool = False) -> bool:
    value = (text(args, key) or "").lower()
    if not value:
        return default
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    raise BadParam(f"'{key}' must be true or false")


def category(args: Mapping[str, str]) -> str | None:
    value = text(args, "category")
    if value is None or value == "all":
        return None
    if value not in CATEGORIES:
        raise BadParam(f"'category' must be one of all, {', '.join(CATEGORIES)}")
    return value


def integer(args: Mapping[str, str], key: str, default: int, lo: int, hi: int) -> int:
    raw = text(args, key)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not lo <= int(raw) <= hi:
        raise BadParam(f"'{key}' must be a whole number from {lo} to {hi}")
    return int(raw)


def periods(win: Window, grain: str) -> int:
    """How many periods of `grain` the window spans (an upper bound is enough for the budget)."""
    per = {"day": 1, "week": 7, "month": 28, "quarter": 89, "year": 365}[grain]
    return win.days // per + 2


GRAIN_CHOICES = tuple(GRAINS)
