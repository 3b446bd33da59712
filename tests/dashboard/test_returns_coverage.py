"""The coverage matrix knows returns: the Data page's cells and the brief's coverage section come from one read
and say the same for a unit in each state (SQLite, PostgreSQL)."""
from __future__ import annotations

import datetime as dt

from briefing.coverage_text import coverage_notes, unit_period
from briefing.wording import t as brief_t
from dashboard.callbacks.data_returns import cell_names, returns_coverage_figure, returns_coverage_frame
from metrics.api import RETURN_CELLS, MetricsQuery, Principal, Window, get_unit
from metrics.snapshots.content import BriefingPeriod, build_content
from tests.metrics.returns_fixtures import EDU, HQ, desk, figures

HEBEI = "130000"
FILER, REVIEWER = Principal("hb_filer", "bureau", HEBEI), Principal("hb_reviewer", "bureau", HEBEI)
AS_OF = dt.date(2025, 12, 5)  # October's returns were due 11-10 (passed), November's 12-10 (not yet)
# Hebei's sub-bureaus in October, one per state (the rest of them are late too, like every other bureau's).
OCTOBER = {"130100": "covered", "130200": "covered_zero", "130300": "pending_submitted",
           "130400": "pending_sent_back", "130500": "missing_late", "130600": "pending_submitted"}
STATEMENT = {"covered": "reported", "covered_zero": "reported_zero"}  # the rest: not reported (never zero)


def seed(engine) -> None:
    d = desk(engine)
    d.publish_types()
    ids = {}
    for unit, cell in OCTOBER.items():
        if cell != "missing_late":
            given = figures("0", "0", "0") if cell == "covered_zero" else figures("4", "300", "1")
            ids[unit] = d.save(FILER, EDU, unit, "2025-10", given, submit=True)
    d.send_back(REVIEWER, ids["130400"], "场次与台账不符")
    d.approve(REVIEWER, ids["130600"])  # with HQ now: still pending
    for unit in ("130100", "130200"):
        d.approve(REVIEWER, ids[unit])
        d.approve(HQ, ids[unit])


def dashboard_cells(engine, lang: str) -> dict[tuple[str, str], str]:
    """(unit name, month) -> the label the Data page's returns heatmap shows, for Hebei's units."""
    frame = returns_coverage_frame(MetricsQuery(engine, HQ), Window(dt.date(2025, 10, 1), AS_OF), HEBEI)
    heat = returns_coverage_figure(frame, lang)["data"][0]
    return {(name, month): text for name, row in zip(heat["y"], heat["text"]) for month, text in zip(heat["x"], row)}


def test_the_data_page_and_the_brief_say_the_same_for_each_state(store_engine):
    seed(store_engine)
    content = build_content(store_engine, BriefingPeriod.for_as_of(AS_OF))
    frozen = content["coverage"]["activity_sheets"]["returns"][EDU]["cells"]
    brief_cell = {(i["unit"], i["period"]): cell for cell in RETURN_CELLS for i in frozen[cell]}
    for lang in ("zh", "en"):
        shown = dashboard_cells(store_engine, lang)
        notes = coverage_notes(content, [], lang)
        for unit, cell in {**OCTOBER, "130100-11": "missing_due"}.items():
            unit, period = (unit[:6], "2025-11") if unit.endswith("-11") else (unit, "2025-10")
            item = {"unit": unit, "period": period}
            name = unit_period(item, lang)
            assert brief_cell[(unit, period)] == cell, (unit, period)
            prefix = brief_t(f"coverage.return_{cell}", lang, source=brief_t("source.activity_sheets", lang),
                             count=len(frozen[cell]), units="\x00").split("\x00")[0]
            [note] = [n for n in notes if n.startswith(prefix)]
            assert name in note, (cell, name, note)
            assert shown[(get_unit(unit).name(lang), period)] == cell_names(lang)[cell]


def test_the_matrix_rows_carry_the_three_statements(store_engine):
    seed(store_engine)
    frame = returns_coverage_frame(MetricsQuery(store_engine, HQ), Window(dt.date(2025, 10, 1), AS_OF), HEBEI)
    october = frame[frame["period"] == "2025-10"].set_index("unit_code")
    for unit, cell in OCTOBER.items():
        assert october.loc[unit, "cell"] == cell
        assert october.loc[unit, "state"] == STATEMENT.get(cell, "not_reported")
    assert set(frame[frame["period"] == "2025-11"]["state"]) == {"not_due"}
    assert october.loc["130300", "return_state"] == "submitted" and october.loc["130500", "return_state"] == "late"
    # The Returns page reads the same states.
    listed = desk(store_engine).coverage(HQ, as_of=AS_OF, return_type=EDU)
    hebei = listed[(listed["period"] == "2025-10") & listed["unit_code"].isin(list(OCTOBER))]
    assert dict(zip(hebei["unit_code"], hebei["state"])) == {u: october.loc[u, "return_state"] for u in OCTOBER}


def test_a_sub_bureau_sees_only_its_own_cells(store_engine):
    seed(store_engine)
    mine = returns_coverage_frame(MetricsQuery(store_engine, Principal("sjz", "sub_bureau", "130100")),
                                  Window(dt.date(2025, 10, 1), AS_OF), None)
    assert set(mine["unit_code"]) == {"130100"} and list(mine["cell"]) == ["covered", "missing_due"]


def test_across_bureaus_the_heatmap_asks_for_a_bureau(store_engine):
    seed(store_engine)
    every = returns_coverage_frame(MetricsQuery(store_engine, HQ), Window(dt.date(2025, 10, 1), AS_OF), None)
    assert every["unit_code"].nunique() == 328  # the CSV's rows: every sub-bureau
    figure = returns_coverage_figure(every, "en")
    assert not figure["data"] and "Choose a bureau" in str(figure)  # an empty figure with the hint
