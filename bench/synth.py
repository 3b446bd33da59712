"""A synthetic metrics store of N daily facts, generated with numpy and bulk-loaded.

The facts are drawn once (`generate`) and the same rows go into every backend (`load_sqlite`, `load_postgres`)
and into the Parquet file DuckDB scans (`write_parquet`), so every comparison reads identical data.
Distribution: units weighted by population (sub-bureaus share their bureau's weight), days weighted by a
campaign ramp and a weekday effect, categories only on the metrics of directions 1 and 2.
"""
from __future__ import annotations

import datetime as dt
import io
import sqlite3
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from metrics.catalog import CATALOG, CATEGORIES, UNCATEGORISED
from metrics.store import bump_generation, refresh_rollups
from metrics.units import all_units

FIRST_DAY = dt.date(2023, 6, 1)
LAST_DAY = dt.date(2026, 11, 27)
EPOCH = np.datetime64(FIRST_DAY.isoformat(), "D")
CATEGORY_NAMES = tuple(CATEGORIES)
FACT_COLUMNS = ("metric_id", "unit_code", "day", "category", "source", "bureau_code", "value", "run_id",
                "loaded_at")
SIZES = {"20k": 20_000, "100k": 100_000, "200k": 200_000, "1m": 1_000_000, "10m": 10_000_000}


def parse_size(text_size: str) -> int:
    key = text_size.strip().lower()
    if key in SIZES:
        return SIZES[key]
    if key.isdigit():
        return int(key)
    raise ValueError(f"unknown size '{text_size}'; use one of {', '.join(SIZES)} or a number of facts")


@dataclass
class Facts:
    """Column arrays of the generated facts, sorted by the daily_fact primary key."""

    metric: np.ndarray  # index into METRIC_IDS
    unit: np.ndarray  # index into unit_codes
    day: np.ndarray  # days since FIRST_DAY
    category: np.ndarray  # index into category_names ('' first)
    value: np.ndarray  # int64
    metric_ids: tuple[str, ...]
    sources: tuple[str, ...]
    unit_codes: tuple[str, ...]
    bureau_codes: tuple[str, ...]
    category_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.value)

    def frame(self, lo: int = 0, hi: int | None = None) -> pd.DataFrame:
        """The rows [lo, hi) as a DataFrame of store columns (strings and datetime64 days)."""
        s = slice(lo, hi)
        m, u = self.metric[s], self.unit[s]
        return pd.DataFrame({
            "metric_id": np.asarray(self.metric_ids, dtype=object)[m],
            "unit_code": np.asarray(self.unit_codes, dtype=object)[u],
            "day": (EPOCH + self.day[s].astype("timedelta64[D]")),
            "category": np.asarray(self.category_names, dtype=object)[self.category[s]],
            "source": np.asarray(self.sources, dtype=object)[m],
            "bureau_code": np.asarray(self.bureau_codes, dtype=object)[u],
            "value": self.value[s],
        })


def _unit_weights() -> tuple[list[str], list[str], np.ndarray]:
    units = all_units()
    codes, bureau_codes, weights = [], [], []
    for code, u in units.items():
        if u.kind == "hq":
            w = 800.0
        elif u.kind == "bureau":
            w = float(u.population_10k or 1000.0)
        else:
            parent = units[u.parent_code]
            siblings = sum(1 for c in units.values() if c.parent_code == u.parent_code and c.kind == "sub_bureau")
            w = float(parent.population_10k or 1000.0) / siblings * 0.9
        codes.append(code)
        bureau_codes.append(u.parent_code if u.kind == "sub_bureau" else code)
        weights.append(w)
    w = np.asarray(weights)
    return codes, bureau_codes, w / w.max()


def _day_weights(n_days: int) -> np.ndarray:
    days = np.arange(n_days)
    ramp = 0.35 + 0.65 * np.minimum(1.0, days / 240.0)  # the campaign builds up over its first 8 months
    weekday = (EPOCH + days.astype("timedelta64[D]")).astype("datetime64[D]").view("int64") % 7
    weekend = np.where(np.isin(weekday, (2, 3)), 0.45, 1.0)  # 1970-01-01 was a Thursday: 2,3 = Sat, Sun
    return ramp * weekend


