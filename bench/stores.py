"""Throwaway metrics stores for a benchmark run: a fresh SQLite file or a fresh PostgreSQL schema."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from metrics.db import make_engine, upgrade

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class BenchStore:
    backend: str  # sqlite | postgresql
    url: str
    schema: str | None
    engine: Engine


@contextmanager
def fresh_store(backend: str, workdir: Path, *, pg_url: str = DEFAULT_PG_URL, keep: bool = False,
                label: str = "store") -> Iterator[BenchStore]:
    """A migrated, empty store; dropped afterwards unless `keep`."""
    if backend == "sqlite":
        path = workdir / f"{label}.sqlite"
        for stale in workdir.glob(f"{label}.sqlite*"):
            stale.unlink()
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        try:
            yield BenchStore(backend, url, None, engine)
        finally:
            engine.dispose()
            if not keep:
                for f in workdir.glob(f"{label}.sqlite*"):
                    f.unlink()
        return
    if backend != "postgresql":
        raise ValueError(f"unknown backend '{backend}'; use sqlite or postgresql")
    schema = f"imd_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(pg_url, schema=schema)
    try:
        upgrade(engine)
        yield BenchStore(backend, pg_url, schema, engine)
    finally:
        engine.dispose()
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
