"""Query results as DataFrames."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd


def result_frame(rows: Iterable, columns: Sequence[str], dtype=None) -> pd.DataFrame:
    """A frame of SQLAlchemy result rows, as plain tuples: pandas probes each Row for attributes it lacks, and a
    failed lookup on a Row raises inside SQLAlchemy, which made a 12k-row frame take 57 ms instead of 5 ms."""
    return pd.DataFrame([tuple(row) for row in rows], columns=list(columns), dtype=dtype)