def generate(n_facts: int, *, seed: int = 20230601) -> Facts:
    """Draw exactly `n_facts` distinct (metric, unit, day, category) keys with realistic weights."""
    rng = np.random.default_rng(seed)
    unit_codes, bureau_codes, unit_w = _unit_weights()
    n_days = (LAST_DAY - FIRST_DAY).days + 1
    day_w = _day_weights(n_days)
    cats = (UNCATEGORISED, *CATEGORY_NAMES)
    cat_w = np.array([0.0, 1.0, 0.7, 0.6, 0.5, 0.4, 0.8, 0.3, 0.2])
    metric_w = np.linspace(1.0, 0.5, len(CATALOG))
    categorised = [int(m.direction) in (1, 2) for m in CATALOG]

    def cell_weights(i: int) -> np.ndarray:  # shape (units, days, categories)
        cw = cat_w if categorised[i] else np.eye(len(cats))[0]
        return metric_w[i] * unit_w[:, None, None] * day_w[None, :, None] * cw[None, None, :]

    # Scale so the expected number of kept cells is a little over n_facts (cells saturate at probability 1),
    # then trim to exactly n_facts.
    weights = [cell_weights(i).astype(np.float32) for i in range(len(CATALOG))]
    capacity = sum(int(np.count_nonzero(w)) for w in weights)
    if n_facts > capacity * 0.8:
        raise ValueError(f"{n_facts} facts do not fit the key space of {capacity} cells")
    target = n_facts * 1.01
    def expected(s: float) -> float:
        return sum(float(np.minimum(1.0, w * s).sum(dtype=np.float64)) for w in weights if w is not None)
    lo = target / sum(float(w.sum(dtype=np.float64)) for w in weights)
    hi = lo
    while expected(hi) < target:
        hi *= 2
    for _ in range(40):
        if hi - lo <= hi * 1e-3:
            break
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if expected(mid) < target else (lo, mid)
    parts = {k: [] for k in ("metric", "unit", "day", "category")}
    for i in range(len(weights)):
        w, weights[i] = weights[i], None
        keep = rng.random(w.shape, dtype=np.float32) < np.minimum(1.0, w * hi)
        u, d, c = np.nonzero(keep)
        parts["metric"].append(np.full(len(u), i, dtype=np.int8))
        parts["unit"].append(u.astype(np.int16))
        parts["day"].append(d.astype(np.int16))
        parts["category"].append(c.astype(np.int8))
    cols = {k: np.concatenate(v) for k, v in parts.items()}
    total = len(cols["metric"])
    if total < n_facts:
        raise RuntimeError(f"drew {total} facts, fewer than {n_facts}; raise the over-draw")
    keep_idx = np.sort(rng.choice(total, size=n_facts, replace=False))
    cols = {k: v[keep_idx] for k, v in cols.items()}
    cols = _pk_sorted(cols, [m.id for m in CATALOG], unit_codes, cats)
    return Facts(value=_values(rng, cols["metric"]), metric_ids=tuple(m.id for m in CATALOG),
                 sources=tuple(m.source_system for m in CATALOG), unit_codes=tuple(unit_codes),
                 bureau_codes=tuple(bureau_codes), category_names=cats, **cols)


def _pk_sorted(cols: dict, metric_ids: list[str], unit_codes: list[str], cats: tuple[str, ...]) -> dict:
    """Order rows as the (metric_id, unit_code, day, category) primary key sorts, so inserts append."""
    m_rank = np.argsort(np.argsort(metric_ids))
    u_rank = np.argsort(np.argsort(unit_codes))
    c_rank = np.argsort(np.argsort(cats))
    order = np.lexsort((c_rank[cols["category"]], cols["day"], u_rank[cols["unit"]], m_rank[cols["metric"]]))
    return {k: v[order] for k, v in cols.items()}


