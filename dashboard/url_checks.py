"""What a URL can hold that the view cannot show as asked: an unknown unit, a date that does not exist, a
period that ends before it starts. Each is resolved to something showable and named, never dropped silently."""
from __future__ import annotations

from metrics.api import CATEGORIES, GRAINS, METRICS, InvalidWindowError, UnknownUnitError, get_unit, parse_date, resolve_unit

NATION = "nation"


def resolve_view_unit(raw: str) -> tuple[str, tuple | None]:
    """A unit code (or "nation") for the URL's spelling: codes, names, short names and aliases all resolve."""
    if raw in ("", NATION):
        return NATION, None
    try:
        return get_unit(raw).code, None
    except (UnknownUnitError, ValueError, TypeError):
        pass
    try:
        return resolve_unit(raw), None
    except (UnknownUnitError, ValueError, TypeError):
        return NATION, ("notice_unknown_unit", {"unit": raw[:40]})


def check_custom_dates(start: str, end: str) -> tuple | None:
    """None when both dates exist and start <= end; else the notice to show."""
    parsed = []
    for value in (start, end):
        try:
            parsed.append(parse_date(value))
        except (InvalidWindowError, ValueError, TypeError):
            return "notice_invalid_date", {"date": (value or "")[:40]}
    if parsed[0] > parsed[1]:
        return "notice_date_order", {"start": start, "end": end}
    return None


# A page key's allowed values; anything else in the URL falls back to the default (never reaches a query).
CHOICES = {"grain": set(GRAINS), "mode": {"plain", "cumulative"}, "split": {"metric", "category", "direction"},
           "metric": set(METRICS), "measure": {"total", "per_capita", "per_gdp", "growth"},
           "rate": {"total", "per_capita", "per_gdp"}, "cat": set(CATEGORIES) | {"all"}}


def clean_page_keys(state: dict[str, str], defaults: dict[str, str]) -> dict[str, str]:
    out = dict(state)
    for key, allowed in CHOICES.items():
        if out.get(key) not in allowed:
            out[key] = defaults[key]
    known = [m for m in out["metrics"].split(",") if m in METRICS]
    out["metrics"] = ",".join(known) if known else defaults["metrics"]
    peers = [resolve_view_unit(p) for p in out["peers"].split(",") if p]
    out["peers"] = ",".join(code for code, problem in peers if problem is None and code != NATION)
    return out
