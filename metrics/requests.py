"""Frozen requests and results of the query API (metrics/query.py answers them)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics.catalog import CATALOG, get_metric
from metrics.windows import Window

ALL_METRICS: tuple[str, ...] = tuple(m.id for m in CATALOG)


def check_metrics(metrics: tuple[str, ...]) -> None:
    for m in metrics:
        get_metric(m)


@dataclass(frozen=True, slots=True)
class TotalsRequest:
    window: Window
    metrics: tuple[str, ...] = ALL_METRICS
    unit: str | None = None  # None = the nation (HQ + 36 bureaus)
    category: str | None = None


@dataclass(frozen=True, slots=True)
class SeriesRequest:
    window: Window
    metrics: tuple[str, ...] = ALL_METRICS
    grain: str = "month"
    cumulative: bool = False
    unit: str | None = None
    category: str | None = None
    split_by: str = "metric"  # metric | category | direction


@dataclass(frozen=True, slots=True)
class BreakdownRequest:
    window: Window
    metrics: tuple[str, ...] = ALL_METRICS
    level: str = "bureau"  # bureau | sub_bureau
    parent: str | None = None  # required for sub_bureau
    category: str | None = None


@dataclass(frozen=True, slots=True)
class UnitsSeriesRequest:
    window: Window
    metric: str
    grain: str = "month"
    units: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QueryResult:
    request: object
    frame: pd.DataFrame = field(compare=False)
