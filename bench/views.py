"""The dashboard views as randomised query-API calls: what each page asks the store for.

A `Call` is one view's request with random window, unit and metrics; `run_api` answers it through the query
API, the way the dashboard does. naive.py answers the same calls without the rollups.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from metrics.api import (ALL_METRICS, CATALOG, BreakdownRequest, CompareRequest, MetricsQuery, PeerBandRequest,
                         SeriesRequest, TotalsRequest, Window, bureaus, children)
from metrics.units import all_units

VIEWS = ("overview", "trends_month", "trends_week", "regions_bureau", "regions_sub_bureau", "compare",
         "peer_band")
FIRST_DAY = dt.date(2023, 6, 1)


@dataclass(frozen=True)
class Call:
    view: str
    window: Window
    metrics: tuple[str, ...]
    unit: str | None = None  # None = the nation; a bureau for compare and peer_band; the parent for sub level
    grain: str = "month"


def _window(rng: random.Random, last_day: dt.date, min_days: int) -> Window:
    span = (last_day - FIRST_DAY).days
    kind = rng.random()
    if kind < 0.3:  # campaign to date, as of a random day
        return Window(FIRST_DAY, FIRST_DAY + dt.timedelta(days=rng.randint(min_days, span)))
    if kind < 0.5:  # a calendar quarter
        q = Window.quarter_of(FIRST_DAY + dt.timedelta(days=rng.randint(0, span)))
        return Window(max(q.start, FIRST_DAY), min(q.end, last_day))
    start = FIRST_DAY + dt.timedelta(days=rng.randint(0, span - min_days))
    length = rng.randint(min_days, span - (start - FIRST_DAY).days)
    return Window(start, start + dt.timedelta(days=length))


def _metrics(rng: random.Random) -> tuple[str, ...]:
    kind = rng.random()
    if kind < 0.5:
        return ALL_METRICS
    if kind < 0.8:
        direction = rng.randint(1, 4)
        return tuple(m.id for m in CATALOG if int(m.direction) == direction)
    return (rng.choice(ALL_METRICS),)


def _unit(rng: random.Random) -> str | None:
    kind = rng.random()
    if kind < 0.4:
        return None
    if kind < 0.8:
        return rng.choice(bureaus()).code
    return rng.choice([u.code for u in all_units().values() if u.kind == "sub_bureau"])


def random_calls(view: str, n: int, *, seed: int, last_day: dt.date) -> list[Call]:
    rng = random.Random(f"{view}:{seed}")
    parents = [b.code for b in bureaus() if children(b.code)]
    calls = []
    for _ in range(n):
        if view == "overview":
            calls.append(Call(view, _window(rng, last_day, 0), ALL_METRICS, _unit(rng)))
        elif view in ("trends_month", "trends_week"):
            calls.append(Call(view, _window(rng, last_day, 28), _metrics(rng), _unit(rng),
                              "month" if view == "trends_month" else "week"))
        elif view == "regions_bureau":
            calls.append(Call(view, _window(rng, last_day, 0), _metrics(rng)))
        elif view == "regions_sub_bureau":
            calls.append(Call(view, _window(rng, last_day, 0), _metrics(rng), rng.choice(parents)))
        elif view == "compare":
            calls.append(Call(view, _window(rng, last_day, 0), ALL_METRICS, rng.choice(bureaus()).code))
        elif view == "peer_band":
            calls.append(Call(view, _window(rng, last_day, 90), (rng.choice(ALL_METRICS),),
                              rng.choice(bureaus()).code))
        else:
            raise ValueError(f"unknown view '{view}'; known views: {', '.join(VIEWS)}")
    return calls


def run_api(query: MetricsQuery, call: Call):
    """The query-API work behind one render of the view."""
    w = call.window
    if call.view == "overview":  # headline tiles: to date, against the previous period and a year ago
        return [query.totals(TotalsRequest(x, call.metrics, unit=call.unit)).frame
                for x in (w, w.previous(), w.year_ago())]
    if call.view in ("trends_month", "trends_week"):
        return query.series(SeriesRequest(w, call.metrics, call.grain, unit=call.unit)).frame
    if call.view == "regions_bureau":
        return query.breakdown(BreakdownRequest(w, call.metrics, level="bureau")).frame
    if call.view == "regions_sub_bureau":
        return query.breakdown(BreakdownRequest(w, call.metrics, level="sub_bureau", parent=call.unit)).frame
    if call.view == "compare":
        return query.compare(CompareRequest(call.unit, w, metrics=call.metrics)).frame
    if call.view == "peer_band":
        return query.peer_band(PeerBandRequest(call.unit, call.metrics[0], w)).frame
    raise ValueError(f"unknown view '{call.view}'")
