"""The text of a daily digest, in the subscriber's language (each line as the in-app notice reads)."""
from __future__ import annotations

from metrics.api import ALERT_MESSAGES, Digest, alert_rule_title, alert_text


def digest_message(digest: Digest) -> tuple[str, str]:
    """(subject, plain-text body): the events grouped by rule."""
    lang = digest.lang
    lines = [ALERT_MESSAGES.t("digest_greeting", lang, user=digest.user), ""]
    for rule in dict.fromkeys(e["rule"] for e in digest.events):
        lines.append(f"## {alert_rule_title(rule, lang)}")
        lines.extend(f"- {alert_text(rule, e['detail'], lang)}" for e in digest.events if e["rule"] == rule)
        lines.append("")
    lines.append(ALERT_MESSAGES.t("digest_footer", lang))
    return ALERT_MESSAGES.t("digest_subject", lang, count=len(digest.events)), "\n".join(lines) + "\n"
