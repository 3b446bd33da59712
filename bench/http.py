"""Callback latency through gunicorn on loopback: one user, then 8 concurrent users.

The server is the production entry (wsgi.py, gunicorn.conf.py) over the synthetic store, without the shared
cache, so every callback reaches the query API. Payloads are captured from the running app (dashclient).
"""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from bench.dashclient import UPDATE, page_payloads
from bench.report import Figure, figure, median, percentile
from bench.stores import BenchStore

ROOT = Path(__file__).resolve().parents[1]
ADMIN_PASSWORD = "bench-admin-password-2026"
# Pages and URL states whose callbacks are replayed: the default view, a bureau, and a quarter.
VIEW_STATES = [(page, search) for page in ("/", "/trends", "/regions", "/compare")
               for search in ("", "?unit=440000", "?range=lq&unit=510000", "?range=ytd&cat=vehicle_insurance_fraud")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(store: BenchStore, workdir: Path, *, workers: int, redis_url: str | None = None,
                    log_name: str = "gunicorn") -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "IMD_DATABASE_URL": store.url, "IMD_DATABASE_SCHEMA": store.schema or "",
           "IMD_SCHEDULER": "0", "IMD_DATA_DIR": str(workdir), "IMD_REDIS_URL": redis_url or "",
           "IMD_SECRET_KEY": "bench-secret-key-not-for-production", "IMD_ADMIN_PASSWORD": ADMIN_PASSWORD}
    log = open(workdir / f"{log_name}.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
                             "--chdir", str(ROOT), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                             "wsgi:server"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log.name}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(base + "/login", timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 90 s; see {log.name}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def sign_in(base: str) -> requests.cookies.RequestsCookieJar:
    """Sign in as the first admin through the real form (CSRF token included); returns the session cookies."""
    with requests.Session() as s:
        page = s.get(base + "/login", timeout=30).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
            re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
        if token is None:
            raise RuntimeError("no CSRF token on the sign-in page")
        r = s.post(base + "/login", data={"username": "admin", "password": ADMIN_PASSWORD,
                                          "csrf_token": token.group(1)}, timeout=30, allow_redirects=False)
        if r.status_code not in (302, 303):
            raise RuntimeError(f"sign-in failed with HTTP {r.status_code}")
        return s.cookies


def capture_payloads(base: str, cookies) -> list[dict]:
    with requests.Session() as s:
        s.cookies.update(cookies)
        payloads = []
        for page, search in VIEW_STATES:
            payloads.extend(page_payloads(base, s, page, search))
    if not payloads:
        raise RuntimeError("no callback payloads captured from the app")
    return payloads


def _replay(base: str, cookies, payloads: list[dict], n: int, offset: int, out: list[float],
            errors: list[str]) -> None:
    with requests.Session() as s:
        s.cookies.update(cookies)
        for i in range(n):
            p = payloads[(offset + i) % len(payloads)]
            t0 = time.perf_counter()
            r = s.post(base + UPDATE, json=p, timeout=60)
            ms = (time.perf_counter() - t0) * 1000.0
            if r.status_code not in (200, 204):
                errors.append(f"{r.status_code} {p['output']}")
            out.append(ms)


def load(base: str, cookies, payloads: list[dict], *, users: int,
         requests_per_user: int) -> tuple[list[float], list[str]]:
    samples: list[float] = []
    errors: list[str] = []
    threads = [threading.Thread(target=_replay, args=(base, cookies, payloads, requests_per_user, u * 7, samples, errors))
               for u in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples, errors


def http_figures(store: BenchStore, ctx) -> list[Figure]:
    b = store.backend
    workers = 2 * (os.cpu_count() or 1) + 1
    with gunicorn_server(store, ctx.workdir, workers=workers, log_name=f"gunicorn-{b}") as base:
        cookies = sign_in(base)
        payloads = capture_payloads(base, cookies)
        load(base, cookies, payloads, users=workers, requests_per_user=len(payloads))  # warm every worker
        one, err1 = load(base, cookies, payloads, users=1, requests_per_user=max(60, len(payloads)))
        eight, err8 = load(base, cookies, payloads, users=8, requests_per_user=max(25, len(payloads) // 2))
    note = f"{len(payloads)} captured payloads, gunicorn {workers} workers, no cache"
    return [
        figure(f"http.{b}.callback_1_user.p50", median(one), "ms", note=note),
        figure(f"http.{b}.callback_1_user.p95", percentile(one, 95), "ms", "<= 50", note=note),
        figure(f"http.{b}.callback_8_users.p50", median(eight), "ms", note=note),
        figure(f"http.{b}.callback_8_users.p95", percentile(eight, 95), "ms", "<= 300", note=note),
        figure(f"http.{b}.errors", len(err1) + len(err8), "requests", "<= 0",
               note="; ".join(sorted(set(err1 + err8)))[:300] or None),
    ]
