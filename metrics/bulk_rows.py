"""Rows appended to a table in bulk inside the caller's transaction, per driver: binary COPY on PostgreSQL,
executemany into an index-less temporary table moved by one INSERT .. SELECT on SQLite."""
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
from sqlalchemy import BigInteger, Date, DateTime, Integer, String, TypeDecorator


def write_rows(conn, table, batches: Iterator[list[tuple]], meanwhile=None):
    """Rows in storage form appended to the table, then `meanwhile()`, run while the database is still
    inserting them; its result is returned."""
    names = [c.name for c in table.columns]
    if conn.dialect.name == "postgresql":
        return _copy_rows(conn, table, batches, meanwhile)
    # The driver directly, with values already in storage form: the ORM's per-row bookkeeping cost ~5x this.
    # Rows are bound into an index-less temporary table, then moved by one INSERT .. SELECT: the same index
    # inserts made by one statement instead of one per row (~20 % less for facts and rollups alike). sqlite3
    # releases the GIL for that one statement, so `meanwhile()` runs on the other core meanwhile.
    target = conn.dialect.identifier_preparer.format_table(table)
    stage = f"temp.imd_stage_{table.name}"
    columns = ", ".join(names)
    cursor = conn.connection.cursor()
    try:
        cursor.execute(f"CREATE TEMP TABLE {stage} AS SELECT {columns} FROM {target} WHERE 0")
        for batch in batches:
            cursor.executemany(f"INSERT INTO {stage} VALUES ({', '.join('?' * len(names))})", batch)
        move = f"INSERT INTO {target} ({columns}) SELECT {columns} FROM {stage}"
        if meanwhile is None:
            cursor.execute(move)
            return None
        with ThreadPoolExecutor(max_workers=1) as pool:
            summed = pool.submit(meanwhile)
            cursor.execute(move)
        return summed.result()
    finally:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cursor.close()


def frame_rows(conn, table, frame: pd.DataFrame, rows: int = 50_000) -> Iterator[list[tuple]]:
    """A frame holding the table's columns as row tuples in storage form, `rows` at a time."""
    for start in range(0, len(frame), rows):
        part = frame.iloc[start:start + rows]
        yield list(zip(*(bound_values(part[c.name].tolist(), c.type, conn.dialect) for c in table.columns)))


def bound_values(values: list, type_, dialect) -> list:
    """Values as the driver takes them: the column type's bind processing, run once per distinct value."""
    process = type_._cached_bind_processor(dialect)  # noqa: SLF001 - SQLAlchemy's own per-type converter
    if process is None:
        return values
    distinct = {v: process(v) for v in set(values)}
    return [distinct[v] for v in values]


def _copy_type(column) -> str:
    """The PostgreSQL type a binary COPY sends for a column (text and varchar share their binary form)."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, BigInteger):
        return "int8"
    if isinstance(kind, Integer):
        return "int4"
    if isinstance(kind, DateTime):
        return "timestamptz" if kind.timezone else "timestamp"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, String):
        return "text"
    raise TypeError(f"no COPY type for column {column.name} ({kind})")


def _copy_rows(conn, table, batches: Iterator[list[tuple]], meanwhile=None):
    """Binary COPY straight into the table: psycopg encodes each row in C and the server parses no text
    (a quarter of the client CPU of CSV, and less server CPU); a COPY batches its heap inserts.

    With `meanwhile`, rows are queued for psycopg's writer thread, so `meanwhile()` runs while they are sent
    and inserted; the COPY ends (the server has every row) after it returns."""
    from psycopg.copy import QueuedLibpqWriter  # PostgreSQL stores only

    raw = conn.connection.driver_connection
    cols = ", ".join(c.name for c in table.columns)
    with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({cols}) FROM STDIN WITH (FORMAT binary)",
                                       writer=None if meanwhile is None else QueuedLibpqWriter(cur)) as copy:
        copy.set_types([_copy_type(c) for c in table.columns])
        for batch in batches:
            for row in batch:
                copy.write_row(row)
        return meanwhile() if meanwhile is not None else None
