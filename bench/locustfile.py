"""Load test of the dashboard's callbacks: `python -m bench --only locust` starts gunicorn and runs this
headless (50 users, 60 s). By hand, against a running server:

    locust -f bench/locustfile.py --headless -u 50 -r 10 --run-time 60s --host http://127.0.0.1:8050

Each user signs in through the real form, captures the callback payloads of every page from the app, then
replays them with a short think time. Any non-2xx answer is a failure.
"""
from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

from bench.dashclient import UPDATE, page_payloads
from bench.http import VIEW_STATES

PASSWORD = os.environ.get("IMD_BENCH_PASSWORD", "bench-admin-password-2026")
_PAYLOADS: list[dict] = []  # captured once per locust process, shared by its users


class DashboardUser(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        page = self.client.get("/login", name="/login").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or \
            re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
        self.client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token.group(1)},
                         name="/login", allow_redirects=False)
        if not _PAYLOADS:
            for path, search in VIEW_STATES:
                _PAYLOADS.extend(page_payloads("", self.client, path, search))

    @task
    def callback(self) -> None:
        payload = random.choice(_PAYLOADS)
        self.client.post(UPDATE, json=payload, name=f"callback {payload['output'][:48]}")
