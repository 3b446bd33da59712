"""Each fire of each job runs once, however many schedulers and web workers are started.

The claim is a row in job_fire with primary key (job_id, fire_time): the first process to insert it runs the
fire, every later process finds it and skips. On PostgreSQL a session-level advisory lock on a dedicated
connection is taken first, so processes that fire at the same instant never even race on the insert and a
fire that is still running is visibly held. On SQLite the unique insert alone decides (SQLite serialises
writers across processes).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text, update
from sqlalchemy.exc import IntegrityError

from metrics.db import session_factory
from metrics.models import JobFire, utcnow


def owner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def advisory_key(job_id: str, fire_time: dt.datetime) -> int:
    digest = hashlib.blake2b(f"{job_id}@{fire_time.astimezone(dt.timezone.utc).isoformat()}".encode(),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)  # pg advisory locks take a signed bigint


def _claim_row(engine: Engine, job_id: str, fire_time: dt.datetime) -> bool:
    try:
        with session_factory(engine)() as session, session.begin():
            session.add(JobFire(job_id=job_id, fire_time=fire_time, owner=owner_name(), status="running",
                                claimed_at=utcnow()))
    except IntegrityError:
        return False
    return True


def _finish_row(engine: Engine, job_id: str, fire_time: dt.datetime, status: str) -> None:
    with session_factory(engine)() as session, session.begin():
        session.execute(update(JobFire).where(JobFire.job_id == job_id, JobFire.fire_time == fire_time)
                        .values(status=status, finished_at=utcnow()))


@contextmanager
def claim_fire(engine: Engine, job_id: str, fire_time: dt.datetime) -> Iterator[bool]:
    """Yield True in exactly one process per (job_id, fire_time); the body runs the job only then."""
    fire_time = fire_time.astimezone(dt.timezone.utc).replace(microsecond=0)
    lock_conn = None
    try:
        if engine.dialect.name == "postgresql":
            lock_conn = engine.connect()
            key = advisory_key(job_id, fire_time)
            if not lock_conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
                yield False
                return
            lock_conn.commit()  # the lock is session-level; end the implicit transaction, keep the lock
        if not _claim_row(engine, job_id, fire_time):
            yield False
            return
        status = "failed"
        try:
            yield True
            status = "done"
        finally:
            _finish_row(engine, job_id, fire_time, status)
    finally:
        if lock_conn is not None:
            try:
                lock_conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": advisory_key(job_id, fire_time)})
                lock_conn.commit()
            finally:
                lock_conn.close()
