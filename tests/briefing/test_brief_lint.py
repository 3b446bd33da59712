"""The proof-reader over many rendered briefs: random as-of dates since 2023-06-30 and every completed quarter,
both languages, over the demo systems. Text only (the document blocks); files are tested elsewhere."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import app
from metrics.api import BriefingPeriod, make_engine
from metrics.snapshots import BriefingStore
from tests.briefing.brief_lint import number_problems, wording_problems

from briefing.document import brief_blocks

CHARTS = {"direction_1", "direction_2", "direction_3", "direction_4", "amounts", "top_bureaus", "progress"}
NOW = dt.datetime(2025, 12, 5, 2, 0, tzinfo=dt.timezone.utc)
RENDERED: list[str] = []


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    mp = pytest.MonkeyPatch()
    mp.setenv("IMD_DATA_DIR", str(root))
    for name in ("IMD_DATABASE_URL", "IMD_DATABASE_SCHEMA", "IMD_SOURCES"):
        mp.delenv(name, raising=False)
    app.get_settings.cache_clear()
    assert app.main(["db", "upgrade"]) == 0
    assert app.main(["demo", "generate", "--until", "2025-11-30", "--scale", "0.1"]) == 0
    assert app.main(["etl", "run"]) == 0
    engine = make_engine(app.get_settings().store.url)
    yield engine
    engine.dispose()
    app.get_settings.cache_clear()
    mp.undo()


def _lint(engine, period: BriefingPeriod) -> None:
    briefing = BriefingStore(engine).build(period, now=NOW)
    for lang in ("zh", "en"):
        blocks = brief_blocks(briefing, lang, CHARTS)
        problems = wording_problems(blocks, briefing.content, lang) + number_problems(blocks, lang)
        assert not problems, f"{period.label} {lang}:\n" + "\n".join(problems[:10])
        RENDERED.append(f"{period.label}:{lang}")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=dt.date(2023, 6, 30), max_value=dt.date(2025, 11, 30)))
def test_briefs_for_random_as_of_dates_read_correctly(demo_engine, as_of):
    _lint(demo_engine, BriefingPeriod.for_as_of(as_of))


@pytest.mark.parametrize("quarter", ["2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1",
                                     "2025Q2", "2025Q3"])
def test_quarterly_briefs_read_correctly(demo_engine, quarter):
    _lint(demo_engine, BriefingPeriod.for_quarter(quarter))


def test_at_least_200_briefs_were_proofread():
    assert len(RENDERED) >= 200, len(RENDERED)


def test_the_linter_catches_the_defects_it_is_for(demo_engine):
    """Each rule fails on the sentence it exists for (so the passing runs above mean something)."""
    briefing = BriefingStore(demo_engine).build(BriefingPeriod.for_as_of(dt.date(2025, 11, 30)), now=NOW)
    content = briefing.content
    from briefing.document import Block

    def problems(text: str, lang: str, extra: list[Block] = ()) -> list[str]:
        blocks = brief_blocks(briefing, lang, CHARTS)
        at = next(i for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 2) + 1
        blocks[at:at] = [Block("para", text), *extra]
        return wording_problems(blocks, content, lang) + number_problems(blocks, lang)

    assert problems("制修订制度文超过160件。", "zh")
    assert problems("教育活动覆盖人次201583人次。", "zh")
    assert problems("移送公安线索1,428条。", "zh")
    assert problems("移送公安线索环比−13.1%。", "zh")
    assert problems("1 major cases (100 million yuan or more).", "en")
    assert problems("3 bureau(s) reported late.", "en")
    assert problems("Bureaus with no clues referred to the police this quarter: Xiamen.", "en",
                    [Block("bullets", items=["regulator's clue system: 1 bureau did not report every month "
                                             "this quarter (Xiamen)."])])
    assert problems("移送公安线索99999条。", "zh")  # a number the tables do not hold
