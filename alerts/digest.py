"""The text of a daily digest and of an in-app notice, in the subscriber's language."""
from __future__ import annotations

from pathlib import Path

from metrics.api import METRICS, NATION_CODE, Digest, get_unit
from metrics.i18n import Messages, localized

MESSAGES = Messages.from_yaml(Path(__file__).with_name("messages.yaml"))


def _number(value) -> str:
    return f"{round(float(value)):,}"


def event_text(rule: str, detail: dict, lang: str) -> str:
    fields = dict(detail)
    if "unit" in fields:
        fields["unit"] = MESSAGES.t("nation", lang) if fields["unit"] in (None, NATION_CODE) else \
            localized(get_unit(fields["unit"]), lang)
    if "metric" in fields:
        fields["metric"] = localized(METRICS[fields["metric"]], lang)
    for name in ("actual", "target", "expected", "value", "median"):
        if name in fields:
            fields[name] = _number(fields[name])
    if fields.get("since") == "never":
        fields["since"] = MESSAGES.t("never", lang)
    return MESSAGES.t(f"event_{rule}", lang, **fields)


def rule_title(rule: str, lang: str) -> str:
    return MESSAGES.t(f"rule_{rule}", lang)


def digest_message(digest: Digest) -> tuple[str, str]:
    """(subject, plain-text body): the events grouped by rule."""
    lang = digest.lang
    lines = [MESSAGES.t("digest_greeting", lang, user=digest.user), ""]
    rules = list(dict.fromkeys(e["rule"] for e in digest.events))
    for rule in rules:
        lines.append(f"## {rule_title(rule, lang)}")
        lines.extend(f"- {event_text(rule, e['detail'], lang)}" for e in digest.events if e["rule"] == rule)
        lines.append("")
    lines.append(MESSAGES.t("digest_footer", lang))
    return MESSAGES.t("digest_subject", lang, count=len(digest.events)), "\n".join(lines) + "\n"
