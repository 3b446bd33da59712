"""The brief's text, built from a frozen snapshot's content: pure functions, no I/O.

Reads like the joint progress report: per direction a headline of campaign-to-date figures in official
phrasing, the quarter against the same point of the previous quarter and of last year, notable bureaus
(largest contributors, fastest growth on a fair base, lagging ones), then coverage notes.
"""
from __future__ import annotations

import datetime as dt

from metrics.api import MIN_BASE, pct_change

from briefing.narrative import change_phrase, date_text, figure_text, official_figure, pct_text, range_text

SOURCE_NAMES = {
    "regulator_clues": ("监管线索系统", "regulator's clue system"),
    "police_intake": ("公安受理系统", "police case-intake system"),
    "institution_reports": ("机构报案登记", "institution report register"),
    "inspections": ("检查登记", "inspection register"),
    "publications": ("信息发布系统", "publications system"),
    "activity_sheets": ("各局月度活动报表", "bureaus' monthly activity sheets"),
    "documents": ("制度文件登记", "document register"),
}
SEP = {"zh": "；", "en": "; "}
LIST = {"zh": "、", "en": ", "}


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def metric_meta(content: dict) -> dict[str, dict]:
    return {m["id"]: m for m in content["catalog"]["metrics"]}


def metric_name(meta: dict, lang: str) -> str:
    return meta["name_zh"] if lang == "zh" else meta["name_en"]


def unit_name(content: dict, code: str, lang: str) -> str:
    unit = content["units"][code]
    return unit["name_zh"] if lang == "zh" else unit["name_en"]


def _official_clause(meta: dict, value: int, lang: str, *, paired: bool) -> str:
    figure = official_figure(value, meta["unit"], lang, meta["measure_zh"])
    if paired:  # an amount right after its count: "涉案金额逾210亿元" / "involving over 21 billion yuan"
        return f"涉案金额{figure}" if lang == "zh" else f"involving {figure}"
    if lang == "zh":
        name = meta["name_zh"]
        if meta["measure_zh"] and name.endswith(meta["measure_zh"]):
            name = name[: -len(meta["measure_zh"])]
        return f"{name}{figure}"
    return f"{figure} {meta['name_en'][0].lower()}{meta['name_en'][1:]}"


def _clauses(metrics: list[dict], values: dict, lang: str, clause) -> str:
    parts: list[str] = []
    for i, meta in enumerate(metrics):
        paired = meta["unit"] == "yuan" and i > 0 and metrics[i - 1]["unit"] == "count" \
            and metrics[i - 1]["source_system"] == meta["source_system"]
        text = clause(meta, values[meta["id"]], lang, paired=paired)
        if paired and parts:
            parts[-1] += ("，" if lang == "zh" else ", ") + text
        else:
            parts.append(text)
    return SEP[lang].join(parts)


def _quarter_clause(figures: dict):
    def clause(meta: dict, value: int, lang: str, *, paired: bool) -> str:
        mid, unit = meta["id"], meta["unit"]
        qoq = pct_change(value, figures["previous_quarter"]["national"][mid], unit)
        yoy = pct_change(value, figures["year_ago"]["national"][mid], unit)
        exact = figure_text(value, unit, lang, meta["measure_zh"])
        if lang == "zh":
            head = f"涉案金额{exact}" if paired else f"{meta['name_zh']}{exact}"
            return f"{head}（环比{pct_text(qoq, lang)}，同比{pct_text(yoy, lang)}）"
        head = f"involving {exact}" if paired else f"{exact} {meta['name_en'][0].lower()}{meta['name_en'][1:]}"
        return f"{head} ({pct_text(qoq, lang)} on the previous quarter, {pct_text(yoy, lang)} year on year)"
    return clause


def _names(content: dict, codes: list[str], lang: str) -> str:
    return LIST[lang].join(unit_name(content, c, lang) for c in codes)


