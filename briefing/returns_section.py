"""The brief's returns section: which bureaus confirmed the quarter (re-opened ones said so) and their
returns by status, from what the snapshot froze (content["returns"]; absent in briefs made before it)."""
from __future__ import annotations

from pathlib import Path

from metrics.api import Messages, get_unit

MESSAGES = Messages.from_yaml(Path(__file__).with_name("returns_messages.yaml"))
ORDER = ("approved", "bureau_approved", "submitted", "sent_back", "draft")


def returns_lines(content: dict, lang: str) -> list[str]:
    frozen = content.get("returns")
    if frozen is None:
        return []
    t = MESSAGES.t
    lines = [t("brief_signed", lang, bureau=get_unit(s["bureau"]).name(lang), by=s["by"], at=s["at"][:10],
               state=t(f"status_{s['state']}", lang)) for s in frozen["signoff"]]
    if not lines:
        lines.append(t("brief_none_signed", lang))
    for bureau, counts in frozen["returns"].items():
        text = ", ".join(f"{t(f'status_{k}', lang)} {counts[k]}" for k in ORDER if counts.get(k))
        lines.append(t("brief_returns_line", lang, bureau=get_unit(bureau).name(lang), counts=text))
    return lines


def returns_title(lang: str) -> str:
    return MESSAGES.t("brief_returns_title", lang)
