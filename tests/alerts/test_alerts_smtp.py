"""Alerts end to end with a real SMTP server: one digest per subscriber, scoped by role, never sent twice."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml
from sqlalchemy.orm import Session

import app
from alerts.mail import parse_smtp_url
from alerts.run import run_alerts
from metrics.access import Principal
from metrics.alert_store import AlertError, notices, subscribe
from metrics.models import EtlRun
from metrics.store import replace_facts
from metrics.targets import TargetKey, set_targets
from metrics.users import add_user

NOW = dt.datetime(2026, 6, 15, 1, 0, tzinfo=dt.timezone.utc)  # 09:00 in Shanghai
RULES = ("behind_target", "anomalous_month", "source_stale", "source_failed", "brief_published")
EXPECTED = {"regulator_clues": dt.timedelta(hours=1), "police_intake": dt.timedelta(days=1)}
Y2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def _seed(engine) -> None:
    days = pd.date_range("2024-01-01", "2026-06-14").date
    facts = pd.DataFrame([("clue_referrals", code, d, "", 2) for code in ("440000", "510000", "110000")
                          for d in days if d.weekday() < 5],
                         columns=["metric_id", "unit_code", "day", "category", "value"])
    with Session(engine) as s, s.begin():
        replace_facts(s, source="regulator_clues", day_from=days[0], day_to=days[-1], facts=facts, run_id=None)
        s.add_all([EtlRun(source="regulator_clues", status="success", started_at=NOW - dt.timedelta(days=5),
                          finished_at=NOW - dt.timedelta(days=5)),
                   EtlRun(source="police_intake", status="success", started_at=NOW - dt.timedelta(minutes=30),
                          finished_at=NOW - dt.timedelta(minutes=20))])
    # Guangdong and Sichuan are far behind (a few hundred done of 10,000); Beijing is on track
    set_targets(engine, Principal("hq", "admin"), [
        (TargetKey("clue_referrals", "440000", *Y2026), 10_000, None),
        (TargetKey("clue_referrals", "510000", *Y2026), 10_000, None),
        (TargetKey("clue_referrals", "110000", *Y2026), 500, None)])
    for name, role, unit in (("boss", "admin", None), ("gd", "bureau", "440000"), ("sc", "bureau", "510000"),
                             ("lead", "leadership", None)):
        add_user(engine, name, role, "a-long-password-1", unit_code=unit)
    subscribe(engine, "boss", ["behind_target", "source_stale"], email="boss@example.org", known_rules=RULES)
    subscribe(engine, "gd", ["behind_target", "source_stale"], email="gd@example.org", lang="en", known_rules=RULES)
    subscribe(engine, "sc", ["behind_target"], email=None, known_rules=RULES)  # in-app only
    subscribe(engine, "lead", ["anomalous_month", "brief_published"], email=None, known_rules=RULES)


def test_one_digest_per_subscriber_scoped_and_never_twice(store_engine, smtp_server):
    _seed(store_engine)
    smtp = parse_smtp_url(smtp_server.url)
    first = run_alerts(store_engine, now=NOW, smtp=smtp, expected_every=EXPECTED)
    assert first.rule_errors == {}
    assert first.digests_sent == 2 and first.digests_pending == 0
    assert sorted(r[0] for r, _ in smtp_server.messages) == ["boss@example.org", "gd@example.org"]

    (boss,) = smtp_server.to("boss@example.org")
    body = boss.get_content()
    assert boss["From"] == "imd-alerts@example.org" and "3条新提醒" in boss["Subject"]
    assert "广东" in body and "四川" in body and "regulator_clues" in body
    assert "北京" not in body and "police_intake" not in body  # on track, fresh

    (gd,) = smtp_server.to("gd@example.org")
    gd_body = gd.get_content()
    assert gd["Subject"] == "IMD daily digest: 1 new alert"
    assert "Guangdong" in gd_body and "10,000" in gd_body
    assert "Sichuan" not in gd_body and "regulator_clues" not in gd_body  # not its bureau's

    sc = notices(store_engine, Principal("sc", "bureau", "510000"))
    assert [(r.rule, r.unit_code) for r in sc.itertuples()] == [("behind_target", "510000")]
    assert sc["emailed_at"].isna().all()

    # the same day, and the next: nothing new is raised or sent
    for later in (NOW, NOW + dt.timedelta(days=1)):
        again = run_alerts(store_engine, now=later, smtp=smtp, expected_every=EXPECTED)
        assert (again.new_events, again.digests_sent) == (0, 0)
    assert len(smtp_server.messages) == 2


def test_an_unreachable_server_keeps_the_digest_for_the_next_run(store_engine, smtp_server):
    _seed(store_engine)
    down = parse_smtp_url("smtp://127.0.0.1:9?from=imd@example.org")  # nothing listens on port 9
    first = run_alerts(store_engine, now=NOW, smtp=down, expected_every=EXPECTED)
    assert first.digests_sent == 0 and first.digests_pending == 2
    second = run_alerts(store_engine, now=NOW, smtp=parse_smtp_url(smtp_server.url), expected_every=EXPECTED)
    assert (second.new_events, second.digests_sent) == (0, 2)
    assert len(smtp_server.messages) == 2


def test_subscriptions_are_checked(store_engine):
    add_user(store_engine, "gd", "bureau", "a-long-password-1", unit_code="440000")
    with pytest.raises(AlertError, match="unknown rule"):
        subscribe(store_engine, "gd", ["behind"], email=None, known_rules=RULES)
    with pytest.raises(AlertError, match="not an email"):
        subscribe(store_engine, "gd", ["behind_target"], email="gd at example", known_rules=RULES)
    with pytest.raises(AlertError, match="no active user"):
        subscribe(store_engine, "nobody", ["behind_target"], email=None, known_rules=RULES)


def test_cli_alerts_run_sends_once(monkeypatch, tmp_path, smtp_server, capsys):
    monkeypatch.setenv("IMD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("IMD_SMTP_URL", smtp_server.url)
    for name in ("IMD_DATABASE_URL", "IMD_DATABASE_SCHEMA", "IMD_SOURCES"):
        monkeypatch.delenv(name, raising=False)
    app.get_settings.cache_clear()
    try:
        assert app.main(["db", "upgrade"]) == 0
        add_user(app.make_store_engine(app.get_settings()), "ops", "admin", "a-long-password-1")
        assert app.main(["alerts", "subscribe", "ops", "--rules", "source_stale", "--email", "ops@example.org",
                         "--lang", "en"]) == 0
        assert app.main(["alerts", "subscribe", "ops", "--rules", "stale"]) == 2
        assert capsys.readouterr().err.count("\n") == 1
        sources = len(yaml.safe_load(app.get_settings().sources_path.read_text(encoding="utf-8"))["sources"])
        assert app.main(["alerts", "run"]) == 0
        # every demo source has never run: one stale alert each
        assert f"{sources} new alert(s); 1 digest(s) sent" in capsys.readouterr().out
        (message,) = smtp_server.to("ops@example.org")
        assert message["Subject"] == f"IMD daily digest: {sources} new alerts"
        assert app.main(["alerts", "run"]) == 0
        assert "0 new alert(s); 0 digest(s) sent" in capsys.readouterr().out
        assert len(smtp_server.messages) == 1
        monkeypatch.setenv("IMD_SMTP_URL", "http://mail.example.org")
        app.get_settings.cache_clear()
        assert app.main(["alerts", "run"]) == 2
        assert "is not smtp://" in capsys.readouterr().err
    finally:
        app.get_settings.cache_clear()


def test_a_published_brief_and_an_anomalous_month_reach_their_subscribers(store_engine, smtp_server):
    from metrics.api import SYSTEM, BriefingPeriod, MetricsQuery

    _seed(store_engine)
    # May 2026 in Guangdong: 400 referrals on one day against a steady 40 or so a month
    spike = pd.DataFrame([("clue_referrals", "440000", dt.date(2026, 5, 20), "", 400)],
                         columns=["metric_id", "unit_code", "day", "category", "value"])
    with Session(store_engine) as s, s.begin():
        replace_facts(s, source="spike", day_from=dt.date(2026, 5, 20), day_to=dt.date(2026, 5, 20), facts=spike,
                      run_id=None)
    MetricsQuery(store_engine, SYSTEM).briefings.publish(BriefingPeriod.for_quarter("2026Q1"),
                                                         now=NOW - dt.timedelta(days=2))
    subscribe(store_engine, "lead", ["anomalous_month", "brief_published"], email="lead@example.org", lang="en",
              known_rules=RULES)
    subscribe(store_engine, "sc", ["anomalous_month"], email="sc@example.org", known_rules=RULES)
    run_alerts(store_engine, now=NOW, smtp=parse_smtp_url(smtp_server.url), expected_every=EXPECTED)
    (lead,) = smtp_server.to("lead@example.org")
    body = lead.get_content()
    assert "The 2026Q1 brief, version 1, is published" in body
    assert "Guangdong, Clues referred to police: 4" in body and "in 2026-05" in body
    assert not smtp_server.to("sc@example.org")  # Sichuan had no anomaly, and Guangdong's is not its own