def bureau_sentences(content: dict, metric_id: str, lang: str) -> list[str]:
    meta = metric_meta(content)[metric_id]
    figures = content["figures"]
    now, before = figures["quarter"]["units"], figures["previous_quarter"]["units"]
    codes = [c for c, u in content["units"].items() if u["kind"] == "bureau"]
    total = figures["quarter"]["national"][metric_id]
    name, unit, measure = metric_name(meta, lang), meta["unit"], meta["measure_zh"]
    out: list[str] = []
    if total > 0:
        top = sorted(codes, key=lambda c: (-now[c][metric_id], c))[:3]
        items = LIST[lang].join(
            f"{unit_name(content, c, lang)}（{figure_text(now[c][metric_id], unit, lang, measure)}，"
            f"占{now[c][metric_id] / total * 100:.1f}%）" if lang == "zh" else
            f"{unit_name(content, c, lang)} ({figure_text(now[c][metric_id], unit, lang)}, "
            f"{now[c][metric_id] / total * 100:.1f}%)" for c in top)
        out.append(f"{name}贡献最多的是{items}。" if lang == "zh" else
                   f"Largest contributors to {name.lower()} (share of the national total): {items}.")
    growth = sorted(((pct, c) for c in codes
                     if (pct := pct_change(now[c][metric_id], before[c][metric_id], unit)) is not None and pct > 0),
                    key=lambda t: (-t[0], t[1]))[:3]
    base = f"{MIN_BASE[unit]:,}"
    if growth:
        items = LIST[lang].join(f"{unit_name(content, c, lang)}（{pct_text(p, lang)}）" if lang == "zh" else
                                f"{unit_name(content, c, lang)} ({pct_text(p, lang)})" for p, c in growth)
        out.append(f"环比增长最快（上季度同期基数不低于{base}）：{items}。" if lang == "zh" else
                   f"Fastest growth on the previous quarter (base of at least {base}): {items}.")
    else:
        out.append(f"没有监管局上季度同期基数达到{base}且实现增长，不作增速排名。" if lang == "zh" else
                   f"No bureau grew from a base of at least {base}, so growth is not ranked.")
    zero = [c for c in codes if now[c][metric_id] == 0]
    if zero:
        shown = _names(content, zero[:8], lang)
        more = (f"等{len(zero)}个监管局" if lang == "zh" else f" and {len(zero) - 8} more") if len(zero) > 8 else ""
        out.append(f"本季度{name}为零的有：{shown}{more}。" if lang == "zh" else
                   f"No {name.lower()} this quarter: {shown}{more}.")
    else:
        rates = sorted((now[c][metric_id] / (content["units"][c]["population_10k"] / 1000), c) for c in codes
                       if content["units"][c]["population_10k"])
        items = LIST[lang].join(f"{unit_name(content, c, lang)}（{r:.2f}）" if lang == "zh" else
                                f"{unit_name(content, c, lang)} ({r:.2f})" for r, c in rates[:3])
        out.append(f"按每千万常住人口计，{name}较低的是{items}。" if lang == "zh" else
                   f"Lowest {name.lower()} per 10 million residents: {items}.")
    return out


def direction_sections(content: dict, lang: str) -> list[dict]:
    meta = metric_meta(content)
    figures = content["figures"]
    quarter_start, quarter_end = (_day(d) for d in content["windows"]["quarter"])
    as_of = _day(content["as_of"])
    sections = []
    for direction in content["catalog"]["directions"]:
        number = direction["number"]
        # A metric nothing was reported for stays out of the prose (the annex table still shows its zeros).
        metrics = [m for m in meta.values() if m["direction"] == number and figures["campaign"]["national"][m["id"]]]
        if not metrics:
            sections.append({"number": number, "name": direction["name_zh" if lang == "zh" else "name_en"],
                             "headline": "截至本期尚无数据报送。" if lang == "zh" else "No data reported yet.",
                             "quarter": "", "bureaus": []})
            continue
        headline = _clauses(metrics, figures["campaign"]["national"], lang, _official_clause)
        quarter = _clauses(metrics, figures["quarter"]["national"], lang, _quarter_clause(figures))
        lead = meta[content["catalog"]["lead_metrics"][str(number)]]
        lead = lead if lead in metrics else metrics[0]
        lead_change = change_phrase(pct_change(figures["quarter"]["national"][lead["id"]],
                                               figures["previous_quarter"]["national"][lead["id"]], lead["unit"]),
                                    lang)
        if lang == "zh":
            headline = f"专项行动开展以来（截至{date_text(as_of, lang)}），{headline}。"
            quarter = (f"本季度（{range_text(quarter_start, quarter_end, lang)}），{quarter}。"
                       f"{lead['name_zh']}较上季度同期{lead_change}。")
        else:
            headline = f"Since the campaign began (to {date_text(as_of, lang)}): {headline}."
            quarter = (f"This quarter ({range_text(quarter_start, quarter_end, lang)}): {quarter}. "
                       f"{lead['name_en']} {lead_change} on the same point of the previous quarter.")
        sections.append({"number": number, "name": direction["name_zh" if lang == "zh" else "name_en"],
                         "headline": headline, "quarter": quarter,
                         "bureaus": bureau_sentences(content, lead["id"], lang)})
    return sections


