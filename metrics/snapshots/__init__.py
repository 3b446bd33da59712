"""Quarterly briefing snapshots: frozen, versioned, hashed. See store.py for the publishing rules."""
from metrics.snapshots.content import LEAD_METRICS, WINDOW_KINDS, BriefingPeriod, build_content
from metrics.snapshots.store import (Briefing, BriefingStore, PublishResult, SnapshotNotFound, canonical_json,
                                     sha256_of)
from metrics.snapshots.texts import BriefingText, BriefingTexts, BriefTextError, text_keys

__all__ = ["LEAD_METRICS", "WINDOW_KINDS", "BriefingPeriod", "build_content", "Briefing", "BriefingStore",
           "PublishResult", "SnapshotNotFound", "canonical_json", "sha256_of", "BriefingText", "BriefingTexts",
           "BriefTextError", "text_keys"]
