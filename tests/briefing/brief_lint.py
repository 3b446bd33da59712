"""A mechanical proof-reader for rendered briefs: reads the text blocks as a reader would and lists every
sentence that breaks the report's conventions or states a number the exact-figures tables do not hold."""
from __future__ import annotations

import re

from briefing.narrative import floor_figure

from briefing.document import Block
from briefing.wording import MESSAGES

FIG = r"(?:超过|逾)?\d+(?:\.\d+)?(?:万|亿)?"
MEASURES = ("人次", "条", "起", "次", "场", "篇")  # 件 also ends 文件, so it is checked per metric below


def _text(blocks: list[Block]) -> list[str]:
    """Every sentence of the brief's text."""
    texts = [s for b in blocks for s in ([b.text] if b.kind in ("para", "title", "subtitle") else b.items) if s]
    return [part for s in texts for part in re.split(r"(?<=。)|(?<=\.) (?=[A-Z])", s) if part]


def narrative(blocks: list[Block]) -> list[str]:
    """The paragraphs under the progress and by-type-of-crime headings (the prose that states figures)."""
    out, inside = [], False
    for b in blocks:
        if b.kind == "heading" and b.level == 1:
            inside = b.text in (MESSAGES.t("heading.summary", "zh"), MESSAGES.t("heading.summary", "en"),
                                MESSAGES.t("heading.categories", "zh"), MESSAGES.t("heading.categories", "en"))
        elif inside and b.kind == "para":
            out.append(b.text)
    return out


def wording_problems(blocks: list[Block], content: dict, lang: str) -> list[str]:
    problems = []
    for s in _text(blocks):
        if "(s)" in s:
            problems.append(f"'(s)' in: {s}")
        if re.search(r"[−+±]\d", s) and not s.startswith(("内容哈希", "Content hash")):
            problems.append(f"a signed change instead of words: {s}")
        if lang == "zh":
            if re.search(r"\d,\d{3}", s):
                problems.append(f"thousands separator in Chinese text (GB/T 15835): {s}")
            for m in MEASURES:
                if re.search(f"{m}{FIG}{m}", s):
                    problems.append(f"doubled unit {m}: {s}")
            if re.search(f"元{FIG}元", s):
                problems.append(f"doubled unit 元: {s}")
            for meta in content["catalog"]["metrics"]:
                name, measure = meta["name_zh"], meta["measure_zh"]
                if re.search(re.escape(name[:-1]) + f"(?:{FIG})", s):
                    problems.append(f"metric name cut short ({name}): {s}")
                for hit in re.finditer(re.escape(name) + f"({FIG})(人次|条|件|起|次|场|篇|元)?", s):
                    if meta["unit"] == "count" and hit.group(2) != measure:
                        problems.append(f"{name} without its measure word {measure}: {hit.group(0)}")
                    if meta["unit"] == "people" and hit.group(2):
                        problems.append(f"{name} with a second unit: {hit.group(0)}")
        else:
            if re.search(r"yuan yuan", s):
                problems.append(f"doubled unit: {s}")
            problems += _plural_problems(s)
    return problems + _contradictions(blocks, content, lang)


GENERIC = (("bureau", "bureaus"), ("return", "returns"), ("point", "points"), ("figure", "figures"))
ONE = r"(?<![\d.,])1 "
MANY = r"(?<![\d.,])(?:[02-9]|[1-9][\d,]+)(?:\.\d+)?(?: million| billion)? "


def _plural_problems(s: str) -> list[str]:
    """"1 clues", "3 clue": the catalog's own singular and plural tails, and a few common nouns."""
    pairs = list(GENERIC)
    for key in MESSAGES.keys():
        entry = MESSAGES._entries[key]["en"]
        if isinstance(entry, dict) and entry.get("one", "").startswith("{figure} "):
            pairs.append((entry["one"][len("{figure} "):], entry["other"][len("{figure} "):]))
    out = []
    for one, other in pairs:
        if one == other:
            continue
        if re.search(ONE + re.escape(other) + r"(?!\w)", s) or re.search(MANY + re.escape(one) + r"(?!\w)", s):
            out.append(f"plural mismatch ({one} / {other}): {s}")
    return out


