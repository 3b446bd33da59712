"""The same views without the rollups: pandas reading the whole fact table per call, and DuckDB scanning it.

Both answer the same `Call`s as the query API (bench.views), so the ratios compare like with like.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from bench.views import Call
from metrics.api import similar_size_peers

FACT_SQL = "SELECT metric_id, unit_code, bureau_code, day, category, value FROM daily_fact"


# -- pandas: read_sql of the fact table on every call ------------------------------------------------------
def pandas_call(engine: Engine, call: Call):
    with engine.connect() as conn:
        facts = pd.read_sql_query(FACT_SQL, conn)
    facts["day"] = pd.to_datetime(facts["day"])
    return _pandas_view(facts, call)


def _in_window(facts: pd.DataFrame, window) -> pd.DataFrame:
    return facts[(facts["day"] >= pd.Timestamp(window.start)) & (facts["day"] <= pd.Timestamp(window.end))]


def _for_unit(facts: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    if unit is None:
        return facts
    by_bureau = facts["bureau_code"] == unit
    return facts[by_bureau] if by_bureau.any() else facts[facts["unit_code"] == unit]


def _pandas_view(facts: pd.DataFrame, call: Call):
    facts = facts[facts["metric_id"].isin(call.metrics)]
    w = call.window
    if call.view == "overview":
        return [_for_unit(_in_window(facts, x), call.unit).groupby("metric_id")["value"].sum()
                for x in (w, w.previous(), w.year_ago())]
    if call.view in ("trends_month", "trends_week"):
        rows = _for_unit(_in_window(facts, w), call.unit)
        freq = "M" if call.grain == "month" else "W-SUN"
        return rows.groupby(["metric_id", rows["day"].dt.to_period(freq)])["value"].sum()
    if call.view in ("regions_bureau", "compare"):
        windows = (w,) if call.view == "regions_bureau" else (w, w.previous(), w.year_ago())
        return [_in_window(facts, x).groupby(["bureau_code", "metric_id"])["value"].sum() for x in windows]
    if call.view == "regions_sub_bureau":
        rows = _in_window(facts, w)
        rows = rows[(rows["bureau_code"] == call.unit) & (rows["unit_code"] != call.unit)]
        return rows.groupby(["unit_code", "metric_id"])["value"].sum()
    if call.view == "peer_band":
        rows = _in_window(facts, w)
        rows = rows[rows["bureau_code"].isin(similar_size_peers(call.unit))]
        return rows.groupby(["bureau_code", rows["day"].dt.to_period("M")])["value"].sum()
    raise ValueError(f"unknown view '{call.view}'")


# -- DuckDB: a columnar engine scanning the same rows from Parquet ------------------------------------------
def duckdb_connection(parquet_path: str):
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.execute(f"CREATE VIEW facts AS SELECT * FROM read_parquet('{parquet_path}')")
    return con


def _unit_filter(unit: str | None) -> str:
    if unit is None:
        return "TRUE"
    return f"(bureau_code = '{unit}' OR unit_code = '{unit}')"


def _metric_list(call: Call) -> str:
    return ", ".join(f"'{m}'" for m in call.metrics)


def _between(window) -> str:
    return f"day BETWEEN DATE '{window.start}' AND DATE '{window.end}'"


def duckdb_call(con, call: Call):
    w = call.window
    base = f"FROM facts WHERE metric_id IN ({_metric_list(call)})"
    if call.view == "overview":
        return [con.execute(f"SELECT metric_id, sum(value) {base} AND {_between(x)} AND {_unit_filter(call.unit)}"
                            " GROUP BY metric_id").fetchall() for x in (w, w.previous(), w.year_ago())]
    if call.view in ("trends_month", "trends_week"):
        part = "month" if call.grain == "month" else "week"
        return con.execute(f"SELECT metric_id, date_trunc('{part}', day) AS p, sum(value) {base} AND {_between(w)}"
                           f" AND {_unit_filter(call.unit)} GROUP BY ALL").fetchall()
    if call.view in ("regions_bureau", "compare"):
        windows = (w,) if call.view == "regions_bureau" else (w, w.previous(), w.year_ago())
        return [con.execute(f"SELECT bureau_code, metric_id, sum(value) {base} AND {_between(x)} GROUP BY ALL")
                .fetchall() for x in windows]
    if call.view == "regions_sub_bureau":
        return con.execute(f"SELECT unit_code, metric_id, sum(value) {base} AND {_between(w)}"
                           f" AND bureau_code = '{call.unit}' AND unit_code <> '{call.unit}' GROUP BY ALL").fetchall()
    if call.view == "peer_band":
        peers = ", ".join(f"'{p}'" for p in similar_size_peers(call.unit))
        return con.execute(f"SELECT bureau_code, date_trunc('month', day), sum(value) {base} AND {_between(w)}"
                           f" AND bureau_code IN ({peers}) GROUP BY ALL").fetchall()
    raise ValueError(f"unknown view '{call.view}'")
