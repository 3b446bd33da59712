"""The public query API: the only module the dashboard, the CLI and the briefings read data through."""
from metrics.access import ROLES, SYSTEM, AccessDenied, Principal
from metrics.catalog import (CATALOG, CATEGORIES, DIRECTIONS, METRICS, Direction, Metric, UnknownMetricError,
                             catalog_fingerprint, get_metric, metrics_in_direction)
from metrics.db import StoreUnavailableError, check_reachable, make_engine
from metrics.compare import (MIN_BASE, CompareRequest, PeerBandRequest, compare, pct_change, peer_band,
                             similar_size_peers)
from metrics.query import MetricsQuery
from metrics.requests import ALL_METRICS, BreakdownRequest, QueryResult, SeriesRequest, TotalsRequest
from metrics.quality import ANOMALY_Z, anomalies
from metrics.funnel import FALLBACK_MAX_LAG_DAYS, STAGES, FunnelResult, funnel
from metrics.coverage import (STATES as COVERAGE_STATES, below_coverage, coverage_flags, coverage_matrix,
                              coverage_share, uncovered_metrics)
from metrics.quarantine import quarantine_rows, quarantine_summary, reason_kind
from metrics.status import STATUS_COLUMNS, source_status
from metrics.narrative import (amount_text, change_phrase, date_text, figure_text, floor_figure, official_figure,
                               pct_text, range_text)
from metrics.snapshots import (LEAD_METRICS, WINDOW_KINDS, Briefing, BriefingPeriod, BriefingStore, PublishResult,
                               SnapshotNotFound, canonical_json)
from metrics.users import (UserError, UserInfo, audit_log, authenticate, list_users, load_principal,
                           principal_for_token, record_audit)
from metrics.units import (HQ_CODE, NATION_CODE, Unit, UnknownUnitError, all_units, bureaus, children,
                           get_unit, top_level_units)
from metrics.windows import (CAMPAIGN_START, GRAINS, TZ, InvalidWindowError, Window, parse_date,
                             today_shanghai)
from metrics.alert_store import (NOTICE_COLUMNS, AlertError, Digest, EventDraft, in_scope, mark_emailed,  # noqa: E402
                                 mark_read, notices, pending_digests, record_events, subscribe, subscriptions)
from metrics.alert_text import ALERT_MESSAGES, alert_rule_title, alert_text  # noqa: E402
from metrics.windows import add_months  # noqa: E402

__all__ = [name for name in dir() if not name.startswith("_")]
# -- targets, expected by now, scorecard (issue 17) --------------------------------------------------------
from metrics.targets import (TARGET_COLUMNS, TargetError, TargetKey, current_targets, period_label,  # noqa: E402
                             parse_targets_csv, read_targets_csv, set_targets, target_history)
from metrics.target_status import STATUSES as TARGET_STATUSES, expected_share, target_status  # noqa: E402
from metrics.scorecard import Scorecard, load_config as scorecard_config, scorecard  # noqa: E402
from metrics.alert_store import (NOTICE_COLUMNS, AlertError, Digest, EventDraft, in_scope, mark_emailed,  # noqa: E402
                                 mark_read, notices, pending_digests, record_events, subscribe, subscriptions)
from metrics.alert_text import ALERT_MESSAGES, alert_rule_title, alert_text  # noqa: E402
from metrics.windows import add_months  # noqa: E402

__all__ = [name for name in dir() if not name.startswith("_")]
