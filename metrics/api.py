"""The public query API: the only module the dashboard, the CLI and the briefings read data through.

Every read is a method of MetricsQuery (or of `query.quality` / `query.briefings`), which needs a Principal;
a web process holds a MetricsStore (queries per principal, and the Accounts repository) and no engine.
"""
from metrics.access import ROLES, SYSTEM, AccessDenied, Principal
from metrics.catalog import (CATALOG, CATEGORIES, DIRECTIONS, METRICS, Direction, Metric, UnknownMetricError,
                             catalog_fingerprint, get_metric, metrics_in_direction)
from metrics.config import Settings
from metrics.db import StoreUnavailableError, check_reachable, make_engine, store_engine
from metrics.compare import MIN_BASE, CompareRequest, PeerBandRequest, pct_change, similar_size_peers
from metrics.query import MetricsQuery
from metrics.requests import ALL_METRICS, BreakdownRequest, QueryResult, SeriesRequest, TotalsRequest
from metrics.quality import ANOMALY_Z
from metrics.funnel import FALLBACK_MAX_LAG_DAYS, STAGES, FunnelResult
from metrics.coverage import DEFAULT_THRESHOLD as COVERAGE_THRESHOLD, STATES as COVERAGE_STATES, coverage_share
from metrics.quarantine import reason_kind
from metrics.findings import DISCREPANCY_COLUMNS, FINDING_COLUMNS
from metrics.quarantine_groups import GROUP_COLUMNS, suggest_unit
from metrics.status import STATUS_COLUMNS
from metrics.snapshots import (LEAD_METRICS, WINDOW_KINDS, Briefing, BriefingPeriod, PublishResult,
                               SnapshotNotFound, canonical_json)
from metrics.snapshots import BriefTextError, text_keys
from metrics.users import UserError, UserInfo
from metrics.accounts import Accounts
from metrics.audit_log import AuditRequest
from metrics.door import MetricsStore
from metrics.reads import (AnomalyRequest, BriefingReads, CoverageRequest, FunnelRequest, QualityReads,
                           QuarantineRequest, StatusRequest, UnitCoverageRequest)
from metrics.units import (HQ_CODE, NATION_CODE, Unit, UnknownUnitError, all_units, bureau_of, bureaus, children,
                           get_unit, top_level_units)
from metrics.windows import (CAMPAIGN_START, GRAINS, TZ, InvalidWindowError, Window, parse_date,
                             today_shanghai)
from metrics.i18n import DEFAULT_LANG, LANGS, MessageError, Messages, check_lang, localized, plural_category
from metrics.units import resolve_unit
from metrics.paging import MAX_PAGE, InvalidPageError, Page, PageRequest
from metrics.backup_rotation import BackupInfo, list_backups
from metrics.db import STORE_OUTAGE_ERRORS

# -- targets, expected by now, scorecard, alerts (issue 17): read through query.targets / query.alerts ------
from metrics.targets import (TARGET_COLUMNS, TargetError, TargetKey, period_label,  # noqa: E402
                             parse_targets_csv, read_targets_csv)
from metrics.target_status import STATUSES as TARGET_STATUSES  # noqa: E402
from metrics.target_reads import AlertReads, TargetReads  # noqa: E402
from metrics.scorecard import Scorecard  # noqa: E402
from metrics.alert_store import NOTICE_COLUMNS, AlertError, Digest, EventDraft  # noqa: E402
from metrics.alert_text import ALERT_MESSAGES, alert_rule_title, alert_text  # noqa: E402
from metrics.windows import add_months  # noqa: E402

__all__ = [name for name in dir() if not name.startswith("_")]
from metrics.returns import (RETURN_COVERAGE_STATES, RETURN_STATUSES, CheckedFigures, FiguresRejected,  # noqa: E402
                             NumberParser, ReturnNotFound, ReturnsDesk, ReturnType, ReturnTypeError, RowProblem,
                             SelfReviewError, WorkflowError, load_return_types, read_template,
                             totals as return_totals, write_template)
from metrics.returns.coverage_cells import CELLS as RETURN_CELLS, STATEMENT_OF_CELL  # noqa: E402

__all__ = [name for name in dir() if not name.startswith("_")]
