"""The locust load test (bench/locustfile.py) against the production configuration: gunicorn workers and the
Redis query cache over the synthetic store. 50 users for 60 s on loopback; any failed request is an error."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from bench.http import ADMIN_PASSWORD, gunicorn_server
from bench.report import Figure, figure

ROOT = Path(__file__).resolve().parents[1]
USERS, SPAWN_RATE, RUN_TIME = 50, 10, "60s"
REDIS_URL = "redis://127.0.0.1:6379/0"


def locust_figures(store, ctx) -> list[Figure]:
    b = store.backend
    workers = 2 * (os.cpu_count() or 1) + 1
    prefix = ctx.workdir / f"locust-{b}"
    with gunicorn_server(store, ctx.workdir, workers=workers, redis_url=REDIS_URL, log_name=f"gunicorn-locust-{b}") as base:
        proc = subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
                               "--headless", "-u", str(USERS), "-r", str(SPAWN_RATE), "--run-time", RUN_TIME,
                               "--host", base, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"],
                              env={**os.environ, "IMD_BENCH_PASSWORD": ADMIN_PASSWORD}, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
    with open(f"{prefix}_stats.csv", newline="") as fh:
        total = next(r for r in csv.DictReader(fh) if r["Name"] == "Aggregated")
    note = f"{USERS} users, {RUN_TIME}, gunicorn {workers} workers + Redis cache; locust exit {proc.returncode}"
    return [
        figure(f"load.{b}.requests", int(total["Request Count"]), "requests", note=note),
        figure(f"load.{b}.failures", int(total["Failure Count"]), "requests", "<= 0", note=note),
        figure(f"load.{b}.throughput", float(total["Requests/s"]), "req/s", note=note),
        figure(f"load.{b}.p50", float(total["50%"]), "ms", note=note),
        figure(f"load.{b}.p95", float(total["95%"]), "ms", note=note),
    ]
