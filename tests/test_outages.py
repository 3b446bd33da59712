"""Outages under a serving app (app.build_web_app over real HTTP).

PostgreSQL cut off (a relay in front of the shared server is cut, then restored): API calls, Dash callbacks and
pages get a clear 503 (JSON or a short page, no traceback), the app serves again without a restart, and the
scheduler keeps running and loads again. Redis stopped (a redis-server of this test): answers come from the
store, sign-in limits go on in memory, and both are logged as warnings.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import time
from pathlib import Path

import pytest
import requests
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text
from sqlalchemy.engine import make_url

import app as imd
from etl.jobs import scheduled_source_run
from etl.scheduler import add_job, run_once
from metrics.config import Settings, StoreSettings, WebSettings
from metrics.db import make_engine, upgrade
from metrics.users import issue_token
from metrics.windows import TZ
from tests.auth_helpers import add_test_users, password
from tests.conftest import PG_URL
from tests.dashboard.seed_data import seed_store
from tests.etl.helpers import SAMPLE, clue_spec, sqlite_clue_source
from tests.outage_helpers import CuttableRelay, OwnRedis, Served

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = {"from": "2025-07-01", "to": "2025-09-30"}
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def web_settings(tmp_path, url: str, schema: str | None = None, redis_url: str | None = None) -> Settings:
    return Settings(data_dir=tmp_path, store=StoreSettings(url=url, schema=schema),
                    sources_path=ROOT / "etl" / "sources.demo.yaml",
                    source_variables=(("IMD_DEMO_DIR", str(tmp_path / "demo")),),
                    web=WebSettings(secret_key="an-outage-test-key", redis_url=redis_url))


def seeded(engine) -> str:
    upgrade(engine)
    seed_store(engine)
    add_test_users(engine)
    return issue_token(engine, "lead", "outage-test")


def signed_in(base: str, name: str = "lead", secret: str | None = None) -> tuple[requests.Session, int]:
    session = requests.Session()
    token = _CSRF.search(session.get(f"{base}/login").text).group(1)
    answer = session.post(f"{base}/login", data={"username": name, "password": secret or password(name),
                                                 "csrf_token": token}, allow_redirects=False)
    return session, answer.status_code


def successes(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM etl_run WHERE status = 'success'")).scalar()


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def pg_behind_relay(pg_schema_factory, tmp_path):
    schema = pg_schema_factory("imd_outage").name
    direct = make_engine(PG_URL, schema=schema)
    token = seeded(direct)
    relay = CuttableRelay(make_url(PG_URL).port or 5432, make_url(PG_URL).host or "127.0.0.1")
    url = make_url(PG_URL).set(port=relay.port, host="127.0.0.1").render_as_string(hide_password=False)
    yield direct, relay, web_settings(tmp_path, url, schema), token
    relay.cut()
    direct.dispose()


def test_postgresql_outage_gets_503_and_the_app_recovers(pg_behind_relay, tmp_path, caplog):
    direct, relay, settings, token = pg_behind_relay
    served = Served(imd.build_web_app(settings).server)
    bearer = {"Authorization": f"Bearer {token}"}
    url_src, src, _ = sqlite_clue_source(tmp_path / "clues.sqlite", SAMPLE)
    src.dispose()
    spec, store = clue_spec(url_src), make_engine(settings.store.url, schema=settings.store.schema)
    scheduler = BackgroundScheduler(timezone=TZ)
    add_job(scheduler, "etl:clues", IntervalTrigger(seconds=1, timezone=TZ),
            lambda engine, job_id, trigger: run_once(engine, job_id, trigger, lambda: scheduled_source_run(engine, spec)),
            store)
    try:
        before = requests.get(f"{served.url}/api/v1/summary", params=SUMMARY, headers=bearer)
        assert before.status_code == 200
        browser, status = signed_in(served.url)
        assert status == 303 and browser.get(f"{served.url}/").status_code == 200
        scheduler.start()
        assert wait_for(lambda: successes(direct) >= 1)

        relay.cut()
        api = requests.get(f"{served.url}/api/v1/summary", params=SUMMARY, headers=bearer)
        assert api.status_code == 503 and api.json()["error"] == "store_unavailable"
        assert api.headers["Retry-After"] == "5"
        page = browser.get(f"{served.url}/", params={"lang": "en"})
        assert page.status_code == 503 and "Data temporarily unavailable" in page.text
        callback = browser.post(f"{served.url}/_dash-update-component", json={"output": "page-root.children"})
        assert callback.status_code == 503 and callback.json()["error"] == "store_unavailable"
        for answer in (api, page, callback):
            assert "Traceback" not in answer.text and "psycopg" not in answer.text
        assert any("metrics store unreachable" in r.getMessage() for r in caplog.records)
        failed_fires = successes(direct)
        time.sleep(2.5)  # fires during the outage fail inside the scheduler, which keeps going
        assert scheduler.running and scheduler.get_job("etl:clues") is not None
        assert successes(direct) == failed_fires

        relay.restore()
        after = requests.get(f"{served.url}/api/v1/summary", params=SUMMARY, headers=bearer)
        assert after.status_code == 200 and after.json() == before.json()
        assert browser.get(f"{served.url}/").status_code == 200
        assert wait_for(lambda: successes(direct) > failed_fires), "the scheduler did not load again"
    finally:
        scheduler.shutdown(wait=False)
        served.close()
        store.dispose()


@pytest.fixture
def own_redis():
    redis = OwnRedis()
    redis.start()
    yield redis
    redis.stop()


def test_redis_outage_serves_from_the_store_and_limits_in_memory(own_redis, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    engine = make_engine(f"sqlite:///{tmp_path / 'imd.sqlite'}")
    token = seeded(engine)
    settings = web_settings(tmp_path, f"sqlite:///{tmp_path / 'imd.sqlite'}", redis_url=own_redis.url)
    served = Served(imd.build_web_app(settings).server)
    bearer = {"Authorization": f"Bearer {token}"}
    try:
        cached = requests.get(f"{served.url}/api/v1/summary", params=SUMMARY, headers=bearer)
        assert cached.status_code == 200

        own_redis.stop()
        started = time.monotonic()
        answer = requests.get(f"{served.url}/api/v1/summary", params=SUMMARY, headers=bearer)
        assert answer.status_code == 200 and answer.json() == cached.json()
        assert time.monotonic() - started < 5
        assert any("query cache unreachable" in r.getMessage() for r in caplog.records)
        # sign-in limits: five failures for one name, then 429, counted in memory
        codes = [signed_in(served.url, "gd", "wrong-password-1")[1] for _ in range(6)]
        assert codes[:5] == [401] * 5 and codes[5] == 429, codes
        assert any(r.name.startswith("flask-limiter") and r.levelno >= logging.WARNING for r in caplog.records)
        assert signed_in(served.url, "lead")[1] == 303  # another user still signs in

        own_redis.start()  # back: the cache is used again
        assert requests.get(f"{served.url}/api/v1/summary", params=SUMMARY, headers=bearer).json() == cached.json()
    finally:
        served.close()
        engine.dispose()
