"""Reporting units (HQ, 36 bureaus, prefecture-level sub-bureaus) and how source spellings resolve to them.

The shipped CSVs under metrics/data are the reference; the store keeps a synced copy for joins.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from metrics.i18n import localized

DATA_DIR = Path(__file__).parent / "data"
HQ_CODE = "000000"
# Campaign-wide rollup key (HQ + 36 bureaus): the one spelling of "the nation" in the store.
NATION_CODE = "CN"


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    kind: str  # hq | bureau | sub_bureau
    parent_code: str | None
    name_zh: str
    name_en: str
    short_zh: str | None
    tile_row: int | None
    tile_col: int | None
    population_10k: float | None = None
    gdp_100m_yuan: float | None = None
    institutions: int | None = None
    denominator_year: int | None = None
    denominator_source: str | None = None

    def name(self, lang: str) -> str:
        return localized(self, lang)


class UnknownUnitError(KeyError):
    def __str__(self) -> str:
        return f"unknown reporting unit '{self.args[0]}'"


class AmbiguousUnitError(UnknownUnitError):
    """The spelling names a place found in several cities (朝阳区); the candidates are in the message."""

    def __init__(self, spelling: str, detail: str):
        super().__init__(spelling)
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


def _opt_int(v: str) -> int | None:
    return int(v) if v not in ("", None) else None


def _opt_float(v: str) -> float | None:
    return float(v) if v not in ("", None) else None


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def all_units() -> dict[str, Unit]:
    denominators = {r["code"]: r for r in _read_csv("denominators.csv")}
    units: dict[str, Unit] = {}
    for r in _read_csv("units.csv"):
        d = denominators.get(r["code"], {})
        units[r["code"]] = Unit(
            code=r["code"], kind=r["kind"], parent_code=r["parent_code"] or None,
            name_zh=r["name_zh"], name_en=r["name_en"], short_zh=r["short_zh"] or None,
            tile_row=_opt_int(r["tile_row"]), tile_col=_opt_int(r["tile_col"]),
            population_10k=_opt_float(d.get("population_10k", "")),
            gdp_100m_yuan=_opt_float(d.get("gdp_100m_yuan", "")),
            institutions=_opt_int(d.get("institutions", "")),
            denominator_year=_opt_int(d.get("year", "")),
            denominator_source=d.get("source") or None,
        )
    return units


def get_unit(code: str) -> Unit:
    try:
        return all_units()[code]
    except KeyError:
        raise UnknownUnitError(code) from None


def bureaus() -> list[Unit]:
    return [u for u in all_units().values() if u.kind == "bureau"]


def top_level_units() -> list[Unit]:
    """HQ and the 36 bureaus: together they make the national total."""
    return [u for u in all_units().values() if u.kind in ("hq", "bureau")]


def children(code: str) -> list[Unit]:
    return [u for u in all_units().values() if u.parent_code == code and u.kind == "sub_bureau"]


def bureau_of(code: str) -> str:
    """The top-level unit (HQ or bureau) a unit's figures roll up into."""
    unit = get_unit(code)
    return unit.parent_code if unit.kind == "sub_bureau" else unit.code


_ADMIN_CODE = re.compile(r"^\d{6}$")
_LONG_ADMIN_CODE = re.compile(r"^\d{6}(\d{3}|\d{6})$")  # township (9) and village (12) level
_SPACES = re.compile(r"\s+")


def _normalise(spelling: str) -> str:
    return _SPACES.sub("", spelling).casefold()


def normalise_spelling(spelling: str) -> str:
    """A spelling as lookups compare it: whitespace removed, case folded."""
    return _normalise(spelling)


def reference_aliases() -> dict[str, tuple[str, str]]:
    """The shipped alias table as written: alias -> (code, alias kind)."""
    return {r["alias"]: (r["code"], r["alias_kind"]) for r in _read_csv("aliases.csv")}


@cache
def aliases() -> dict[str, str]:
    """Normalised spelling -> unit code (whitespace removed, case folded, as resolve_unit looks up)."""
    table = {_normalise(r["alias"]): r["code"] for r in _read_csv("aliases.csv")}
    for u in all_units().values():
        for spelling in (u.name_zh, u.name_en, u.code):
            table.setdefault(_normalise(spelling), u.code)
    return table


def unit_of_admin_code(code: str) -> str | None:
    """The reporting unit an administrative code of any level belongs to (its prefecture's, else its province's)."""
    units = all_units()
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if candidate in units:
            return candidate
    return None


def resolve_unit(spelling: object) -> str:
    """Map any spelling a source uses to one reporting unit code.

    Accepts unit codes, names, short names, bureau names and administrative codes of any level
    (a county 210281 resolves to the Dalian bureau's unit 210200, a county 440106 to sub-bureau 440100).
    Free address text (山东省青岛市崂山区…, 深圳南山, 湘西州) is read by metrics.address; a district name found in
    several cities with nothing above it raises AmbiguousUnitError. Raises UnknownUnitError with the spelling.
    """
    if spelling is None:
        raise UnknownUnitError("")
    text = str(spelling).strip()
    if isinstance(spelling, (int, float)) and not isinstance(spelling, bool):
        text = str(int(spelling))
    key = _normalise(text)
    table = aliases()
    if key in table:
        return table[key]
    if _ADMIN_CODE.match(key) or _LONG_ADMIN_CODE.match(key):
        code = unit_of_admin_code(key[:6])
        if code is not None:
            return code
        raise UnknownUnitError(text)
    code, detail = _address_unit(key)
    if detail is not None:
        raise AmbiguousUnitError(text, detail.replace(f"'{key}'", f"'{text}'", 1))
    if code is None:
        raise UnknownUnitError(text)
    return code


@lru_cache(maxsize=65536)
def _address_unit(key: str) -> tuple[str | None, str | None]:
    """(unit, None), (None, why it is ambiguous) or (None, None); cached, refusals included."""
    from metrics.address import AmbiguousPlace, locate  # cpca's table loads on the first free-text spelling

    try:
        code = locate(key)
    except AmbiguousPlace as exc:
        return None, str(exc)
    return (unit_of_admin_code(code) if code else None), None