def _values(rng: np.random.Generator, metric: np.ndarray) -> np.ndarray:
    value = np.empty(len(metric), dtype=np.int64)
    for i, m in enumerate(CATALOG):
        sel = metric == i
        n = int(sel.sum())
        if m.unit == "yuan":
            value[sel] = np.rint(rng.lognormal(15.0, 1.6, n)).astype(np.int64) + 10_000
        elif m.unit == "people":
            value[sel] = rng.poisson(180, n) + 1
        else:
            value[sel] = rng.poisson(0.6, n) + 1
    return value


# -- loading -----------------------------------------------------------------------------------------------
LOADED_AT = "2026-11-27 00:00:00.000000"


def load_sqlite(engine: Engine, facts: Facts, *, chunk_rows: int = 250_000) -> None:
    """executemany in large transactions through the raw driver, then the rollups."""
    db_path = engine.url.database
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("BEGIN")
        sql = f"INSERT INTO daily_fact ({', '.join(FACT_COLUMNS)}) VALUES ({', '.join('?' * len(FACT_COLUMNS))})"
        for lo in range(0, len(facts), chunk_rows):
            f = facts.frame(lo, lo + chunk_rows)
            days = np.datetime_as_string(f["day"].to_numpy().astype("datetime64[D]"))
            rows = zip(f["metric_id"].tolist(), f["unit_code"].tolist(), days.tolist(), f["category"].tolist(),
                       f["source"].tolist(), f["bureau_code"].tolist(), f["value"].tolist(),
                       [None] * len(f), [LOADED_AT] * len(f))
            conn.executemany(sql, rows)
        conn.execute("COMMIT")
    finally:
        conn.close()
    _refresh_all(engine)
    with engine.begin() as c:
        c.execute(text("ANALYZE"))


def load_postgres(engine: Engine, facts: Facts, *, chunk_rows: int = 500_000) -> None:
    """COPY the facts in CSV chunks through psycopg, then the rollups and ANALYZE."""
    cols = ", ".join(FACT_COLUMNS)
    with engine.connect() as c:
        raw = c.connection.dbapi_connection
        with raw.cursor() as cur:
            with cur.copy(f"COPY daily_fact ({cols}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (category))") as copy:
                for lo in range(0, len(facts), chunk_rows):
                    f = facts.frame(lo, lo + chunk_rows)
                    f["day"] = np.datetime_as_string(f["day"].to_numpy().astype("datetime64[D]"))
                    f["run_id"] = ""
                    f["loaded_at"] = "2026-11-27 00:00:00+00"
                    buf = io.StringIO()
                    f.to_csv(buf, header=False, index=False)
                    copy.write(buf.getvalue())
        raw.commit()
    _refresh_all(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE daily_fact"))
        c.execute(text("VACUUM ANALYZE agg_day"))
        c.execute(text("VACUUM ANALYZE agg_month"))
        c.execute(text("VACUUM ANALYZE agg_day_total"))  # the category-summed rollups most views read
        c.execute(text("VACUUM ANALYZE agg_month_total"))


def _refresh_all(engine: Engine) -> None:
    """The store's own rollup refresh, one metric at a time (each a primary-key range of the facts)."""
    with Session(engine) as session, session.begin():
        for m in CATALOG:
            refresh_rollups(session, metric_ids=[m.id], day_from=FIRST_DAY, day_to=LAST_DAY)
        bump_generation(session)


def write_parquet(facts: Facts, path: str) -> None:
    """The same rows as a Parquet file for DuckDB, written by DuckDB itself (no pyarrow needed)."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE daily_fact (metric_id VARCHAR, unit_code VARCHAR, day DATE, category VARCHAR,"
                    " source VARCHAR, bureau_code VARCHAR, value BIGINT)")
        for lo in range(0, len(facts), 1_000_000):
            chunk = facts.frame(lo, lo + 1_000_000)  # noqa: F841 - read by DuckDB's replacement scan
            con.execute("INSERT INTO daily_fact SELECT metric_id, unit_code, CAST(day AS DATE), category, source,"
                        " bureau_code, value FROM chunk")
        con.execute(f"COPY daily_fact TO '{path}' (FORMAT parquet)")
    finally:
        con.close()