def _contradictions(blocks: list[Block], content: dict, lang: str) -> list[str]:
    """No unit is both 'not reported' and 'zero' for the same source in one brief."""
    names = {u["name_zh" if lang == "zh" else "name_en"]: code for code, u in content["units"].items()}
    sources = {k.split(".", 1)[1]: MESSAGES.t(k, lang) for k in MESSAGES.keys() if k.startswith("source.")}
    nouns = {m["id"]: MESSAGES.t(f"noun.{m['id']}", lang) for m in content["catalog"]["metrics"]}
    system_of = {m["id"]: m["source_system"] for m in content["catalog"]["metrics"]}
    missing: dict[str, set[str]] = {}
    zero: dict[str, set[str]] = {}
    for s in _text(blocks):
        named = {code for name, code in names.items() if re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", s)}
        system = next((sys for sys, label in sources.items() if s.startswith(label) or label in s), None)
        metric = next((m for m, n in sorted(nouns.items(), key=lambda kv: -len(kv[1])) if n in s), None)
        system = system or (system_of[metric] if metric else None)
        if system is None:
            continue
        if re.search("未报送|did not report|no successful load", s):
            missing.setdefault(system, set()).update(named)
        elif re.search("为零|报告为零|无登记事项|recorded no events|reported zero|with no ", s):
            zero.setdefault(system, set()).update(named)
    return [f"{code} both not reported and zero for {system}" for system in missing
            for code in missing[system] & zero.get(system, set())]


def _allowed(tables: list[dict]) -> tuple[set[int], set[float]]:
    ints, pcts = set(), set()
    for table in tables:
        for row in table["rows"]:
            for cell in row[table["numeric_from"]:]:
                text = cell.replace(",", "").replace("−", "-").replace("+", "")
                if re.fullmatch(r"-?\d+", text):
                    ints.add(abs(int(text)))
                elif re.fullmatch(r"-?\d+\.\d+%?", text):
                    pcts.add(abs(float(text.rstrip("%"))))
    return ints, pcts


def number_problems(blocks: list[Block], lang: str) -> list[str]:
    """Every figure in the narrative is in the tables (exactly, or as their official/rounded form)."""
    tables = [b.table for b in blocks if b.kind == "table"]
    ints, pcts = _allowed(tables)
    figures = next(t for t in tables if t["kind"] == "figures")
    campaign = [int(r[3].replace(",", "")) for r in next(t for t in tables if t["kind"] == "campaign")["rows"]]
    units = [t for t in tables if t["kind"] == "units"]
    national_q = {r[1]: int(r[3].replace(",", "")) for r in figures["rows"]}
    for table in units:  # shares of the national total and growth rates, from the same rows
        for i in range(1, 7, 3):
            total = national_q.get(table["header"][i])
            for row in table["rows"]:
                now, before = int(row[i].replace(",", "")), int(row[i + 1].replace(",", ""))
                if total:
                    pcts.add(round(now / total * 100, 1))
                if before:
                    pcts.add(round(abs(now - before) / before * 100, 1))
    problems = []
    for s in narrative(blocks):
        for kind, value in _numbers(s, lang):
            ok = (kind == "int" and value in ints
                  or kind == "pct" and round(value, 1) in pcts
                  or kind == "over" and any(floor_figure(v) == value < v for v in campaign)
                  or kind.startswith("scaled:") and any(round(v / int(kind[7:]), 2) == value for v in ints))
            if not ok:
                problems.append(f"{kind} {value} is not in the exact-figures tables: {s}")
    return problems


SCALE = {"亿": 10**8, "万": 10**4, "billion": 10**9, "million": 10**6}


def _numbers(s: str, lang: str):
    if lang == "zh":
        s = re.sub(r"\d{4}年(\d{1,2}月(\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|等\d+(?:个监管局|项)", "", s)
        token = re.compile(r"(?P<over>超过|逾)?(?P<num>\d+(?:\.\d+)?)(?P<scale>亿|万)?(?P<pct>%)?")
    else:
        s = re.sub(r"\d{1,2} [A-Z][a-z]+( \d{4})?|and \d+ more|100 million yuan or more|10 million residents", "", s)
        token = re.compile(r"(?P<over>over )?(?P<num>\d[\d,]*(?:\.\d+)?)(?: (?P<scale>billion|million))?(?P<pct>%)?")
    for hit in token.finditer(s):
        num = float(hit.group("num").replace(",", ""))
        scale = SCALE.get(hit.group("scale") or "", 1)
        if hit.group("pct"):
            yield "pct", num
        elif hit.group("over"):
            yield "over", round(num * scale)
        elif scale != 1:
            yield f"scaled:{scale}", num
        elif "." in hit.group("num"):
            yield "pct", num  # a rate per 10 million residents is checked like a share: against the table
        else:
            yield "int", int(num)
