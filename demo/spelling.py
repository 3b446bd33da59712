"""How the source systems spell reporting units, and the spellings no one can resolve (dirt).

Every "valid" spelling is checked against metrics.units.resolve_unit when the tables are built,
so the stand-ins never call a resolvable legacy name (广东银保监局) dirt by mistake.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cache

import numpy as np

from metrics.units import (HQ_CODE, UnknownUnitError, Unit, all_units, bureau_of, bureaus, children,
                           reference_aliases, resolve_unit)

# Names real exports carry that no longer map to one reporting unit: abolished local offices, placeholders,
# a province-and-city mix-up, a code that does not exist.
_UNRESOLVABLE = ("辽宁省大连市金融办", "某某银监分局", "999999", "广东省地方金融监督管理局", "原保监会某某监管分局",
                 "省金融办", "990100", "待定", "湖北银监分局（撤销）")
# How often each kind of spelling turns up, per system (codes dominate in databases, names in spreadsheets).
BUREAU_MIX = {"code": 0.3, "full_name": 0.15, "short_name": 0.1, "abbreviation": 0.05, "bureau_name": 0.3,
              "old_bureau_name": 0.1}
SUB_MIX = {"code": 0.3, "short_name": 0.35, "sub_bureau_name": 0.3, "old_bureau_name": 0.05}


@cache
def unresolvable() -> tuple[str, ...]:
    bad = []
    for text in _UNRESOLVABLE:
        try:
            resolve_unit(text)
        except UnknownUnitError:
            bad.append(text)
    return tuple(bad)


@cache
def _spellings_by_kind() -> dict[str, dict[str, list[str]]]:
    table: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for alias, (code, kind) in reference_aliases().items():
        if kind != "english" and resolve_unit(alias) == code:
            table[code][kind].append(alias)
    for unit in all_units().values():
        table[unit.code]["code"].append(unit.code)
    return {code: dict(kinds) for code, kinds in table.items()}


def spell(code: str, rng: np.random.Generator, mix: dict[str, float] | None = None) -> str:
    """One plausible spelling of a unit, drawn by the given kind mix (falls back to the code)."""
    unit = all_units()[code]
    mix = mix or (SUB_MIX if unit.kind == "sub_bureau" else BUREAU_MIX)
    kinds = _spellings_by_kind()[code]
    options = [(k, w) for k, w in mix.items() if kinds.get(k)]
    weights = np.array([w for _, w in options])
    kind = options[int(rng.choice(len(options), p=weights / weights.sum()))][0]
    choices = kinds[kind]
    return choices[int(rng.integers(len(choices)))]


def dirty_spelling(rng: np.random.Generator) -> str:
    bad = unresolvable()
    return bad[int(rng.integers(len(bad)))]


def full_name(code: str) -> str:
    names = _spellings_by_kind()[code].get("full_name") or [all_units()[code].name_zh]
    return names[0]


def bureau_name(code: str) -> str:
    """The formal name a bureau uses on its own paperwork (广东金融监管局)."""
    if code == HQ_CODE:
        return "国家金融监督管理总局"
    return f"{all_units()[code].name_zh}金融监管局"


@cache
def bureau_list() -> tuple[Unit, ...]:
    return tuple(bureaus())


@cache
def _children(code: str) -> tuple[Unit, ...]:
    return tuple(children(code))


def pick_sub_bureau(bureau_code: str, rng: np.random.Generator, *, share: float = 0.8) -> str | None:
    """A sub-bureau of the bureau (capital cities weigh most), or None for the bureau's own work."""
    subs = _children(bureau_code)
    if not subs or rng.random() > share:
        return None
    weights = 1.0 / np.arange(1, len(subs) + 1) ** 0.7
    return subs[int(rng.choice(len(subs), p=weights / weights.sum()))].code


def county_code(bureau_code: str, sub_code: str | None, rng: np.random.Generator) -> str:
    """A county-level administrative code the police would use for an event in that unit."""
    subs = _children(bureau_code)
    city = sub_code or (subs[0].code if subs else bureau_code)
    prefix = city[:4] if city[2:4] != "00" else city[:2] + "01"
    code = f"{prefix}{int(rng.integers(2, 13)):02d}"
    assert bureau_of(resolve_unit(code)) == bureau_code, (code, bureau_code)
    return code


def police_unit(bureau_code: str, sub_code: str | None) -> str:
    if sub_code:
        name = all_units()[sub_code].name_zh
        return f"{name}公安局" if name.endswith(("自治州", "盟", "地区")) else f"{name}市公安局"
    province = full_name(bureau_code)
    return f"{province}公安局" if province.endswith("市") else f"{province}公安厅"


def city_label(bureau_code: str, sub_code: str | None) -> str:
    """Where an institution's branch sits: the sub-bureau's city, else the province."""
    if sub_code:
        return all_units()[sub_code].name_zh
    return all_units()[bureau_code].name_zh


def economic_weights(rng: np.random.Generator) -> dict[str, tuple[float, float]]:
    """Per bureau: (base weight by economic size with a local effect, yearly momentum)."""
    result = {}
    for unit in bureau_list():
        size = (unit.gdp_100m_yuan or 1.0) ** 0.85 * (unit.population_10k or 1.0) ** 0.15
        result[unit.code] = (size * float(rng.lognormal(0.0, 0.2)), float(rng.uniform(-0.25, 0.3)))
    return result


def bureau_picker(weights: dict[str, tuple[float, float]], rng: np.random.Generator):
    """A function day -> bureau code, following economic size and each bureau's momentum."""
    codes = list(weights)
    base = np.array([weights[c][0] for c in codes])
    slope = np.array([weights[c][1] for c in codes])
    cache_by_quarter: dict[int, np.ndarray] = {}

    def pick(day) -> str:
        q = (day.year - 2023) * 4 + (day.month - 1) // 3
        if q not in cache_by_quarter:
            years = max(0.0, (q - 1) / 4.0)
            w = base * np.maximum(0.3, 1.0 + slope * years)
            cache_by_quarter[q] = w / w.sum()
        return codes[int(rng.choice(len(codes), p=cache_by_quarter[q]))]

    return pick
