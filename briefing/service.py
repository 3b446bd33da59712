"""Generating a brief end to end (snapshot, then files), and the quarterly scheduler job."""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger

from metrics.api import SYSTEM, TZ, Briefing, BriefingPeriod, MetricsQuery, Settings, today_shanghai

from briefing.export import LANGS, RenderedBrief, brief_directory, brief_stem, render_brief
from briefing.png_export import PngExporter

log = logging.getLogger("imd.briefing")
JOB_ID = "briefing:quarterly"
# A fire that starts late (restart, busy machine) still runs the same day; publishing is idempotent.
MISFIRE_GRACE_SECONDS = 6 * 3600


@dataclass(frozen=True, slots=True)
class BriefingOutcome:
    briefing: Briefing
    created: bool | None  # None: a draft; False: content equal to the latest version, which was kept
    rendered: RenderedBrief
    seconds: float


def _already_rendered(briefing: Briefing, root: Path, langs: tuple[str, ...]) -> RenderedBrief | None:
    directory = brief_directory(root, briefing)
    html = {lang: directory / f"{brief_stem(briefing, lang)}.html" for lang in langs}
    pdf = {lang: directory / f"{brief_stem(briefing, lang)}.pdf" for lang in langs}
    docx = {lang: directory / f"{brief_stem(briefing, lang)}.docx" for lang in langs}
    if briefing.is_draft or not all(p.exists() for p in (*html.values(), *pdf.values(), *docx.values())):
        return None
    png = {lang: sorted((directory / "charts").glob(f"*_{lang}.png")) for lang in langs}
    return RenderedBrief(directory, html, pdf, png, docx)


def ensure_rendered(briefing: Briefing, root: Path, langs: tuple[str, ...] = LANGS) -> RenderedBrief:
    """A published version's files are rendered once from its frozen payload and reused afterwards."""
    return _already_rendered(briefing, root, langs) or render_brief(briefing, root, langs)


def generate_briefing(engine, period: BriefingPeriod, *, out_dir: Path, now: dt.datetime,
                      langs: tuple[str, ...] = LANGS, publish: bool = False, force: bool = False) -> BriefingOutcome:
    started = time.perf_counter()
    store = MetricsQuery(engine, SYSTEM).briefings  # the CLI and the quarterly job act as the system
    with PngExporter() as png:  # its browser starts while the snapshot is taken
        if publish:
            result = store.publish(period, now=now, force=force)
            briefing, created = result.briefing, result.created
        else:
            briefing, created = store.build(period, now=now), None
        rendered = (_already_rendered(briefing, Path(out_dir), langs)
                    or render_brief(briefing, Path(out_dir), langs, png))
    return BriefingOutcome(briefing, created, rendered, time.perf_counter() - started)


def run_quarterly_briefing(settings: Settings, engine, now: dt.datetime) -> BriefingOutcome:
    """Publish and render the brief of the quarter that ended before `now` (Asia/Shanghai)."""
    period = BriefingPeriod.last_completed_quarter(today_shanghai(now))
    outcome = generate_briefing(engine, period, out_dir=settings.briefings_dir, now=now, publish=True)
    log.info("briefing %s version %s %s in %.1f s", period.label, outcome.briefing.version,
             "published" if outcome.created else "unchanged", outcome.seconds)
    return outcome


def briefing_trigger(settings: Settings) -> CronTrigger:
    """Day `briefing_day` of the month after each quarter, at `briefing_hour`, Asia/Shanghai."""
    return CronTrigger(month="1,4,7,10", day=settings.scheduler.briefing_day, hour=settings.scheduler.briefing_hour,
                       minute=0, timezone=TZ)


def _scheduled_briefing(settings: Settings, engine) -> None:
    run_quarterly_briefing(settings, engine, dt.datetime.now(dt.timezone.utc))  # the job's edge: read the clock


def add_briefing_job(scheduler, settings: Settings, engine) -> None:
    """Register the quarterly job on the application's one scheduler."""
    scheduler.add_job(_scheduled_briefing, trigger=briefing_trigger(settings), args=(settings, engine), id=JOB_ID,
                      name=JOB_ID, replace_existing=True, coalesce=True, max_instances=1,
                      misfire_grace_time=MISFIRE_GRACE_SECONDS)
