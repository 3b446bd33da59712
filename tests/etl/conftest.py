"""Fixtures shared by the ETL tests."""
from __future__ import annotations

import pytest
from sqlalchemy import MetaData, create_engine

from tests.etl.helpers import SAMPLE, clue_spec, clue_table, write_rows


@pytest.fixture
def source(tmp_path):
    """A small SQLite clue source holding SAMPLE: (engine, table, spec) read 3 rows a chunk."""
    url = f"sqlite:///{tmp_path / 'clues.sqlite'}"
    engine = create_engine(url)
    table = clue_table(MetaData())
    table.metadata.create_all(engine)
    write_rows(engine, table, SAMPLE)
    yield engine, table, clue_spec(url, chunk_rows=3)
    engine.dispose()
