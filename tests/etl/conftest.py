"""Fixtures shared by the ETL tests."""
from __future__ import annotations

import pytest

from tests.etl.helpers import SAMPLE, clue_spec, sqlite_clue_source


@pytest.fixture
def source(tmp_path):
    """A small SQLite clue source holding SAMPLE: (engine, table, spec) read 3 rows a chunk."""
    url, engine, table = sqlite_clue_source(tmp_path / "clues.sqlite", SAMPLE)
    yield engine, table, clue_spec(url, chunk_rows=3)
    engine.dispose()
