"""The quarantine grouped so a person can work through it: one line per source and reason (value included),
most frequent first, with a suggested unit for an unknown region:
"unknown region '青岛市局' x136 → did you mean 370200 青岛?".
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache

import pandas as pd
from sqlalchemy import Engine, func, select

from metrics.access import Principal
from metrics.models import QuarantinedRow
from metrics.quarantine import _scoped
from metrics.units import aliases, all_units, unit_of_admin_code

GROUP_COLUMNS = ["source", "reason", "rows", "suggestion"]
_UNKNOWN_REGION = re.compile(r"^unknown region '(.*)'$")


def _named(code: str) -> str:
    return f"{code} {all_units()[code].name_zh}"


@lru_cache(maxsize=4096)
def suggest_unit(text: str) -> str | None:
    """A likely unit for a spelling that resolves to none: a place named inside it, else the closest alias."""
    from metrics.address import AmbiguousPlace, locate

    for start in range(1, len(text)):
        try:
            code = locate(text[start:])
        except AmbiguousPlace:
            continue
        unit = unit_of_admin_code(code) if code else None
        if unit is not None:
            return _named(unit)
    close = difflib.get_close_matches(text.casefold(), list(aliases()), n=1, cutoff=0.6)
    return _named(aliases()[close[0]]) if close else None


def quarantine_groups(engine: Engine, principal: Principal, *, source: str | None = None,
                      unit: str | None = None) -> pd.DataFrame:
    """(source, reason, rows, suggestion), most rows first; a row with several reasons counts under each."""
    query = _scoped(select(QuarantinedRow.source, QuarantinedRow.reason, func.count()), principal, source, unit)
    counts: Counter = Counter()
    with engine.connect() as conn:
        for src, reason, n in conn.execute(query.group_by(QuarantinedRow.source, QuarantinedRow.reason)):
            for part in dict.fromkeys((reason or "").split("; ")):
                counts[(src, part)] += n
    rows = []
    for (src, reason), n in counts.items():
        unknown = _UNKNOWN_REGION.match(reason)
        rows.append((src, reason, n, suggest_unit(unknown.group(1)) if unknown else None))
    frame = pd.DataFrame({c: pd.Series([r[i] for r in rows], dtype="int64" if c == "rows" else object)
                          for i, c in enumerate(GROUP_COLUMNS)})  # object: None stays None, not NaN
    return frame.sort_values(["rows", "source", "reason"], ascending=[False, True, True]).reset_index(drop=True)
