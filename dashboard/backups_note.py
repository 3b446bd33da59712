"""The Data page's line about the scheduled backups (metrics.api.list_backups)."""
from __future__ import annotations

from metrics.api import TZ, list_backups

from dashboard.data import current_principal, get_context
from dashboard.i18n import t


def backup_note(lang: str) -> str:
    settings = get_context().settings
    directory = getattr(getattr(settings, "backup", None), "directory", None)
    if directory is None:
        return t("backups_off", lang)
    kept = list_backups(current_principal(), directory)
    if not kept:
        return t("backups_none", lang)
    latest = kept[0]
    return t("backups_latest", lang, time=f"{latest.created_at.astimezone(TZ):%Y-%m-%d %H:%M}",
             size=f"{latest.bytes / 1e6:,.1f}", facts=f"{latest.facts:,}", count=len(kept))
