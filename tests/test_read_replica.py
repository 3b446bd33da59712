"""A production web worker reads metrics from the replica (IMD_READ_DATABASE_URL) and everything else from
the primary: sign-in and API tokens, the audit trail. The replica here is a copy of the primary's file taken
before a later load, i.e. a replica that has not caught up yet.
"""
from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import build_web_app
from metrics.config import Settings, StoreSettings, WebSettings
from metrics.db import make_engine, upgrade
from metrics.models import AuditEvent
from metrics.store import replace_facts
from metrics.users import add_user, issue_token

D = dt.date


def _load(engine, value: int) -> None:
    facts = pd.DataFrame([("clue_referrals", "440000", D(2025, 7, 1), "other", value)],
                         columns=["metric_id", "unit_code", "day", "category", "value"])
    with Session(engine) as s, s.begin():
        replace_facts(s, source="s", day_from=D(2025, 7, 1), day_to=D(2025, 7, 1), facts=facts, run_id=None)


def test_metrics_come_from_the_replica_and_tokens_from_the_primary(tmp_path):
    primary_path, replica_path = tmp_path / "primary.sqlite", tmp_path / "replica.sqlite"
    primary = make_engine(f"sqlite:///{primary_path}")
    upgrade(primary)
    _load(primary, 5)
    with primary.connect() as conn:  # a consistent copy of the primary, as a replica would hold it
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(primary_path, replica_path)
    _load(primary, 9)  # not replicated yet
    add_user(primary, "lead", "leadership", "lead-correct-horse-9")
    token = issue_token(primary, "lead", "lead-client")  # exists on the primary only

    (tmp_path / "sources.yaml").write_text("sources: {}\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path, sources_path=tmp_path / "sources.yaml",
                        store=StoreSettings(url=f"sqlite:///{primary_path}", read_url=f"sqlite:///{replica_path}"),
                        web=WebSettings(secret_key="a-test-secret-key", admin_password="admin-correct-horse-9"))
    client = build_web_app(settings).server.test_client()
    answer = client.get("/api/v1/summary?from=2025-07-01&to=2025-07-31&metric=clue_referrals",
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    rows = {r["metric"]: r["value"] for r in answer.get_json()}
    assert rows["clue_referrals"] == 5  # the replica's figure; the primary already says 9

    with Session(primary) as s:  # the call was audited on the primary
        assert s.scalar(select(func.count()).select_from(AuditEvent)) >= 1
