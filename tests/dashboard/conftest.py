"""A seeded metrics store (SQLite and PostgreSQL) and the dashboard app over it, for callback tests."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import seed_data  # noqa: E402

from dashboard import create_app  # noqa: E402


@pytest.fixture(scope="module")
def seeded(module_store_engine):
    """(engine, facts): the store seeded once per module and backend, with the facts as loaded."""
    facts = seed_data.seed_store(module_store_engine)
    return module_store_engine, facts


@pytest.fixture(scope="module")
def app(seeded):
    engine, _ = seeded
    return create_app(None, engine, clock=lambda: seed_data.CLOCK_NOW, expected_every=seed_data.EXPECTED_EVERY)


@pytest.fixture
def request_ctx(app):
    """Callbacks read the store through the request's query object: give them a request."""
    with app.server.test_request_context("/"):
        yield app


@pytest.fixture
def facts(seeded):
    return seeded[1]
