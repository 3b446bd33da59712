"""Sums over the rollups as one SQL statement per read, written out per dialect and run through the driver.

One statement reads every part of a window (metrics.window_parts) and adds them up, so the parts come from
one snapshot and one round trip. Dates leave the database as whole days since 1970-01-01 (the first day of
the period when a series asks for one): plain integers, cheap to bucket in numpy on either backend.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Connection

from metrics.window_parts import Part


@dataclass(frozen=True, slots=True)
class Shape:
    """What a read sums and by what: the SQL text depends on this and on the parts' tables and signs."""

    sub_level: bool  # sub-bureaus: edge days come from the fact table
    totals_only: bool  # no category filter or split: the rollups already summed over categories
    by_category: bool
    period: str | None  # None (no date), day, week or month: rows keyed by the first day of their period


def _tables(shape: Shape) -> dict[str, str]:
    month = "agg_month_total" if shape.totals_only else "agg_month"
    day = "daily_fact" if shape.sub_level else ("agg_day_total" if shape.totals_only else "agg_day")
    return {"month": month, "day": day}


def _epoch_days(column: str, dialect: str) -> str:
    if dialect == "sqlite":  # julianday('1970-01-01') is 2440587.5
        return f"(CAST(julianday({column}) AS INTEGER) - 2440587)"
    return f"({column} - DATE '1970-01-01')"


def _period_key(table: str, period: str, dialect: str) -> str:
    """The first day of the row's period, in days since 1970-01-01 (a Thursday; weeks start on Monday)."""
    if table == "month":
        return _epoch_days("month", dialect)  # quarters and years are finished in Python from months
    days = _epoch_days("day", dialect)
    if period == "day":
        return days
    mod = "%" if dialect == "sqlite" else "%%"  # psycopg reads a lone % as a placeholder
    if period == "week":  # the modulo is written to stay right for negative days too
        return f"({days} - (({days} {mod} 7) + 10) {mod} 7)"
    if dialect == "sqlite":
        return "(CAST(julianday(day, 'start of month') AS INTEGER) - 2440587)"
    return "(day - (EXTRACT(DAY FROM day)::int - 1) - DATE '1970-01-01')"


def _in(column: str, n: int, dialect: str) -> str:
    """A list condition. PostgreSQL takes the list as one array parameter: the statement stays short enough
    for psycopg to cache its parsing, and is the same text whatever the list's length."""
    if dialect == "sqlite":
        return f"{column} IN ({', '.join(['?'] * n)})"
    return f"{column} = ANY(%s)"


@lru_cache(maxsize=512)
def sum_sql(dialect: str, shape: Shape, parts: tuple[tuple[str, int, int | None], ...], n_metrics: int,
            n_units: int, category_filter: bool) -> str:
    """SELECT [win, ]metric_id, unit_code[, category][, period], value summed over the parts.

    Each part is (table, sign, window label or None). With several parts, each is grouped by itself first (on
    SQLite that follows the primary key), so only the few grouped rows meet in the outer GROUP BY.
    """
    mark = "?" if dialect == "sqlite" else "%s"
    tables = _tables(shape)
    labelled = parts[0][2] is not None
    keys = ["metric_id", "unit_code"] + (["category"] if shape.by_category else [])
    out = (["win"] if labelled else []) + keys + (["period"] if shape.period is not None else [])
    single = len(parts) == 1

    def select(table: str, sign: int, label: int | None) -> str:
        date_col = "month" if table == "month" else "day"
        cols, group = ([f"{label} AS win"] if labelled else []) + keys, list(keys)
        if shape.period is not None:
            cols.append(f"{_period_key(table, shape.period, dialect)} AS period")
            # month rows and single days group by the column itself (the key's order on SQLite)
            group.append(date_col if table == "month" or shape.period == "day" else "period")
        total = ("-" if sign < 0 else "") + ("CAST(SUM(value) AS BIGINT)" if single else "SUM(value)")
        where = (f"{_in('metric_id', n_metrics, dialect)} AND {_in('unit_code', n_units, dialect)}"
                 f" AND {date_col} BETWEEN {mark} AND {mark}" + (f" AND category = {mark}" if category_filter else ""))
        return (f"SELECT {', '.join(cols)}, {total} AS value FROM {tables[table]} WHERE {where}"
                f" GROUP BY {', '.join(group)}")

    if single:
        return select(*parts[0])
    union = " UNION ALL ".join(select(*part) for part in parts)
    return (f"SELECT {', '.join(out)}, CAST(SUM(value) AS BIGINT) AS value FROM ({union}) AS parts"
            f" GROUP BY {', '.join(out)}")


def sum_rows(conn: Connection, shape: Shape, parts: list[Part], metrics: tuple[str, ...] | list[str],
             units: list[str], category: str | None) -> list[tuple]:
    """Rows (metric_id, unit_code[, category][, period], value): one per key with any row in the parts."""
    return _run(conn, shape, [(p, None) for p in parts], metrics, units, category)


def sum_rows_by_window(conn: Connection, shape: Shape, windows: list[list[Part]],
                       metrics: tuple[str, ...] | list[str], units: list[str], category: str | None) -> list[tuple]:
    """Rows (win, metric_id, unit_code[, ...], value) for several windows' parts in one statement; win is the
    window's position in `windows`."""
    return _run(conn, shape, [(p, i) for i, parts in enumerate(windows) for p in parts], metrics, units, category)


def _run(conn: Connection, shape: Shape, parts: list[tuple[Part, int | None]], metrics, units, category) -> list:
    metrics = list(dict.fromkeys(metrics))
    if not metrics or not units or not parts:
        return []
    dialect = conn.dialect.name
    sqlite = dialect == "sqlite"
    sql = sum_sql(dialect, shape, tuple((p.table, p.sign, label) for p, label in parts),
                  len(metrics) if sqlite else 0, len(units) if sqlite else 0, category is not None)
    lists = [*metrics, *units] if sqlite else [metrics, list(units)]
    params: list = []
    for p, _label in parts:
        params += lists + ([p.start.isoformat(), p.end.isoformat()] if sqlite else [p.start, p.end])
        if category is not None:
            params.append(category)
    return conn.exec_driver_sql(sql, tuple(params)).all()
