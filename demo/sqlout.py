"""The SQL stand-ins' tables, created with SQLAlchemy so any URL works (SQLite by default).

Columns are text as the legacy systems keep them; parsing is the ETL's job. A PostgreSQL schema can be
chosen with the URL itself (?options=-csearch_path%3D<schema>).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import Column, Engine, Index, Integer, MetaData, String, Table, Text, create_engine, event

CHUNK = 5_000
_MYSQL = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}


def _ts(name: str = "updated_at") -> Column:
    return Column(name, String(19), nullable=False)


clue_metadata = MetaData()
clue_table = Table(
    "clue", clue_metadata,
    Column("clue_id", String(16), primary_key=True),
    Column("identified_on", String(16)),
    Column("bureau", String(64), nullable=False),
    Column("sub_bureau", String(64)),
    Column("category", String(32), nullable=False),
    Column("found_by", String(24), nullable=False),
    Column("amount_yuan", String(32)),
    Column("referral_no", String(32)),
    Column("referred_on", String(16)),
    Column("police_unit", String(64)),
    _ts(),
    Index("ix_clue_updated_at", "updated_at"),
    Index("ix_clue_referral_no", "referral_no"),
    **_MYSQL,
)

police_metadata = MetaData()
intake_table = Table(
    "case_intake", police_metadata,
    Column("intake_id", String(16), primary_key=True),
    Column("region_code", String(16), nullable=False),
    Column("cited_referral_no", String(32)),
    Column("received_on", String(16)),
    Column("accepted_on", String(16)),
    Column("filed_on", String(16)),
    _ts(),
    Index("ix_case_intake_updated_at", "updated_at"),
    **_MYSQL,
)

institution_metadata = MetaData()
report_table = Table(
    "crime_report", institution_metadata,
    Column("report_id", Integer, primary_key=True, autoincrement=False),
    Column("institution_name", String(64), nullable=False),
    Column("institution_type", String(16), nullable=False),
    Column("bureau", String(64), nullable=False),
    Column("category", String(32), nullable=False),
    Column("amount_wan", Text),
    Column("reported_on", String(16)),
    _ts(),
    Index("ix_crime_report_updated_at", "updated_at"),
    **_MYSQL,
)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def open_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        # Delete-mode journal: the stand-in is a single plain file the ETL can open read-only.
        event.listen(engine, "connect", lambda conn, _r: conn.execute("PRAGMA journal_mode=DELETE"))
    return engine


def replace_table(url: str, table: Table, rows: Sequence[dict]) -> None:
    """Drop and recreate the table, then bulk-insert the rows in chunks (executemany)."""
    if url.startswith("sqlite:///") and "memory" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = open_engine(url)
    try:
        table.metadata.drop_all(engine)
        table.metadata.create_all(engine)
        insert_rows(engine, table, rows)
    finally:
        engine.dispose()


def insert_rows(engine: Engine, table: Table, rows: Iterable[dict]) -> None:
    rows = list(rows)
    with engine.begin() as conn:
        for start in range(0, len(rows), CHUNK):
            conn.execute(table.insert(), rows[start:start + CHUNK])
