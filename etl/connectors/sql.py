"""Any SQLAlchemy URL: a table or a query, streamed in chunks, narrowed by event day in SQL where possible."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd
from sqlalchemy import String, and_, cast, column, create_engine, literal_column, or_, select, table, text, tuple_
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from etl.config import SourceSpec
from etl.connectors.base import (Connector, MissingColumnError, Scope, SourceUnavailableError, table_frame,
                                 with_row_ref)

# Date formats whose text sorts in date order, so a day range becomes a string range in SQL.
_SORTABLE = {"iso": "%Y-%m-%d", "%Y-%m-%d": "%Y-%m-%d", "%Y%m%d": "%Y%m%d", "%Y/%m/%d": "%Y/%m/%d"}
_KEYS_PER_QUERY = 500


def _timeout_args(dialect: str, seconds: float) -> dict:
    if dialect == "sqlite":
        return {"timeout": seconds}
    if dialect == "postgresql":
        return {"connect_timeout": max(1, int(seconds))}
    if dialect in ("mysql", "mariadb"):
        return {"connect_timeout": max(1, int(seconds)), "read_timeout": max(1, int(seconds))}
    return {}


class SqlConnector(Connector):
    def __init__(self, spec: SourceSpec):
        super().__init__(spec)
        try:
            url = make_url(spec.connection)
        except ArgumentError:
            raise SourceUnavailableError(f"source '{spec.name}': '{spec.connection}' is not a database URL") from None
        self.url_text = url.render_as_string(hide_password=True)
        if url.get_backend_name() == "sqlite":
            # sqlite would silently create an empty database for a missing file; a missing file is a down source
            db = url.database or ""
            if db and db != ":memory:" and not db.startswith("file:") and not Path(db).is_file():
                raise SourceUnavailableError(f"source '{spec.name}': database file {db} does not exist")
        try:
            self.engine = create_engine(url, poolclass=NullPool,
                                        connect_args=_timeout_args(url.get_backend_name(), spec.timeout_seconds))
        except (NoSuchModuleError, ImportError) as exc:
            raise SourceUnavailableError(f"source '{spec.name}': no driver for {self.url_text}: {exc}") from None
        self.pushdown = all(len(f.formats) == 1 and f.formats[0] in _SORTABLE
                            for name, f in spec.fields.items() if name in spec.date_fields)

    # -- statements --------------------------------------------------------------------------------------
    def _base(self, columns: Sequence[str] | None = None):
        spec = self.spec
        source = (table(spec.table, schema=spec.db_schema) if spec.table is not None
                  else text(f"({spec.query}) AS imd_source"))
        picked = [column(c) for c in columns] if columns else [literal_column("*")]
        stmt = select(*picked).select_from(source)
        if spec.filter:
            stmt = stmt.where(text(f"({spec.filter})"))
        return stmt

    def _day_predicate(self, ranges: tuple[tuple[dt.date, dt.date], ...]):
        parts = []
        for name in self.spec.date_fields:
            fmt = _SORTABLE[self.spec.fields[name].formats[0]]
            col = self._text(name)
            for lo, hi in ranges:
                parts.append(and_(col >= lo.strftime(fmt), col < (hi + dt.timedelta(days=1)).strftime(fmt)))
        return or_(*parts)

    def _text(self, name: str):
        """A column as text compared byte-wise, as Python compares the same values."""
        text_col = cast(column(name), String)
        return text_col.collate("C") if self.engine.dialect.name == "postgresql" else text_col

    def _ordered(self, stmt):
        return stmt.order_by(column(self.spec.row_ref)) if self.spec.row_ref else stmt

    def check_columns(self) -> None:
        """Fail at once, as a configuration error, when the block names a column the table does not have."""
        try:
            with self.engine.connect() as conn:
                have = set(conn.execute(self._base().limit(0)).keys())
        except DBAPIError as exc:
            reason = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
            raise SourceUnavailableError(f"source '{self.spec.name}' at {self.url_text}: {reason}") from None
        missing = [c for c in self.spec.source_columns if c not in have]
        if missing:
            raise MissingColumnError(f"source '{self.spec.name}': configuration error: column(s) {missing} named "
                                     f"in the block are missing from the source (columns: {sorted(have)[:40]})")

    # -- reading ------------------------------------------------------------------------------------------
    def _stream(self, stmt) -> Iterator[pd.DataFrame]:
        offset = 0
        try:
            with self.engine.connect() as conn:
                for rows, keys in self._batches(conn, stmt):
                    refs = None if self.spec.row_ref else [f"row {offset + i + 1}" for i in range(len(rows))]
                    offset += len(rows)
                    yield with_row_ref(table_frame(rows, keys), self.spec, refs)
        except DBAPIError as exc:
            reason = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
            raise SourceUnavailableError(f"source '{self.spec.name}' at {self.url_text}: {reason}") from None

    def _batches(self, conn, stmt) -> Iterator[tuple[list[tuple], list[str]]]:
        if conn.dialect.name == "sqlite":
            # sqlite3 steps lazily anyway; its own cursor hands over plain tuples, no Row objects to unpack
            # (stream_results would buffer a first row inside SQLAlchemy, out of reach of the raw cursor).
            result = conn.execute(stmt)
            keys = list(result.keys())
            while rows := result.cursor.fetchmany(self.spec.chunk_rows):
                yield rows, keys
            result.close()
            return
        result = conn.execution_options(stream_results=True, yield_per=self.spec.chunk_rows).execute(stmt)
        keys = list(result.keys())
        for part in result.partitions():
            yield [tuple(r) for r in part], keys

    def changed(self, since: str) -> Iterator[pd.DataFrame]:
        wm = self.spec.watermark.column
        wanted = list(dict.fromkeys([*self.spec.date_fields, wm] + ([self.spec.row_ref] if self.spec.row_ref else [])))
        yield from self._stream(self._base(wanted).where(self._text(wm) >= since))

    def extract(self, scope: Scope) -> Iterator[pd.DataFrame]:
        stmt = self._base()
        if not scope.full and self.pushdown:
            parts = []
            if scope.ranges:
                parts.append(self._day_predicate(scope.ranges))
            if scope.since is not None:
                parts.append(self._text(self.spec.watermark.column) >= scope.since)
            stmt = stmt.where(or_(*parts))
        yield from self._stream(self._ordered(stmt))

    def rows_with_keys(self, columns: Sequence[str], keys: list[tuple]) -> Iterator[pd.DataFrame]:
        if not self.pushdown:
            return
        # Keys are compared as text, as the pipeline compares them; blank parts never match in SQL, but
        # copies with blank parts share their days and were read with the window anyway.
        as_text = [cast(column(c), String) for c in columns]
        target = as_text[0] if len(columns) == 1 else tuple_(*as_text)
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            batch = keys[start:start + _KEYS_PER_QUERY]
            values = [k[0] for k in batch] if len(columns) == 1 else batch
            yield from self._stream(self._ordered(self._base().where(target.in_(values))))

    def close(self) -> None:
        self.engine.dispose()
