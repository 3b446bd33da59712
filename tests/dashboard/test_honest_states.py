"""States a person can reach say what they are, over a seeded store (SQLite and PostgreSQL): growth on the
campaign to date, a metric whose source records no category, another bureau's tile, a unit or date in the URL."""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import pytest

from tests.auth_helpers import acting_as
from tests.dashboard import seed_data
from dashboard.callbacks import overview as overview_cb
from dashboard.callbacks import regions as regions_cb
from dashboard.callbacks import trends as trends_cb
from dashboard.callbacks.url_notices import url_notices
from dashboard.state import parse_search


def _texts(component) -> list[str]:
    """Every string in a rendered component tree."""
    found = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, (list, tuple)):
            for child in node:
                walk(child)
        elif hasattr(node, "children"):
            walk(node.children)
    walk(component)
    return found


def _message(fig: dict) -> str:
    return go.Figure(fig).layout.annotations[0].text


def test_growth_on_the_campaign_to_date_says_it_needs_a_previous_period(request_ctx):
    tiles, ranking, note = regions_cb.update_regions(True, "?measure=growth&lang=en")
    assert _message(tiles) == _message(ranking) == note
    assert note.startswith("Growth needs a period with a previous one")
    tiles, ranking, note = regions_cb.update_regions(True, "?measure=growth&range=lq")  # a quarter has one
    assert len(go.Figure(tiles).data) == 1 and not note.startswith("环比增长需要")
    cards = overview_cb.update_overview(True, "")[0]  # campaign to date: the dash says why, not "base too small"
    titles = {getattr(node, "title", None) for section in cards for card in section.children[1].children
              for node in card.children[3].children}
    assert titles == {"环比增长需要有上一期的期间（如本季度、上季度）；开展以来没有上一期", "同比需要上年同期也在行动期内"}


def test_a_metric_without_categories_is_not_available_for_a_category(request_ctx):
    uncategorised = sorted({m for m in seed_data.MONTHLY_NATIONAL} - seed_data.CATEGORISED)
    assert "risk_warnings" in uncategorised
    tiles, ranking, note = regions_cb.update_regions(True, "?metric=risk_warnings&cat=other&lang=en")
    assert note == _message(tiles) == "Not available for this category"
    assert len(go.Figure(regions_cb.update_regions(True, "?metric=clue_referrals&cat=other")[0]).data) == 1
    fig, note = trends_cb.update_trend(True, "?metrics=clue_referrals%2Crisk_warnings&cat=other")
    assert [tr.name for tr in go.Figure(fig).data if tr.showlegend is not False] == ["移送公安线索"]
    assert note == "该类别无此数据（来源系统不区分类别）：风险提示和公开声明"
    fig, note = trends_cb.update_trend(True, "?metrics=risk_warnings&cat=other&lang=en")
    assert _message(fig) == "Not available for this category" and note.endswith(": Risk warnings and public statements")
    cards = overview_cb.update_overview(True, "?cat=other")[0]
    by_metric = {card.id.removeprefix("kpi-"): card for section in cards for card in section.children[1].children}
    assert set(uncategorised) == {m for m, card in by_metric.items() if "kpi-card-unavailable" in card.className}
    assert "该类别无此数据" in _texts(by_metric["risk_warnings"]) and "0" not in _texts(by_metric["risk_warnings"])
    drill = regions_cb.update_drill(True, "?unit=440000&metric=risk_warnings&cat=other&lang=en")
    assert _message(drill.subs_figure) == _message(drill.trend_figure) == "Not available for this category"


def test_another_bureaus_tile_shows_its_bureau_level_trend_and_says_so(app, seeded, facts):
    with acting_as(app, seeded[0], "gd"):  # Guangdong's user clicks Sichuan
        drill = regions_cb.update_drill(True, "?unit=510000&range=lq&lang=en")
    assert _message(drill.subs_figure) == "Its sub-bureaus are not yours to see: showing Sichuan at bureau level"
    trend = go.Figure(drill.trend_figure)
    rows = facts[(facts["metric_id"] == "clue_referrals") & facts["unit_code"].str.startswith("51")
                 & (facts["day"] >= dt.date(2025, 7, 1)) & (facts["day"] <= dt.date(2025, 9, 30))]
    assert sum(y for y in trend.data[0].y if y is not None) == int(rows["value"].sum()) > 0
    assert "Sichuan" in trend.layout.annotations[0].text


@pytest.mark.parametrize("search, unit, notices", [
    ("?unit=江苏", "320000", []),
    ("?unit=苏&lang=en", "320000", []),
    ("?unit=X&lang=en", "nation", ["Unknown unit 'X': showing the nation"]),
    ("?range=custom&from=2025-02-30&to=2025-03-31", "nation", ["无效日期 2025-02-30，显示开展以来的数据"]),
    ("?from=2025-02-30&to=2025-03-31&lang=en", "nation", ["Invalid date 2025-02-30: showing the campaign to date"]),
    ("?range=custom&from=2025-05-01&to=2025-03-01&lang=en", "nation",
     ["The period starts (2025-05-01) after it ends (2025-03-01): showing the campaign to date"]),
])
def test_units_and_dates_in_the_url_resolve_or_are_named(request_ctx, search, unit, notices):
    assert parse_search(search)["unit"] == unit and url_notices(search) == notices
    for callback in (regions_cb.update_regions, trends_cb.update_trend, overview_cb.update_overview):
        callback(True, search)  # answers, never a 500


def test_the_notice_outlives_the_shells_rewrite_of_the_url(request_ctx):
    """The shell rewrites a URL it cannot show as asked into the one it shows; the notice must stay until the
    view changes (it was blanked by the rewrite, in the browser)."""
    from dashboard.callbacks.url_notices import remember_arrival, show_url_notices

    asked = remember_arrival("/", "?unit=Atlantis&lang=en")
    assert asked == "?unit=Atlantis&lang=en" and remember_arrival("/trends", None) == ""
    notice = show_url_notices(None, None, asked)
    assert notice == show_url_notices(None, asked, asked) == "Unknown unit 'Atlantis': showing the nation"
    assert show_url_notices(None, asked, "?lang=en") == notice  # the canonical URL of the same view
    assert show_url_notices(None, asked, "?unit=320000&lang=en") is None  # a new view
    asked = "?range=custom&from=2025-02-30&to=2025-03-31"
    assert show_url_notices(None, asked, "?range=custom") == "无效日期 2025-02-30，显示开展以来的数据"
    assert show_url_notices(None, asked, "?range=lq") is None
