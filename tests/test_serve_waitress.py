"""`serve` (what `make run` starts) answers through waitress with the scheduler running, and prints no
development-server warning."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_uses_waitress_without_a_development_warning(pg_schema_factory, tmp_path):
    schema = pg_schema_factory("imd_serve")
    port = _free_port()
    env = {**os.environ, "IMD_DATA_DIR": str(tmp_path), "IMD_DATABASE_URL": PG_URL, "IMD_DATABASE_SCHEMA": schema.name,
           "IMD_PORT": str(port), "IMD_ADMIN_PASSWORD": "a-long-admin-password-1", "IMD_SCHEDULER": "1"}
    env.pop("IMD_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "app.py", "serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/login", timeout=5)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "serve did not answer within 120 s"
                time.sleep(0.5)
        assert response.status_code == 200 and response.headers["Server"] == "IMD"
        assert response.headers["X-Frame-Options"] == "DENY"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    assert "waitress" in output
    assert "development server" not in output.lower() and "Werkzeug" not in output
