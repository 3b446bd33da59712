"""The one message mechanism: catalogs with both languages, CLDR plurals, loud failures."""
from __future__ import annotations

import pytest

from metrics.i18n import MessageError, Messages, localized, plural_category
from metrics.api import METRICS

CATALOG = Messages({
    "cases": {"zh": "{count}起", "en": {"one": "{count} major case", "other": "{count} major cases"}},
    "hello": {"zh": "你好，{name}", "en": "Hello, {name}"},
})


@pytest.mark.parametrize("count, expected", [(0, "0 major cases"), (1, "1 major case"), (2, "2 major cases")])
def test_english_plurals_follow_cldr(count, expected):
    assert CATALOG.t("cases", "en", count=count) == expected


def test_chinese_has_no_plural_forms_and_fields_fill_in():
    assert plural_category("zh", 1) == "other"
    assert CATALOG.t("cases", "zh", count=1) == "1起"
    assert CATALOG.t("hello", "en", name="Ann") == "Hello, Ann"


def test_missing_key_language_or_count_fails_loudly():
    with pytest.raises(MessageError):
        CATALOG.t("nope", "zh")
    with pytest.raises(MessageError):
        CATALOG.t("hello", "fr", name="x")
    with pytest.raises(MessageError):
        CATALOG.t("cases", "en")
    with pytest.raises(MessageError, match="no en text"):
        Messages({"half": {"zh": "半"}})


def test_localized_reads_catalog_names():
    m = METRICS["clue_referrals"]
    assert localized(m, "zh") == m.name_zh and localized(m, "en") == m.name_en
