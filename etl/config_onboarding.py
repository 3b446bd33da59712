"""Source-block parts for unseen sources: date formats checked on read, the load guard, monthly periods."""
from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_DIRECTIVE = re.compile(r"%(.)")
STRPTIME_DIRECTIVES = set("aAwdbBmyYHIpMSfzZjUWcxXGuV%")


def check_date_format(fmt: str) -> None:
    """'iso', 'excel' or a strptime pattern with known directives only ('YYYYMMDD' is not one)."""
    if fmt in ("iso", "excel"):
        return
    directives = _DIRECTIVE.findall(fmt)
    if not directives:
        raise ValueError(f"date format '{fmt}' has no % directive; write e.g. \"%Y%m%d\" or \"%Y-%m-%d\" "
                         f"(or 'iso', 'excel')")
    unknown = sorted({d for d in directives if d not in STRPTIME_DIRECTIVES})
    if unknown or fmt.endswith("%") and not fmt.endswith("%%"):
        shown = ", ".join(f"%{d}" for d in unknown) or "a lone % at the end"
        raise ValueError(f"date format '{fmt}' has an unknown directive ({shown})")


def check_groups(pattern: str, key: str, groups: tuple[str, ...]) -> str:
    """A regular expression with the named groups a block key needs."""
    try:
        have = re.compile(pattern).groupindex
    except re.error as exc:
        raise ValueError(f"{key} is not a regular expression: {exc}") from None
    if not set(groups) <= set(have):
        raise ValueError(f"{key} needs named groups " + " and ".join(f"(?P<{g}>...)" for g in groups))
    return pattern


class _Block(BaseModel):  # every part of a source block: unknown keys are errors; parsed blocks never change
    model_config = ConfigDict(extra="forbid", frozen=True)


class GuardSpec(_Block):
    """When a run is refused before commit (etl/guard.py): too much of it quarantined, or too much lost."""

    max_quarantine_share: float = Field(default=0.5, ge=0, le=1)  # of the rows read
    max_drop_share: float = Field(default=0.5, ge=0, le=1)  # of any metric's total over the restated days
    min_rows: int = Field(default=20, ge=1)  # smaller runs (and smaller totals, in facts) are not judged


class PeriodSpec(_Block):
    """Files: the month a monthly return covers, read from the title rows above the header."""

    title_pattern: str  # regex with named groups 'year' and 'month', e.g. '(?P<year>\d{4})年(?P<month>\d{1,2})月'

    @field_validator("title_pattern")
    @classmethod
    def _groups(cls, v):
        return check_groups(v, "title_pattern", ("year", "month"))


MONTH_FIELD = "_month"  # files: the month of a monthly return (file name or title), dated to its last day
FOOTERS = ("填表人", "填报人", "审核人", "审核", "填报日期", "制表", "单位负责人", "负责人", "联系人", "联系电话",
           "注", "备注", "说明", "签字", "签名", "盖章")
