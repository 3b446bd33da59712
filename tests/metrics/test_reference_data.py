"""Consistency checks for the shipped reference data in metrics/data/.

Reads the CSV files with the csv module only, so a broken reference file is
reported here rather than as an obscure failure somewhere in the ETL.
"""
import csv
from decimal import Decimal
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "metrics" / "data"

BUREAU_CODES = {
    "110000", "120000", "130000", "140000", "150000",
    "210000", "210200", "220000", "230000",
    "310000", "320000", "330000", "330200", "340000", "350000", "350200", "360000",
    "370000", "370200",
    "410000", "420000", "430000", "440000", "440300", "450000", "460000",
    "500000", "510000", "520000", "530000", "540000",
    "610000", "620000", "630000", "640000", "650000",
}
CITY_BUREAUS = {"210200": "210000", "330200": "330000", "350200": "350000",
                "370200": "370000", "440300": "440000"}
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
HQ = "000000"
ALIAS_KINDS = {"full_name", "short_name", "abbreviation", "bureau_name", "old_bureau_name",
               "english", "sub_bureau_name"}


def read(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def units():
    return read("units.csv")


@pytest.fixture(scope="module")
def aliases():
    return read("aliases.csv")


@pytest.fixture(scope="module")
def denominators():
    return read("denominators.csv")


def by_kind(units, kind):
    return [u for u in units if u["kind"] == kind]


# ---------------------------------------------------------------- units.csv

def test_units_header():
    with open(DATA / "units.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == ["code", "kind", "parent_code", "name_zh", "name_en", "short_zh",
                      "tile_row", "tile_col"]


def test_kinds_are_known(units):
    assert {u["kind"] for u in units} == {"hq", "bureau", "sub_bureau"}


def test_codes_six_digits_and_unique(units):
    codes = [u["code"] for u in units]
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) == len(set(codes))


def test_exactly_one_hq(units):
    hq = by_kind(units, "hq")
    assert len(hq) == 1
    assert hq[0]["code"] == HQ
    assert hq[0]["parent_code"] == ""
    assert hq[0]["name_zh"] == "总局机关"


def test_exactly_the_36_bureaus(units):
    bureaus = by_kind(units, "bureau")
    assert len(bureaus) == 36
    assert {b["code"] for b in bureaus} == BUREAU_CODES
    assert all(b["parent_code"] == HQ for b in bureaus)


def test_sub_bureaus_hang_off_a_bureau(units):
    bureau_codes = {u["code"] for u in by_kind(units, "bureau")}
    subs = by_kind(units, "sub_bureau")
    assert 320 <= len(subs) <= 335
    for s in subs:
        assert s["parent_code"] in bureau_codes, s
        assert s["code"] not in bureau_codes, s
        assert s["code"].endswith("00"), s
        assert s["code"][:2] == s["parent_code"][:2], s
        # county-level cities directly under a province are not sub-bureaus
        assert s["code"][2:4] != "90", s


def test_no_sub_bureaus_under_cities_or_municipalities(units):
    forbidden = set(CITY_BUREAUS) | MUNICIPALITIES
    assert not [s for s in by_kind(units, "sub_bureau") if s["parent_code"] in forbidden]


def test_separately_planned_cities_not_sub_bureaus_of_their_province(units):
    kinds = {u["code"]: u["kind"] for u in units}
    for city in CITY_BUREAUS:
        assert kinds[city] == "bureau"


def test_names_present_and_unique(units):
    for u in units:
        assert u["name_zh"].strip() and u["name_en"].strip(), u
    assert len({u["name_zh"] for u in units}) == len(units)
    assert len({u["name_en"] for u in units}) == len(units)


def test_tiles_unique_and_only_for_bureaus(units):
    cells = []
    for u in units:
        if u["kind"] == "bureau":
            assert u["tile_row"].isdigit() and u["tile_col"].isdigit(), u
            cells.append((int(u["tile_row"]), int(u["tile_col"])))
        else:
            assert u["tile_row"] == "" and u["tile_col"] == "", u
    assert len(cells) == 36
    assert len(set(cells)) == 36
    assert max(r for r, _ in cells) < 10 and max(c for _, c in cells) < 11


def test_city_tiles_touch_their_province(units):
    pos = {u["code"]: (int(u["tile_row"]), int(u["tile_col"]))
           for u in by_kind(units, "bureau")}
    for city, prov in CITY_BUREAUS.items():
        (r1, c1), (r2, c2) = pos[city], pos[prov]
        assert max(abs(r1 - r2), abs(c1 - c2)) == 1, (city, prov)


