"""A run reads and loads with the cyclic garbage collector paused, and gives it back however the run ends,
even when runs overlap on several threads."""
from __future__ import annotations

import gc
import threading

import pytest

from etl.connectors.base import SourceUnavailableError
from etl.connectors.sql import SqlConnector
from etl.gc_pause import gc_paused
from etl.pipeline import run_source
from tests.etl.helpers import SAMPLE, clue_spec, sqlite_clue_source


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_returns_when_the_last_of_overlapping_holders_leaves(collector_on):
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with gc_paused():
            first_in.set()
            second_in.wait(5)
        seen["after_first"] = gc.isenabled()
        first_out.set()

    def second():
        first_in.wait(5)
        with gc_paused():
            second_in.set()
            first_out.wait(5)
            seen["second_alone"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"after_first": False, "second_alone": False}
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off(collector_on):
    gc.disable()
    with gc_paused():
        with gc_paused():
            pass
    assert not gc.isenabled()


class Watching(SqlConnector):
    """A real SQL connector noting whether the collector runs while it is read; `fail` makes the source die."""

    during: list[bool] = []
    fail = False

    def extract(self, scope):
        for chunk in super().extract(scope):
            type(self).during.append(gc.isenabled())
            if self.fail:
                raise SourceUnavailableError("gone")
            yield chunk


@pytest.mark.parametrize("fail", [False, True])
def test_a_run_pauses_the_collector_and_gives_it_back(collector_on, tmp_path, store_engine, fail):
    url, engine, _ = sqlite_clue_source(tmp_path / "clues.sqlite", SAMPLE)
    engine.dispose()
    Watching.during, Watching.fail = [], fail
    result = run_source(store_engine, clue_spec(url, chunk_rows=3), connector_factory=Watching, wait_scale=0)
    assert result.status == ("failed" if fail else "success")
    assert Watching.during and not any(Watching.during)
    assert gc.isenabled()
