"""etl/numerals.py: every way a hand-filled sheet writes a number reads as the same exact Decimal."""
from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.numerals import parse_number

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_with_separators_and_full_width(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".translate(FULL_WIDTH)) == n
    assert parse_number(f" {n} ") == n


@given(st.integers(min_value=0, max_value=10**9))
def test_chinese_numerals_as_a_person_writes_them(n):
    assert parse_number(cn2an.an2cn(n)) == n  # 一千二百, 十二, 六, 一百零五


@given(st.integers(min_value=1, max_value=99_999), st.sampled_from([("万", 10**4), ("亿", 10**8)]))
def test_a_scale_suffix(tenths, suffix):
    unit, scale = suffix
    text = f"{Decimal(tenths) / 10}{unit}"
    assert parse_number(text) == Decimal(tenths) / 10 * scale
    assert isinstance(parse_number(text), Decimal)


@pytest.mark.parametrize("text, value", [
    ("六", 6), ("十二", 12), ("一千二百", 1200), ("两千", 2000), ("1.2万", 12000), ("１２", 12), ("1,200", 1200),
    ("一万二千", 12000), ("一点五", Decimal("1.5")), ("３，５００", 3500), ("-3", -3),
])
def test_examples(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["若干", "N/A", "12,3x", "不详", "", "万", "1.2.3", "六七八x"])
def test_not_numbers(text):
    assert parse_number(text) is None
