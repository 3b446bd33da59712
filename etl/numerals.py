"""One parser for every number a source writes: 1,200 / 1.2万 / full-width １２ / Chinese numerals 六, 十二,
一千二百, 两千 / 3亿. Chinese numerals are read by cn2an; the result is an exact Decimal, never a float.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_SCALE = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_SEPARATORS = re.compile(r"[,，_\s]")  # NFKC has already made ， and full-width spaces plain
_CHINESE = re.compile(r"^负?[零〇一二两三四五六七八九十百千万亿点]+$")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _chinese(text: str) -> Decimal | None:
    import cn2an  # half a second to import: only when a sheet really writes numbers in words

    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return _decimal(repr(value)) if isinstance(value, float) else Decimal(int(value))


@lru_cache(maxsize=65536)
def parse_number(text: str) -> Decimal | None:
    """The number `text` writes, or None when it writes none ('若干', 'N/A', '12,3x')."""
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if not text:
        return None
    if _NUMBER.match(text):
        return _decimal(text)
    if text[-1] in _SCALE and _NUMBER.match(text[:-1]):
        return _decimal(text[:-1]) * _SCALE[text[-1]]
    if _CHINESE.match(text):
        return _chinese(text)
    return None
