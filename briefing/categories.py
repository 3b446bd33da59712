"""The section by type of crime: per categorised metric, the quarter and campaign to date by category, and the
categories that moved most against the same point of the previous quarter."""
from __future__ import annotations

from briefing.story import metric_meta, metric_name, noun
from briefing.wording import number, t, unit_figure

# The categorised metrics the section reports, in the order of the report.
SECTION_METRICS = ("clue_referrals", "clues_identified", "institution_reports")


def category_name(content: dict, category: str, lang: str) -> str:
    names = content["catalog"].get("categories", {}).get(category)
    return names["name_zh" if lang == "zh" else "name_en"] if names else category


def _named(content: dict, category: str, lang: str) -> dict[str, str]:
    name = category_name(content, category, lang)
    return {"category": name, "inline": name[:1].lower() + name[1:]}


def _rows(content: dict, metric_id: str) -> list[tuple[str, int, int, int]]:
    """(category, quarter, previous quarter same point, campaign) for categories with any figure, largest first."""
    by = content["categories"]
    cats = set(by["campaign"].get(metric_id, {})) | set(by["quarter"].get(metric_id, {}))
    rows = [(c, by["quarter"].get(metric_id, {}).get(c, 0), by["previous_quarter"].get(metric_id, {}).get(c, 0),
             by["campaign"].get(metric_id, {}).get(c, 0)) for c in cats]
    return sorted(rows, key=lambda r: (-r[1], -r[3], r[0]))


def category_sections(content: dict, lang: str) -> list[dict]:
    """[{metric, name, sentences, table}] for each categorised metric with data; [] for old snapshots."""
    if "categories" not in content:
        return []
    meta = metric_meta(content)
    out = []
    for metric_id in SECTION_METRICS:
        rows = _rows(content, metric_id)
        if not rows:
            continue
        m = meta[metric_id]
        sep = t("list_sep", lang)
        sentences = []
        leaders = [r for r in rows if r[1]][:3]
        if leaders:
            sentences.append(t("category.leaders", lang, name=noun(m, lang), items=sep.join(
                t("category.item", lang, **_named(content, c, lang), figure=unit_figure(m, q, lang))
                for c, q, _p, _c in leaders)))
        else:
            sentences.append(t("category.none", lang, name=noun(m, lang)))
        by_campaign = sorted(rows, key=lambda r: (-r[3], r[0]))[:3]
        sentences.append(t("category.campaign", lang, items=sep.join(
            t("category.campaign_item", lang, **_named(content, c, lang), figure=unit_figure(m, v, lang))
            for c, _q, _p, v in by_campaign)))
        moved = sorted((r for r in rows if r[1] != r[2]), key=lambda r: (-abs(r[1] - r[2]), r[0]))[:3]
        if moved:
            sentences.append(t("category.movements", lang, items=sep.join(
                t("category.up" if q > p else "category.down", lang, **_named(content, c, lang),
                  figure=unit_figure(m, abs(q - p), lang)) for c, q, p, _v in moved)))
        header = [t("category.col.category", lang), t("col.quarter", lang), t("col.previous_quarter", lang),
                  t("category.col.change", lang), t("col.campaign", lang)]
        table = {"kind": "category", "header": header, "numeric_from": 1,
                 "rows": [[category_name(content, c, lang), number(q, "en"), number(p, "en"), f"{q - p:+,}".replace("-", "−"),
                           number(v, "en")] for c, q, p, v in rows]}
        out.append({"metric": metric_id, "title": metric_name(m, lang), "sentences": sentences, "table": table})
    return out