def reporting_notes(content: dict, label: str, reporting: dict | None, lang: str) -> list[str]:
    """Monthly submissions missing or late by the cutoff (coverage matrix): absent months are not zeros."""
    if not reporting or not (reporting["not_reported"] or reporting["late"]):
        return []
    def months(items: list[dict]) -> str:
        shown = [f"{unit_name(content, i['unit'], lang)} {i['month']}" for i in items[:8]]
        return LIST[lang].join(shown) + (("等" if lang == "zh" else ", …") if len(items) > 8 else "")
    share = f"{reporting['share'] * 100:.1f}%" if reporting["share"] is not None else "-"
    notes = []
    if reporting["not_reported"]:
        n = len(reporting["not_reported"])
        notes.append(f"{label}：报送率{share}，{n}个监管局月份未报送（{months(reporting['not_reported'])}），"
                     "相关合计不含其数据、不按零计，排名不列。" if lang == "zh" else
                     f"{label}: {share} of bureau-months reported; {n} not reported "
                     f"({months(reporting['not_reported'])}) - totals exclude them (not zero) and their ranks "
                     "are withheld.")
    if reporting["late"]:
        notes.append(f"{label}：{len(reporting['late'])}份月报逾期报送（{months(reporting['late'])}）。"
                     if lang == "zh" else
                     f"{label}: {len(reporting['late'])} monthly report(s) arrived late ({months(reporting['late'])}).")
    return notes


def coverage_notes(content: dict, freshness: list[dict], lang: str) -> list[str]:
    as_of = _day(content["as_of"])
    notes = []
    for system, info in content["coverage"].items():
        label = SOURCE_NAMES.get(system, (system, system))[0 if lang == "zh" else 1]
        missing = info["bureaus_missing"]
        if missing:
            names = _names(content, missing[:8], lang) + (("等" if lang == "zh" else ", …") if len(missing) > 8 else "")
            notes.append(f"{label}：{len(missing)}个监管局本季度截至{date_text(as_of, lang)}无数据（{names}）。"
                         if lang == "zh" else
                         f"{label}: {len(missing)} bureau(s) had no data this quarter by {date_text(as_of, lang)} "
                         f"({names}).")
        notes.extend(reporting_notes(content, label, info.get("reporting"), lang))
        last = info["last_day_with_data"]
        if last is None or (as_of - _day(last)).days > 7:
            when = date_text(_day(last), lang) if last else ("无" if lang == "zh" else "none")
            notes.append(f"{label}：最新数据日期为{when}，晚于截止日一周以上。" if lang == "zh" else
                         f"{label}: latest data day is {when}, more than a week before the cutoff.")
    for row in freshness:
        if row["stale"]:
            notes.append(f"数据源{row['source']}在生成简报时未按时更新（状态：{row['status']}）。" if lang == "zh" else
                         f"Source {row['source']} was overdue when the brief was generated (status {row['status']}).")
    if not notes:
        notes.append("所有数据源和监管局均已按期报送。" if lang == "zh" else
                     "Every source and bureau had reported by the cutoff.")
    return notes
