"""Date windows and time grains. Dates are calendar days in Asia/Shanghai."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
CAMPAIGN_START = dt.date(2023, 6, 1)
GRAINS = ("day", "week", "month", "quarter", "year")


class InvalidWindowError(ValueError):
    pass


def parse_date(text: str) -> dt.date:
    """Strict ISO date; the message names the bad value (2025-02-30 is not a date)."""
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidWindowError(f"'{text}' is not a date (expected YYYY-MM-DD)") from None


def today_shanghai(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(TZ).date()


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True, slots=True)
class Window:
    """An inclusive range of calendar days."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidWindowError(f"from {self.start} is later than to {self.end}")

    @classmethod
    def campaign_to_date(cls, as_of: dt.date) -> Window:
        return cls(CAMPAIGN_START, as_of)

    @classmethod
    def quarter(cls, label: str) -> Window:
        m = re.fullmatch(r"(\d{4})Q([1-4])", label.strip().upper())
        if not m:
            raise InvalidWindowError(f"'{label}' is not a quarter (expected e.g. 2025Q4)")
        year, q = int(m.group(1)), int(m.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        return cls(start, month_end(add_months(start, 2)))

    @classmethod
    def quarter_of(cls, day: dt.date) -> Window:
        return cls.quarter(f"{day.year}Q{(day.month - 1) // 3 + 1}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def month_aligned(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.end)

    def _months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> Window:
        """The period just before: the previous calendar months when aligned, else the same number of days."""
        if self.month_aligned:
            n = self._months()
            start = add_months(self.start, -n)
            return Window(start, month_end(add_months(start, n - 1)))
        return Window(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def year_ago(self) -> Window:
        end = add_months(self.end, -12)
        if self.month_aligned:
            end = month_end(end)
        return Window(add_months(self.start, -12), end)

    def clip(self, lo: dt.date) -> Window | None:
        """The part of the window on or after `lo`, or None."""
        if self.end < lo:
            return None
        return Window(max(self.start, lo), self.end)

    def full_months(self) -> Window | None:
        """The whole calendar months inside the window."""
        first = self.start if self.start.day == 1 else month_end(self.start) + dt.timedelta(days=1)
        last = self.end if self.end == month_end(self.end) else self.end.replace(day=1) - dt.timedelta(days=1)
        return Window(first, last) if first <= last else None

    def label(self) -> str:
        if self.month_aligned and self._months() == 3 and self.start.month % 3 == 1:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"