def test_short_zh_unique(units):
    shorts = [u["short_zh"] for u in units if u["short_zh"]]
    assert len(shorts) == len(set(shorts))


# -------------------------------------------------------------- aliases.csv

def test_aliases_unique_and_point_to_units(units, aliases):
    codes = {u["code"] for u in units}
    names = [a["alias"] for a in aliases]
    assert len(names) == len(set(names))
    for a in aliases:
        assert a["alias"] == a["alias"].strip() and a["alias"], a
        assert a["code"] in codes, a
        assert a["alias_kind"] in ALIAS_KINDS, a


def test_every_unit_name_resolves_to_itself(units, aliases):
    amap = {a["alias"]: a["code"] for a in aliases}
    for u in units:
        assert amap.get(u["name_zh"]) == u["code"], u
        if u["short_zh"]:
            assert amap.get(u["short_zh"]) == u["code"], u


def test_no_alias_is_another_units_name(units, aliases):
    owner = {}
    for u in units:
        for field in ("name_zh", "name_en", "short_zh"):
            if u[field]:
                owner.setdefault(u[field], set()).add(u["code"])
    for a in aliases:
        if a["alias"] in owner:
            assert owner[a["alias"]] == {a["code"]}, a


@pytest.mark.parametrize("alias,code", [
    ("广东省", "440000"), ("粤", "440000"), ("广东金融监管局", "440000"),
    ("国家金融监督管理总局广东监管局", "440000"), ("广东银保监局", "440000"),
    ("中国银保监会广东监管局", "440000"), ("Guangdong", "440000"),
    ("深圳市", "440300"), ("深圳金融监管局", "440300"),
    ("大连", "210200"), ("国家金融监督管理总局大连监管局", "210200"),
    ("吉林", "220000"), ("吉林市", "220200"),
    ("海南", "460000"), ("海南藏族自治州", "632500"),
    ("广州市", "440100"), ("广州金融监管分局", "440100"), ("广州银保监分局", "440100"),
    ("总局机关", HQ), ("国家金融监督管理总局", HQ), ("中国银保监会", HQ), ("NFRA", HQ),
    ("内蒙古自治区", "150000"), ("新疆维吾尔自治区", "650000"), ("甬", "330200"),
])
def test_known_aliases(aliases, alias, code):
    amap = {a["alias"]: a["code"] for a in aliases}
    assert amap.get(alias) == code


def test_every_bureau_has_core_aliases(units, aliases):
    kinds = {}
    for a in aliases:
        kinds.setdefault(a["code"], set()).add(a["alias_kind"])
    for b in by_kind(units, "bureau"):
        assert {"full_name", "short_name", "bureau_name", "old_bureau_name",
                "english"} <= kinds[b["code"]], b
    for s in by_kind(units, "sub_bureau"):
        assert {"full_name", "sub_bureau_name"} <= kinds[s["code"]], s


# --------------------------------------------------------- denominators.csv

def test_denominators_cover_the_36_bureaus(denominators):
    codes = [d["code"] for d in denominators]
    assert len(codes) == len(set(codes))
    assert set(codes) == BUREAU_CODES


def test_denominators_positive_with_year_and_source(denominators):
    for d in denominators:
        assert Decimal(d["population_10k"]) > 0, d
        assert Decimal(d["gdp_100m_yuan"]) > 0, d
        assert d["year"] == "2023", d
        assert d["source"].strip(), d
        if d["institutions"]:
            assert d["institutions"].isdigit() and int(d["institutions"]) > 0, d


def test_denominator_totals_match_national_figures(denominators):
    pop = sum(Decimal(d["population_10k"]) for d in denominators)
    gdp = sum(Decimal(d["gdp_100m_yuan"]) for d in denominators)
    assert 140_000 <= pop <= 141_500
    assert 1_240_000 <= gdp <= 1_300_000


def test_cities_taken_out_of_their_province(denominators):
    den = {d["code"]: d for d in denominators}
    for city, prov in CITY_BUREAUS.items():
        assert Decimal(den[city]["population_10k"]) < Decimal(den[prov]["population_10k"])
        assert "minus" in den[prov]["source"], prov
    # Guangdong 2023 (12706万人, 135673.2亿元) less Shenzhen (1779.01万人, 34606.40亿元)
    gd, sz = den["440000"], den["440300"]
    assert Decimal(gd["population_10k"]) + Decimal(sz["population_10k"]) == Decimal("12706")
    assert Decimal(gd["gdp_100m_yuan"]) + Decimal(sz["gdp_100m_yuan"]) == Decimal("135673.2")
