"""Small source fixtures for the ETL tests: a clue-like table on any SQLAlchemy URL and its YAML block."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Column, Engine, MetaData, String, Table, create_engine, delete, insert, select, update

from etl.config import SourceSpec, parse_sources
from metrics.models import AggDay, AggMonth, DailyFact, QuarantinedRow, SourceWatermark

CLUE_COLUMNS = ["clue_id", "identified_on", "bureau", "sub_bureau", "category", "found_by", "amount_yuan",
                "referral_no", "referred_on", "updated_at"]

CLUE_BLOCK = """
sources:
  {name}:
    kind: sql
    connection: "{url}"
    table: {table}{schema}
    row_ref: clue_id
    chunk_rows: {chunk_rows}
    natural_key: referral_no
    watermark: {{column: updated_at, lookback_days: 1}}
    retry: {{attempts: 2, backoff_seconds: 0}}
    unit: {{column: sub_bureau, fallback: bureau}}
    category:
      column: category
      map: {{非法贷款中介: illegal_loan_intermediary, 车险欺诈: vehicle_insurance_fraud, 其他: other}}
    fields:
      identified_on: {{type: date, formats: "%Y-%m-%d"}}
      referred_on: {{type: date, formats: "%Y-%m-%d", required: false}}
      amount_yuan: {{type: amount}}
      referral_no: {{required: false}}
      found_by: {{allowed: [big_data_model, inspection, complaint]}}
    metrics:
      clues_identified: {{count: true, date: identified_on}}
      clue_referrals: {{distinct: referral_no, date: referred_on, where: "referral_no.notna()"}}
      clue_referral_amount: {{sum: amount_yuan, date: referred_on, where: "referral_no.notna()"}}
      major_cases:
        count: true
        date: identified_on
        where: "found_by == 'big_data_model' and amount_yuan >= 100000000"
"""


def clue_spec(url: str, *, name: str = "clues", table: str = "clue", chunk_rows: int = 1000,
              schema: str | None = None) -> SourceSpec:
    block = CLUE_BLOCK.format(name=name, url=url, table=table, chunk_rows=chunk_rows,
                              schema=f"\n    schema: {schema}" if schema else "")
    return parse_sources(block, {})[name]


def clue_table(metadata: MetaData, name: str = "clue", schema: str | None = None) -> Table:
    return Table(name, metadata, Column("clue_id", String(20), primary_key=True),
                 *[Column(c, String(64)) for c in CLUE_COLUMNS[1:]], schema=schema)


def clue(n: int, day: str, *, bureau="广东", sub=None, category="车险欺诈", found_by="inspection",
         amount="1000", referral=None, referred=None, updated=None) -> dict:
    return {"clue_id": f"XS{n:05d}", "identified_on": day, "bureau": bureau, "sub_bureau": sub,
            "category": category, "found_by": found_by, "amount_yuan": amount, "referral_no": referral,
            "referred_on": referred, "updated_at": updated or f"{day} 12:00:00"}


SAMPLE = [
    clue(1, "2024-03-01", sub="广州", category="非法贷款中介", found_by="big_data_model", amount="200000000",
         referral="YJ-1", referred="2024-03-02"),
    clue(2, "2024-03-01", bureau="粤", amount="1,000", referral="YJ-2", referred="2024-03-03"),
    clue(3, "2024-02-30", amount="100"),                                # impossible date
    clue(4, "2024-03-05", bureau="某某市金融办"),                  # unknown region
    clue(5, "2024-03-05", bureau="440000", referral="YJ-2", referred="2024-03-06"),  # duplicate of XS00002
    clue(6, "2024-03-05", bureau="440000", amount="N/A"),                # not a number
    clue(7, "2024-03-06", bureau="国家金融监督管理总局广东监管局", category="其他"),
    clue(8, "2024-03-07", bureau="北京", sub="广州"),                    # sub-bureau of another bureau
]


def sqlite_clue_source(path, rows: list[dict]) -> tuple[str, Engine, Table]:
    """A SQLite database at `path` holding a clue table with `rows`: (url, engine, table)."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    table = clue_table(MetaData())
    table.metadata.create_all(engine)
    if rows:
        write_rows(engine, table, rows)
    return url, engine, table


def write_rows(engine: Engine, table: Table, rows: list[dict]) -> None:
    with engine.begin() as conn:
        conn.execute(insert(table), rows)


def set_row(engine: Engine, table: Table, clue_id: str, **values) -> None:
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.clue_id == clue_id).values(**values))


def delete_row(engine: Engine, table: Table, clue_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(table).where(table.c.clue_id == clue_id))


def dump_store(engine: Engine) -> dict[str, list[tuple]]:
    """Every table an ETL run writes, minus run ids and timestamps, sorted: equal dumps mean equal stores."""
    queries = {
        "daily_fact": select(DailyFact.metric_id, DailyFact.unit_code, DailyFact.day, DailyFact.category,
                             DailyFact.source, DailyFact.bureau_code, DailyFact.value),
        "agg_day": select(AggDay.metric_id, AggDay.unit_code, AggDay.day, AggDay.category, AggDay.value),
        "agg_month": select(AggMonth.metric_id, AggMonth.unit_code, AggMonth.month, AggMonth.category,
                            AggMonth.value),
        "quarantined_row": select(QuarantinedRow.source, QuarantinedRow.row_ref, QuarantinedRow.unit_code,
                                  QuarantinedRow.reason, QuarantinedRow.raw),
        # '~…' rows are the store's own cache tokens (metrics.store), not source watermarks
        "source_watermark": select(SourceWatermark.source, SourceWatermark.watermark)
        .where(~SourceWatermark.source.startswith("~")),
    }
    with engine.connect() as conn:
        return {name: sorted(tuple(r) for r in conn.execute(q)) for name, q in queries.items()}


def facts(engine: Engine, source: str | None = None) -> pd.DataFrame:
    q = select(DailyFact.metric_id, DailyFact.unit_code, DailyFact.day, DailyFact.category, DailyFact.value)
    if source:
        q = q.where(DailyFact.source == source)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=["metric_id", "unit_code", "day", "category", "value"])


def total(engine: Engine, metric_id: str, day: dt.date | None = None) -> int:
    frame = facts(engine)
    frame = frame[frame["metric_id"] == metric_id]
    if day is not None:
        frame = frame[frame["day"] == day]
    return int(frame["value"].sum())


def quarantine(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(QuarantinedRow.row_ref, QuarantinedRow.reason)).all())
