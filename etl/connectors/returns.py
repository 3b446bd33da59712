"""Approved bureau returns, read from the metrics store (ReturnsDesk.approved_rows) as a source like any other.

Only the newest HQ-approved version of each return is a row source: drafts, returns under review and sent-back
ones never reach a fact. A newly approved version carries a newer `approved_at` (the watermark), so the run
restates its period's days and the old version's figures go.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from etl.config import SourceSpec
from etl.connectors.base import Connector, Scope, SourceDataError, SourceUnavailableError, frame_of, with_row_ref
from etl.validation import parse_decimal
from metrics.api import SYSTEM, ReturnsDesk, ReturnTypeError, load_return_types, make_engine


class ReturnsConnector(Connector):
    pushdown = False

    def __init__(self, spec: SourceSpec):
        super().__init__(spec)
        path = Path(spec.return_types)
        path = path if path.is_absolute() else Path(__file__).resolve().parents[1] / path  # next to the sources
        try:
            types = load_return_types(path)
        except ReturnTypeError as exc:
            raise SourceDataError(f"source '{spec.name}': {exc}") from None
        if spec.return_type not in types:
            raise SourceDataError(f"source '{spec.name}': no return type '{spec.return_type}' in {spec.return_types}")
        self.types = types
        self._engine = None  # own engine when `connection` names another store
        self._store = None
        self._rows: pd.DataFrame | None = None

    def use_store(self, engine) -> None:
        self._store = engine

    def _all_rows(self) -> pd.DataFrame:
        if self._rows is None:  # one read per run: changed() and extract() share it
            if self.spec.connection is None and self._store is None:
                raise SourceUnavailableError(f"source '{self.spec.name}': no metrics store to read returns from")
            try:
                if self.spec.connection is not None:  # another store than the one loaded into
                    self._engine = self._engine or make_engine(self.spec.connection,
                                                               schema=self.spec.db_schema or None)
                desk = ReturnsDesk(self._engine or self._store, self.types, parse_decimal)
                if self._store is not None:  # the store loaded into learns what the types expect (coverage)
                    ReturnsDesk(self._store, self.types, parse_decimal).publish_types()
                self._rows = desk.approved_rows(SYSTEM, self.spec.return_type)
            except SQLAlchemyError as exc:
                reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                raise SourceUnavailableError(f"source '{self.spec.name}': the returns store: {reason}") from None
        return self._rows

    def _frames(self, rows: pd.DataFrame) -> Iterator[pd.DataFrame]:
        for start in range(0, len(rows), self.spec.chunk_rows):
            part = rows.iloc[start:start + self.spec.chunk_rows]
            frame = frame_of(list(part.itertuples(index=False, name=None)), list(rows.columns))
            yield with_row_ref(frame, self.spec, list(part["row_ref"]))

    def changed(self, since: str) -> Iterator[pd.DataFrame]:
        rows = self._all_rows()
        yield from self._frames(rows[rows["approved_at"].astype(str) >= since])

    def extract(self, scope: Scope) -> Iterator[pd.DataFrame]:
        yield from self._frames(self._all_rows())

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
