"""window_parts: the signed parts of any window count each of its days exactly once and no other day."""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from metrics.window_parts import Part, window_parts
from metrics.windows import Window, month_end

D = dt.date


def _days(start: dt.date, end: dt.date):
    while start <= end:
        yield start
        start += dt.timedelta(days=1)


def _coverage(parts) -> Counter:
    """How many times each day is counted (a month part counts every day of its months)."""
    count: Counter = Counter()
    for p in parts:
        if p.table == "month":
            assert p.start.day == 1 and p.end.day == 1
            for day in _days(p.start, month_end(p.end)):
                count[day] += p.sign
        else:
            for day in _days(p.start, p.end):
                count[day] += p.sign
    return count


def _random_windows(n: int):
    rng = random.Random(20240229)
    for _ in range(n):
        start = D(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
        length = rng.choice([0, 1, 2, rng.randint(3, 40), rng.randint(28, 800)])
        if rng.random() < 0.2:
            start = start.replace(day=1)
        end = start + dt.timedelta(days=length)
        if rng.random() < 0.2:
            end = month_end(end)
        yield Window(start, end)


def test_every_day_of_the_window_counts_once_and_no_other_day():
    for window in _random_windows(3000):
        for complements in (True, False):
            counted = {day: n for day, n in _coverage(window_parts(window, complements=complements)).items() if n}
            assert counted == {day: 1 for day in _days(window.start, window.end)}, window


def test_edges_read_at_most_about_half_a_month_of_days():
    for window in _random_windows(3000):
        day_reads = sum((p.end - p.start).days + 1 for p in window_parts(window) if p.table == "day")
        assert day_reads <= 2 * 17, (window, window_parts(window))


def test_without_complements_no_day_outside_the_window_is_read():
    for window in _random_windows(1000):
        for p in window_parts(window, complements=False):
            assert p.sign == 1
            if p.table == "day":
                assert window.start <= p.start <= p.end <= window.end


def test_a_mostly_covered_month_is_read_whole_minus_the_days_outside():
    parts = window_parts(Window(D(2024, 1, 3), D(2024, 3, 29)))
    assert [(p.table, p.start, p.end, p.sign) for p in parts] == [
        ("month", D(2024, 1, 1), D(2024, 3, 1), 1),
        ("day", D(2024, 1, 1), D(2024, 1, 2), -1),
        ("day", D(2024, 3, 30), D(2024, 3, 31), -1)]
    few = window_parts(Window(D(2024, 1, 28), D(2024, 3, 5)))  # a few days at each edge: read as days
    assert [(p.table, p.start, p.end, p.sign) for p in few] == [
        ("month", D(2024, 2, 1), D(2024, 2, 1), 1),
        ("day", D(2024, 1, 28), D(2024, 1, 31), 1),
        ("day", D(2024, 3, 1), D(2024, 3, 5), 1)]
    assert window_parts(Window(D(2024, 1, 28), D(2024, 3, 5)), days_only=True) == [
        Part("day", D(2024, 1, 28), D(2024, 3, 5), 1)]
