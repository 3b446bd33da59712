"""The connector interface: one implementation per source kind, each with the same error types.

A connector turns a source block into chunks of raw rows (pandas DataFrames of object columns) plus two
synthetic columns: ROW_REF (the row's identity in the source, for quarantine and duplicate order) and
nothing else; the pipeline does all typing and validation.
"""
from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl.config import SourceSpec

ROW_REF = "__row_ref__"


class ConnectorError(RuntimeError):
    """A source could not be read; the run fails and is retried with backoff."""


class SourceUnavailableError(ConnectorError):
    """The source is down, missing, refuses the connection or times out."""


class SourceDataError(ConnectorError):
    """The source answered with something that is not the declared shape (garbage, an unreadable file)."""


class MissingColumnError(ValueError):
    """A column named in the block is not in the source: a configuration error, failed at once (never retried
    as an outage: the next attempt would find the same table)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Which rows a run needs: those with any event day in one of `ranges`, plus those changed at or after
    `since`. No ranges and no `since` means every row (a full load).
    """

    ranges: tuple[tuple[dt.date, dt.date], ...] = ()
    since: str | None = None

    @property
    def full(self) -> bool:
        return not self.ranges and self.since is None

    def covers(self, day: dt.date | None) -> bool:
        return day is not None and any(lo <= day <= hi for lo, hi in self.ranges)


def day_ranges(days, *, gap_days: int = 7, most: int = 16) -> tuple[tuple[dt.date, dt.date], ...]:
    """Changed days as a few contiguous ranges: a late correction to an old day restates that day, not
    everything since. Days closer than `gap_days` share a range; at most `most` ranges (closest merge first).
    """
    ordered = sorted(set(days))
    if not ordered:
        return ()
    ranges = [[ordered[0], ordered[0]]]
    for day in ordered[1:]:
        if (day - ranges[-1][1]).days <= gap_days:
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    while len(ranges) > most:
        i = min(range(len(ranges) - 1), key=lambda k: ranges[k + 1][0] - ranges[k][1])
        ranges[i:i + 2] = [[ranges[i][0], ranges[i + 1][1]]]
    return tuple((lo, hi) for lo, hi in ranges)


class Connector(ABC):
    """Reads one source. `pushdown` says whether extract() itself narrows to the scope."""

    pushdown: bool = False

    def __init__(self, spec: SourceSpec):
        self.spec = spec

    @abstractmethod
    def changed(self, since: str) -> Iterator[pd.DataFrame]:
        """Rows whose watermark column is at or after `since` (at least the date and watermark columns)."""

    @abstractmethod
    def extract(self, scope: Scope) -> Iterator[pd.DataFrame]:
        """Rows in scope, in chunks of at most spec.chunk_rows, ordered by the row reference when known.

        A connector without pushdown may return more rows than the scope; the pipeline narrows them.
        """

    def rows_with_keys(self, columns: Sequence[str], keys: list[tuple]) -> Iterator[pd.DataFrame]:
        """Every row sharing one of these natural keys, so duplicates are judged against the whole source.

        Connectors without pushdown already returned every row from extract(), so they yield nothing.
        """
        return iter(())

    def use_store(self, engine) -> None:
        """The run's metrics store; only a connector reading the store itself (returns) keeps it."""

    def close(self) -> None:
        """Release connections; called once per run."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def frame_of(rows: list, columns: Sequence[str]) -> pd.DataFrame:
    """Object columns keep raw values as read (pandas 3 would otherwise infer string dtype and NaN)."""
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def table_frame(rows: list[tuple], columns: Sequence[str]) -> pd.DataFrame:
    """frame_of for a database's equal-length row tuples, built column by column (several times faster)."""
    if not rows:
        return frame_of(rows, columns)
    data = {}
    for name, values in zip(columns, zip(*rows, strict=True)):
        array = np.empty(len(values), dtype=object)
        array[:] = values
        data[name] = array
    return pd.DataFrame(data, columns=list(columns), dtype=object, copy=False)


NUL_ESCAPE = "\\x00"
_TEXTLESS = {"integer", "floating", "mixed-integer-float", "decimal", "boolean", "date", "datetime", "empty"}


def escape_nul(frame: pd.DataFrame) -> pd.DataFrame:
    """Text holding a NUL character with it spelled out as \\x00: PostgreSQL refuses NUL in text, so a row
    carrying one would fail the whole run; spelled out, it loads or is quarantined like any other value."""
    hit = []
    for name in frame.columns:
        values = frame[name].to_numpy(dtype=object)
        try:
            joined = "\x01".join(values)  # one C-level scan instead of a test per cell
        except TypeError:
            if pd.api.types.infer_dtype(values, skipna=True) in _TEXTLESS:
                continue
            joined = "\x01".join([v for v in values if type(v) is str])
        if "\x00" in joined:
            hit.append(name)
    if not hit:
        return frame
    # object Series: a plain list would be read as pandas 3's string dtype, turning None into NaN
    return frame.assign(**{name: pd.Series([v.replace("\x00", NUL_ESCAPE) if type(v) is str else v
                                            for v in frame[name]], dtype=object, index=frame.index)
                           for name in hit})


def with_row_ref(frame: pd.DataFrame, spec: SourceSpec, fallback: list[str] | None) -> pd.DataFrame:
    frame = escape_nul(frame)
    if spec.row_ref is not None:
        if spec.row_ref not in frame.columns:
            raise SourceDataError(f"row_ref column '{spec.row_ref}' is missing from source '{spec.name}'")
        refs = list(map(str, frame[spec.row_ref].to_numpy(dtype=object)))
    else:
        refs = fallback
    return frame.assign(**{ROW_REF: refs})
