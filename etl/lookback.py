"""The lookback window of a source, and a compact fingerprint of the rows in it.

Every incremental run probes the rows whose watermark is at or after `watermark - lookback_days`, so rows that
arrive late with an older watermark value are still caught. When that probe returns exactly the rows the last
committed run saw (same count, same hash of row identity, watermark and event dates), nothing can have changed
and the run stops before extracting or restating anything. Any new, updated, deleted or late row changes the
fingerprint and the run restates as before.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from etl.config import SourceSpec

_SEPARATOR = "\x1f"


def since_of(watermark: str, lookback_days: int) -> str:
    """The watermark moved back by the lookback, in the watermark's own text form."""
    if lookback_days == 0:
        # Strictly after the mark: the blank sorts below every character a later timestamp continues with.
        return watermark + " "
    try:
        moment = dt.datetime.fromisoformat(watermark)
    except ValueError:
        moment = dt.datetime.fromisoformat(watermark[:10])
    moved = moment - dt.timedelta(days=lookback_days)
    return moved.isoformat(sep=watermark[10] if len(watermark) > 10 else " ") if len(watermark) > 10 \
        else moved.date().isoformat()


class LookbackPrint:
    """Collects (watermark, row hash) of rows that may fall in a lookback window; digests one window.

    A probe keeps every row the source returned (the source judged the window, Python does not re-judge it);
    an extract keeps only rows at or after the lookback of the highest watermark seen so far, which only rises,
    so memory stays about one window. If the two ever disagree the prints differ and the run simply restates.
    """

    def __init__(self, spec: SourceSpec, *, probe: bool = False):
        self.lookback_days = spec.watermark.lookback_days
        self.mark_column = spec.watermark.column
        # Real source columns only: every connector's probe and extract return them with the same values.
        self.columns = list(dict.fromkeys([spec.watermark.column, *spec.date_fields,
                                           *([spec.row_ref] if spec.row_ref else [])]))
        self.probe = probe
        self.top: str | None = None
        self.marks: list[np.ndarray] = []
        self.hashes: list[np.ndarray] = []

    def add(self, chunk: pd.DataFrame) -> None:
        raw = chunk[self.mark_column].to_numpy(dtype=object)
        present = np.fromiter((v is not None for v in raw), dtype=bool, count=len(raw))
        marks = raw[present]
        if pd.api.types.infer_dtype(marks, skipna=False) != "string":  # text already, as a database gives it
            marks = np.array([str(v) for v in marks], dtype=object)
        if not len(marks):
            return
        self.top = max(self.top or "", max(marks))
        try:
            floor = since_of(self.top, self.lookback_days)
        except ValueError:  # the top so far is not a readable moment (a bad row): keep everything for now
            floor = ""
        keep = np.ones(len(marks), dtype=bool) if self.probe else marks >= floor
        rows = chunk.loc[present].loc[keep, self.columns].to_numpy(dtype=object)
        text = np.array([_SEPARATOR.join(map(str, row)) for row in rows], dtype=object)
        self.marks.append(marks[keep])
        self.hashes.append(pd.util.hash_array(text) if len(text) else np.zeros(0, dtype=np.uint64))
        if not self.probe and len(self.marks) > 1:
            self._prune(floor)

    def _prune(self, floor: str) -> None:
        marks, hashes = np.concatenate(self.marks), np.concatenate(self.hashes)
        keep = marks >= floor
        self.marks, self.hashes = [marks[keep]], [hashes[keep]]

    def digest(self, watermark: str) -> str | None:
        """`since|count|hash` of the rows in the lookback window of `watermark`, order-independent; None when
        the watermark is not a readable moment (then no run can be skipped)."""
        try:
            since = since_of(watermark, self.lookback_days)
        except ValueError:
            return None
        if self.marks:
            marks, hashes = np.concatenate(self.marks), np.concatenate(self.hashes)
            picked = hashes if self.probe else hashes[marks >= since]
        else:
            picked = np.zeros(0, dtype=np.uint64)
        total = int(picked.sum(dtype=np.uint64))  # wraps modulo 2**64, so the sum ignores row order
        return f"{since}|{len(picked)}|{total:016x}"
