"""A seeded metrics store (SQLite and PostgreSQL) and the dashboard app over it, for callback tests."""
from __future__ import annotations

import pytest

from dashboard import create_app
from metrics.api import MetricsStore
from tests.auth_helpers import acting_as, add_test_users
from tests.dashboard import seed_data
from tests.dashboard.auth_fixtures import secured  # noqa: F401  (the app as app.py wires it, for the access tests)


@pytest.fixture(scope="module")
def seeded(module_store_engine):
    """(engine, facts): the store seeded once per module and backend, with the facts as loaded."""
    facts = seed_data.seed_store(module_store_engine)
    add_test_users(module_store_engine)
    return module_store_engine, facts


@pytest.fixture(scope="module")
def app(seeded):
    engine, _ = seeded
    return create_app(None, MetricsStore(engine), clock=lambda: seed_data.CLOCK_NOW, expected_every=seed_data.EXPECTED_EVERY)


@pytest.fixture
def request_ctx(app, seeded):
    """Callbacks read the store through the request's query object: give them a request, signed in as leadership."""
    with acting_as(app, seeded[0], "lead"):
        yield app


@pytest.fixture
def facts(seeded):
    return seeded[1]
