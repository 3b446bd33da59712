"""The metric catalog: one declarative record per metric.

Ids are part of the public interface (CLI, API, exports); see shared/domain.md.
How a metric is aggregated is declared here; how queries are compiled lives in `query.py`.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from enum import IntEnum


class Direction(IntEnum):
    JOINT_GOVERNANCE = 1
    TARGETED_TREATMENT = 2
    PROACTIVE_ACTION = 3
    SOURCE_GOVERNANCE = 4


@dataclass(frozen=True, slots=True)
class DirectionInfo:
    number: Direction
    name_en: str
    name_zh: str


DIRECTIONS: tuple[DirectionInfo, ...] = (
    DirectionInfo(Direction.JOINT_GOVERNANCE, "From divided operations to joint governance", "从“分兵作战”到“联合治理”"),
    DirectionInfo(Direction.TARGETED_TREATMENT, "From routine inspections to targeted treatment", "从“常规检查”到“靶向治理”"),
    DirectionInfo(Direction.PROACTIVE_ACTION, "From passive response to proactive action", "从“被动应对”到“主动出击”"),
    DirectionInfo(Direction.SOURCE_GOVERNANCE, "From end-of-line disposal to source governance", "从“末端处置”到“源头治理”"),
)


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    name_en: str
    name_zh: str
    unit: str  # count | yuan | people
    direction: Direction
    source_system: str
    description: str
    # Published national figure for 2023-06-01..2025-11-30 ("over N"), where one exists.
    published_over: int | None = None
    # Zh measure word used in official phrasing (条, 件, 次, 篇, 人).
    measure_zh: str = "件"


CATALOG: tuple[Metric, ...] = (
    Metric("clues_identified", "Clues identified", "发现线索", "count", Direction.TARGETED_TREATMENT,
           "regulator_clues", "Clues found in supervisory data, inspections, complaints and institution reports.",
           measure_zh="条"),
    Metric("clue_referrals", "Clues referred to police", "移送公安线索", "count", Direction.JOINT_GOVERNANCE,
           "regulator_clues", "Clues referred to public security by the regulator.", 4500, "条"),
    Metric("clue_referral_amount", "Amount in referred clues", "移送线索涉案金额", "yuan", Direction.JOINT_GOVERNANCE,
           "regulator_clues", "Amount involved in the clues referred to public security.", 21_000_000_000, "元"),
    Metric("referrals_accepted", "Referrals accepted by police", "公安受理移送线索", "count", Direction.JOINT_GOVERNANCE,
           "police_intake", "Referrals the police accepted.", measure_zh="条"),
    Metric("cases_filed", "Cases filed by police", "公安立案", "count", Direction.JOINT_GOVERNANCE,
           "police_intake", "Referrals on which the police filed a case.", measure_zh="起"),
    Metric("institution_reports", "Crime reports by institutions", "机构报案", "count", Direction.JOINT_GOVERNANCE,
           "institution_reports", "Crime reports filed by banks and insurers under regulatory guidance.", 1700, "件"),
    Metric("institution_report_amount", "Amount in institution reports", "机构报案涉案金额", "yuan",
           Direction.JOINT_GOVERNANCE, "institution_reports", "Amount involved in institutions' crime reports.",
           17_000_000_000, "元"),
    Metric("major_cases", "Major cases (>= 100 million yuan)", "亿元以上大案", "count", Direction.TARGETED_TREATMENT,
           "regulator_clues", "Clues of 100,000,000 yuan or more found through supervisory big data.", measure_zh="起"),
    Metric("special_inspections", "Special inspections", "专项检查", "count", Direction.TARGETED_TREATMENT,
           "inspections", "Special on-site inspections.", measure_zh="次"),
    Metric("risk_warnings", "Risk warnings and public statements", "风险提示和公开声明", "count",
           Direction.PROACTIVE_ACTION, "publications", "Risk warnings and public statements published.", 1100, "次"),
    Metric("ads_removed", "Illegal adverts removed", "清理违法广告", "count", Direction.PROACTIVE_ACTION,
           "publications", "Illegal adverts taken down together with other departments.", measure_zh="条"),
    Metric("education_events", "Consumer education events", "消费者教育活动", "count", Direction.SOURCE_GOVERNANCE,
           "activity_sheets", "Consumer education events held.", 1700, "场"),
    Metric("education_participants", "People reached by education", "教育活动覆盖人次", "people",
           Direction.SOURCE_GOVERNANCE, "activity_sheets", "People reached by consumer education events.",
           measure_zh="人次"),
    Metric("media_reports", "Media reports", "媒体报道", "count", Direction.SOURCE_GOVERNANCE,
           "activity_sheets", "Media reports on the campaign.", 300, "篇"),
    Metric("regulatory_documents", "Regulatory documents issued or revised", "制修订制度文件", "count",
           Direction.SOURCE_GOVERNANCE, "documents", "Regulatory documents issued or revised.", 160, "件"),
)

METRICS: dict[str, Metric] = {m.id: m for m in CATALOG}
# The day the published figures (published_over) were counted to.
PUBLISHED_AS_OF = "2025-11-30"

# Categories: the black-and-grey industries of the campaign. '' means "not categorised".
CATEGORIES: dict[str, tuple[str, str]] = {
    "illegal_loan_intermediary": ("Illegal loan intermediaries", "非法贷款中介"),
    "vehicle_insurance_fraud": ("Vehicle-insurance fraud", "车险欺诈"),
    "fake_rights_protection": ("Fake rights-protection agents", "代理维权/代理退保"),
    "anti_debt_collection": ("Anti-debt-collection gangs", "反催收"),
    "fake_credit_repair": ("Fake credit repair", "征信修复"),
    "account_card_trading": ("Rented or sold accounts and cards", "两卡"),
    "illegal_fundraising": ("Illegal fundraising", "非法集资"),
    "other": ("Other", "其他"),
}
UNCATEGORISED = ""


class UnknownMetricError(KeyError):
    def __str__(self) -> str:  # KeyError quotes its message; a user needs a plain sentence
        return f"unknown metric '{self.args[0]}'; known metrics: {', '.join(METRICS)}"


def get_metric(metric_id: str) -> Metric:
    try:
        return METRICS[metric_id]
    except KeyError:
        raise UnknownMetricError(metric_id) from None


def metrics_in_direction(direction: int) -> tuple[Metric, ...]:
    return tuple(m for m in CATALOG if m.direction == direction)


def catalog_fingerprint() -> str:
    """A stable hash of every metric definition, so a snapshot can say which definitions it used."""
    payload = json.dumps([{**asdict(m), "direction": int(m.direction)} for m in CATALOG],
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]
