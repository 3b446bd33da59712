"""`db backup --out FILE` and `db restore FILE [--force]` (metrics.backup)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from metrics.backup import backup, meta_path, restore
from metrics.db import store_engine, upgrade


def _engine(settings):
    # A store of any schema: an older one is backed up as it is; a restore brings it to this release's.
    return store_engine(settings, check=True, any_schema=True)


def cmd_backup(args, settings) -> int:
    result = backup(_engine(settings), Path(args.out), now=dt.datetime.now(dt.timezone.utc))
    facts = result.checksum.tables["daily_fact"].rows
    print(f"backup of the {result.backend} store written to {result.path} ({result.bytes:,} bytes, {facts:,} facts, "
          f"checksum {result.checksum.digest[:16]}, {result.seconds:.1f} s)")
    return 0


def cmd_restore(args, settings) -> int:
    engine = _engine(settings)
    checksum = restore(engine, Path(args.file), force=args.force)
    upgrade(engine)  # a backup from an older release is brought to this release's schema
    verdict = "matches the backup" if meta_path(Path(args.file)).is_file() else f"(no {meta_path(Path(args.file)).name} to check against)"
    print(f"restored {args.file}: {checksum.tables['daily_fact'].rows:,} facts, checksum {checksum.digest[:16]} {verdict}")
    return 0
