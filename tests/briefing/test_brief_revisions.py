"""The revision note names only what changed: the one bureau and metric, display names, Beijing time."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.api import BriefingPeriod
from metrics.snapshots import BriefingStore
from metrics.models import utcnow
from tests.briefing.seed import COLUMNS, D, load, seed, seed_rows

from briefing.revisions import beijing, revision_lines


def test_revision_note_names_only_the_changed_unit_in_beijing_time(store_engine):
    seed(store_engine)
    store = BriefingStore(store_engine)
    period = BriefingPeriod.for_as_of(D(2025, 11, 30))
    store.publish(period, now=utcnow())
    rows = pd.DataFrame(seed_rows(), columns=COLUMNS)
    fix = rows[(rows["day"] == D(2025, 10, 15)) & rows["metric_id"].isin(["clue_referrals", "clue_referral_amount",
                                                                          "clues_identified"])].copy()
    fix.loc[(fix["metric_id"] == "clue_referrals") & (fix["unit_code"] == "440000"), "value"] += 6
    load(store_engine, "regulator_clues", fix, D(2025, 10, 15), D(2025, 10, 15), run=True)  # six bureaus reloaded
    second = store.publish(period, now=utcnow()).briefing
    note = second.revision_note
    assert len(note["late_loads"][0]["bureaus"]) == 6  # the load touched six bureaus ...

    zh = revision_lines(note, second.content, "zh")
    causes = [line for line in zh if line.startswith("原因")]
    assert len(causes) == 1
    assert "广东" in causes[0] and "监管线索系统" in causes[0] and "移送公安线索" in causes[0]
    assert not any(name in causes[0].replace("北京时间", "") for name in ("深圳", "浙江", "北京", "大连", "西藏"))
    assert "regulator_clues" not in "".join(zh) and "UTC" not in "".join(zh)
    finished = dt.datetime.fromisoformat(note["late_loads"][0]["finished_at"])
    assert beijing(note["late_loads"][0]["finished_at"]) in causes[0]
    assert beijing(finished.isoformat()) == (finished.replace(tzinfo=finished.tzinfo or dt.timezone.utc)
                                             .astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M"))
    assert "北京时间" in zh[0] and "广东 · 本季度：30 → 36（+6）" in "".join(zh)
    en = revision_lines(note, second.content, "en")
    assert any(line.startswith("Cause: a load of the regulator's clue system") and "Guangdong" in line and
               "Shenzhen" not in line for line in en)
    assert "(s)" not in "".join(en)
