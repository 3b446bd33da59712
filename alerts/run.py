"""One evaluation: every rule once, new events recorded with their notices, then one digest per subscriber."""
from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field

from sqlalchemy import Engine

from alerts.digest import digest_message
from alerts.mail import Mailer, SmtpConfig
from alerts.rules import RULES, AlertContext
from metrics.api import SYSTEM, Accounts, MetricsQuery

log = logging.getLogger("imd.alerts")


@dataclass(slots=True)
class AlertRunReport:
    new_events: int = 0
    digests_sent: int = 0
    digests_pending: int = 0  # not sent: no SMTP configured, or the server refused; retried next run
    rule_errors: dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        text = (f"{self.new_events} new alert(s); {self.digests_sent} digest(s) sent, "
                f"{self.digests_pending} pending")
        if self.rule_errors:
            text += "; rules failed: " + ", ".join(f"{k} ({v})" for k, v in sorted(self.rule_errors.items()))
        return text


def run_alerts(engine: Engine, *, now: dt.datetime, smtp: SmtpConfig | None,
               expected_every: dict[str, dt.timedelta] | None = None, rules: dict | None = None) -> AlertRunReport:
    report = AlertRunReport()
    ctx = AlertContext(engine, now, expected_every or {})
    drafts = []
    for name, rule in (rules or RULES).items():
        try:
            drafts.extend(rule(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not silence the others
            log.exception("alert rule %s failed", name)
            report.rule_errors[name] = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    store = MetricsQuery(engine, SYSTEM).alerts
    report.new_events = len(store.record_events(drafts, now=now))
    digests = store.pending_digests()
    if smtp is None or not digests:
        report.digests_pending = len(digests)
        return report
    try:
        with Mailer(smtp) as mailer:
            for digest in digests:
                subject, body = digest_message(digest)
                try:
                    mailer.send(digest.email, subject, body)
                except smtplib.SMTPException as exc:
                    log.warning("digest to %s refused: %s", digest.email, exc)
                    report.digests_pending += 1
                    continue
                ids = [e["id"] for e in digest.events]
                store.mark_emailed(digest.user_id, ids, now=now)
                Accounts(engine).record_audit("alert_digest", actor="alerts",
                                              detail={"user": digest.user, "events": ids, "to": digest.email})
                report.digests_sent += 1
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("SMTP server %s:%s unreachable: %s", smtp.host, smtp.port, exc)
        report.digests_pending = len(digests) - report.digests_sent
    return report
