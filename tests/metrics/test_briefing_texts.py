"""Staff-written brief text: saved by administrators, frozen into the published version, named in revisions."""
from __future__ import annotations

import pytest

from metrics.api import AccessDenied, BriefingPeriod, BriefTextError, Principal
from metrics.snapshots import BriefingStore, BriefingTexts
from metrics.models import utcnow
from tests.briefing.seed import D, seed

ADMIN = Principal("ann", "admin")
LEAD = Principal("lee", "leadership")
KEY_WORK = "建立监管与公安线索双向移送机制，联合开展非法贷款中介专项检查。"


def test_text_is_frozen_with_the_figures_and_revisions_name_text_changes(store_engine):
    seed(store_engine)
    texts, store = BriefingTexts(store_engine), BriefingStore(store_engine)
    period = BriefingPeriod.for_as_of(D(2025, 11, 30))  # quarter 2025Q4
    assert texts.save("2025Q4", {("1", "key_work", "zh"): KEY_WORK, ("1", "next_steps", "en"): "Widen the model.",
                                 ("case_notes", "case_notes", "zh"): "案例一。\n\n案例二。"},
                      principal=ADMIN, now=utcnow()) == 3
    assert texts.rows("2025Q4", LEAD)[("1", "key_work", "zh")] == KEY_WORK

    draft = store.build(period, now=utcnow())
    assert draft.payload["staff"]["zh"]["directions"]["1"]["key_work"] == KEY_WORK
    first = store.publish(period, now=utcnow()).briefing
    assert first.payload["staff"]["en"]["directions"]["1"] == {"next_steps": "Widen the model."}

    # Same figures, same text: the version is kept. Edited text: a new version whose note names the change.
    assert not store.publish(period, now=utcnow()).created
    texts.save("2025Q4", {("1", "key_work", "zh"): KEY_WORK + "新增一项。", ("1", "next_steps", "en"): "Widen the model."},
               principal=ADMIN, now=utcnow())
    second = store.publish(period, now=utcnow())
    assert second.created and second.briefing.version == 2
    note = second.briefing.revision_note
    assert not note["no_change"] and note["changes"] == []
    assert note["text_changes"] == [{"section": "1", "field": "key_work", "lang": "zh"},
                                    {"section": "case_notes", "field": "case_notes", "lang": "zh"}]
    # Version 1 still says what it said.
    assert store.get(first.id).payload["staff"]["zh"]["directions"]["1"]["key_work"] == KEY_WORK


def test_only_administrators_write_and_bad_input_is_refused(store_engine):
    texts = BriefingTexts(store_engine)
    with pytest.raises(AccessDenied):
        texts.save("2025Q4", {("1", "key_work", "zh"): "x"}, principal=LEAD, now=utcnow())
    with pytest.raises(BriefTextError):
        texts.save("2025-Q4", {("1", "key_work", "zh"): "x"}, principal=ADMIN, now=utcnow())
    with pytest.raises(BriefTextError):
        texts.save("2025Q4", {("9", "key_work", "zh"): "x"}, principal=ADMIN, now=utcnow())
    assert texts.rows("2025Q4", ADMIN) == {}
