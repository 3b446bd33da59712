"""Bureau returns: declared forms, per-row checks, versions and a multi-level review workflow, deadlines and
quarter sign-off. Approved returns reach the facts only through the ETL's `returns` source kind."""
from metrics.returns.checks import CheckedFigures, NumberParser, RowProblem, check_figures, totals
from metrics.returns.deadlines import STATES as RETURN_COVERAGE_STATES
from metrics.returns.desk import ReturnsDesk
from metrics.returns.reads import approved_rows
from metrics.returns.signoff import grant_signatory, signoff_status
from metrics.returns.store import FiguresRejected, ReturnNotFound
from metrics.returns.types import ReturnField, ReturnType, ReturnTypeError, load_return_types, parse_return_types
from metrics.returns.workflow import STATUSES as RETURN_STATUSES, SelfReviewError, WorkflowError

__all__ = [name for name in dir() if not name.startswith("_")]
from metrics.returns.template import ParsedTemplate, read_template, write_template  # noqa: E402

__all__ = [name for name in dir() if not name.startswith("_")]
