"""SQLAlchemy 2 typed models of the metrics store, one module per concern behind one import path."""
from metrics.models.base import NATION, Base, UTCDateTime, utcnow
from metrics.models.briefing import BriefingSnapshot
from metrics.models.facts import (AggDay, AggDayTotal, AggMonth, AggMonthTotal, Annotation, DailyFact, ReportingUnit,
                                  UnitAlias)
from metrics.models.identity import ApiToken, AuditEvent, User
from metrics.models.records import PoliceRecord, ReferralRecord, SourceSubmission, SubmissionRule
from metrics.models.runs import EtlRun, JobFire, QuarantinedRow, SourceWatermark

__all__ = ["User", "ApiToken", "AuditEvent", "Base", "NATION", "ReportingUnit", "UnitAlias", "DailyFact", "AggDay",
           "AggMonth", "AggDayTotal", "AggMonthTotal", "EtlRun", "QuarantinedRow", "SourceWatermark", "JobFire",
           "BriefingSnapshot", "Annotation", "UTCDateTime", "utcnow", "ReferralRecord", "PoliceRecord",
           "SubmissionRule", "SourceSubmission"]
