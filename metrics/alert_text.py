"""How an alert reads, in either language: the digest email and the in-app notices list share it."""
from __future__ import annotations

from pathlib import Path

from metrics.catalog import METRICS
from metrics.i18n import Messages, localized
from metrics.units import NATION_CODE, get_unit

ALERT_MESSAGES = Messages.from_yaml(Path(__file__).with_name("alert_messages.yaml"))


def _number(value) -> str:
    return f"{round(float(value)):,}"


def alert_text(rule: str, detail: dict, lang: str) -> str:
    fields = dict(detail)
    if "unit" in fields:
        fields["unit"] = ALERT_MESSAGES.t("nation", lang) if fields["unit"] in (None, NATION_CODE) else \
            localized(get_unit(fields["unit"]), lang)
    if "metric" in fields:
        fields["metric"] = localized(METRICS[fields["metric"]], lang)
    for name in ("actual", "target", "expected", "value", "median"):
        if name in fields:
            fields[name] = _number(fields[name])
    if fields.get("since") == "never":
        fields["since"] = ALERT_MESSAGES.t("never", lang)
    return ALERT_MESSAGES.t(f"event_{rule}", lang, **fields)


def alert_rule_title(rule: str, lang: str) -> str:
    return ALERT_MESSAGES.t(f"rule_{rule}", lang)
