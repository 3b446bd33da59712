"""The brief's narrative, built from a frozen snapshot's content: pure functions, no I/O.

Reads like the joint progress report: the dated preamble naming both agencies, then per direction the
campaign-to-date figures in official phrasing, the quarter against the same point of the previous quarter
and of last year, and notable units (largest contributors with HQ among them, fastest growth among the
bureaus on a fair base, zeros kept apart from units that did not report). Every figure is worded by
wording.py; every sentence comes from messages.yaml.
"""
from __future__ import annotations

from metrics.api import pct_change

from briefing.wording import changes, day, metric_figure, min_base, names, pct, share, span, t, unit_figure

HQ = "000000"


def metric_meta(content: dict) -> dict[str, dict]:
    return {m["id"]: m for m in content["catalog"]["metrics"]}


def metric_name(meta: dict, lang: str) -> str:
    return meta["name_zh" if lang == "zh" else "name_en"]


def noun(meta: dict, lang: str) -> str:
    """The metric as a noun inside a sentence: 移送公安线索 / clues referred to the police."""
    return t(f"noun.{meta['id']}", lang)


def unit_name(content: dict, code: str, lang: str) -> str:
    return content["units"][code]["name_zh" if lang == "zh" else "name_en"]


def direction_name(direction: dict, lang: str) -> str:
    return direction["name_zh" if lang == "zh" else "name_en"]


def bureau_codes(content: dict) -> list[str]:
    return [c for c, u in content["units"].items() if u["kind"] == "bureau"]


def not_reported(content: dict, meta: dict) -> list[str]:
    """Bureaus that left a month of the metric's source unreported this quarter (their zeros are unknown)."""
    info = content["coverage"].get(meta["source_system"], {})
    if "states" in info:
        return list(info["states"]["not_reported"])
    return [i["unit"] for i in (info.get("reporting") or {}).get("not_reported", [])]  # snapshots before states


def preamble(content: dict, lang: str) -> str:
    return t("preamble", lang, date=day(content["as_of"], lang))


def _paired(metrics: list[dict], i: int) -> bool:
    """An amount right after its count from the same source reads "…条，涉案金额逾42亿元"."""
    return (metrics[i]["unit"] == "yuan" and i > 0 and metrics[i - 1]["unit"] != "yuan"
            and metrics[i - 1]["source_system"] == metrics[i]["source_system"])


def _join(metrics: list[dict], phrase, lang: str) -> str:
    parts: list[str] = []
    for i, meta in enumerate(metrics):
        text = phrase(meta, _paired(metrics, i))
        if _paired(metrics, i) and parts:
            parts[-1] += t("comma", lang) + text
        else:
            parts.append(text)
    return t("clause_sep", lang).join(parts)


def campaign_sentence(content: dict, metrics: list[dict], lang: str) -> str:
    values = content["figures"]["campaign"]["national"]
    clauses = _join(metrics, lambda m, paired: metric_figure(m, values[m["id"]], lang, official=True,
                                                              paired=paired), lang)
    return t("campaign_sentence", lang, date=day(content["as_of"], lang), clauses=clauses)


def quarter_sentence(content: dict, metrics: list[dict], lang: str) -> str:
    f = content["figures"]

    def phrase(meta: dict, paired: bool) -> str:
        mid = meta["id"]
        figure = metric_figure(meta, f["quarter"]["national"][mid], lang, paired=paired)
        moved = changes(f["quarter"]["national"][mid], f["previous_quarter"]["national"][mid],
                        f["year_ago"]["national"][mid], meta["unit"], lang)
        return t("with_changes", lang, figure=figure, changes=moved) if moved else figure

    start, end = content["windows"]["quarter"]
    return t("quarter_sentence", lang, span=span(start, end, lang), clauses=_join(metrics, phrase, lang))


def bureau_sentences(content: dict, metric_id: str, lang: str) -> list[str]:
    meta = metric_meta(content)[metric_id]
    now = content["figures"]["quarter"]["units"]
    before = content["figures"]["previous_quarter"]["units"]
    total = content["figures"]["quarter"]["national"][metric_id]
    name = noun(meta, lang)
    missing = set(not_reported(content, meta))
    out: list[str] = []
    if total > 0:  # HQ is a contributor like any bureau
        top = [c for c in sorted(content["units"], key=lambda c: (-now[c][metric_id], c)) if now[c][metric_id]][:3]
        items = t("list_sep", lang).join(
            t("contributor_item", lang, unit=unit_name(content, c, lang), figure=unit_figure(meta, now[c][metric_id], lang),
              share=share(now[c][metric_id], total)) for c in top)
        out.append(t("contributors", lang, name=name, items=items))
    bureaus = [c for c in bureau_codes(content) if c not in missing]
    growth = sorted(((p, c) for c in bureaus
                     if (p := pct_change(now[c][metric_id], before[c][metric_id], meta["unit"])) is not None
                     and p >= 0.05), key=lambda x: (-x[0], x[1]))[:3]
    if growth:
        items = t("list_sep", lang).join(t("growth_item", lang, unit=unit_name(content, c, lang), pct=pct(p))
                                         for p, c in growth)
        out.append(t("growth", lang, name=name, items=items))
    else:
        out.append(t("no_growth", lang, name=name))
    if missing:
        out.append(t("not_reported_units", lang, units=names([unit_name(content, c, lang) for c in sorted(missing)],
                                                            lang), source=t(f"source.{meta['source_system']}", lang),
                     name=name))
    zero = [c for c in bureaus if now[c][metric_id] == 0]
    if zero:
        out.append(t("zero_units", lang, name=name, units=names([unit_name(content, c, lang) for c in zero], lang)))
    else:
        rates = sorted((now[c][metric_id] / (content["units"][c]["population_10k"] / 1000), c) for c in bureaus
                       if content["units"][c]["population_10k"])
        items = t("list_sep", lang).join(t("rate_item", lang, unit=unit_name(content, c, lang), rate=f"{r:.2f}")
                                         for r, c in rates[:3])
        out.append(t("lowest_rate", lang, name=name, items=items))
    return out


def direction_sections(content: dict, lang: str, staff: dict | None = None) -> list[dict]:
    """Per direction: heading, campaign sentence, quarter sentence, notable units, and the staff-written
    key work and next steps frozen with the brief (`staff`: direction number as text -> fields)."""
    meta = metric_meta(content)
    campaign = content["figures"]["campaign"]["national"]
    sections = []
    for direction in content["catalog"]["directions"]:
        number = direction["number"]
        written = (staff or {}).get(str(number), {})
        # A metric nothing was reported for stays out of the prose (the annex table still shows its zeros).
        metrics = [m for m in meta.values() if m["direction"] == number and campaign[m["id"]]]
        section = {"number": number, "name": direction_name(direction, lang), "headline": "", "quarter": "",
                   "bureaus": [], "key_work": written.get("key_work", ""), "next_steps": written.get("next_steps", "")}
        if not metrics:
            section["headline"] = t("no_data_yet", lang)
        else:
            lead = meta[content["catalog"]["lead_metrics"][str(number)]]
            lead = lead if lead in metrics else metrics[0]
            section.update(headline=campaign_sentence(content, metrics, lang),
                           quarter=quarter_sentence(content, metrics, lang),
                           bureaus=bureau_sentences(content, lead["id"], lang))
        sections.append(section)
    return sections


def methodology(lang: str) -> str:
    """Said once per brief: how totals and changes are made."""
    return t("methodology", lang, base_count=min_base("count", lang), base_people=min_base("people", lang),
             base_yuan=min_base("yuan", lang))

