"""The exact figures behind the narrative (the annex tables), as plain rows (pure)."""
from __future__ import annotations

from metrics.api import pct_change

from briefing.narrative import official_figure

from briefing.story import metric_meta, metric_name, unit_name
from briefing.wording import day, pct, t

WINDOWS = ("quarter", "previous_quarter", "year_ago", "campaign")


def pct_cell(value: int, base: int, unit: str, lang: str) -> str:
    """+11.9% / −13.1% / 持平 / — (small base): signs are fine in a table, words in the text."""
    p = pct_change(value, base, unit)
    if p is None:
        return t("pct.small_base", lang)
    if abs(p) < 0.05:
        return t("pct.flat", lang)
    return f"{'+' if p > 0 else '−'}{pct(p)}%"


def published_as_of(content: dict) -> str:
    return content["catalog"].get("published_as_of", "2025-11-30")


def _metric_rows(content: dict, lang: str):
    for mid, meta in sorted(metric_meta(content).items(), key=lambda kv: kv[1]["direction"]):
        yield mid, meta, [str(meta["direction"]), metric_name(meta, lang), t(f"unit.{meta['unit']}", lang)]


def figures_table(content: dict, lang: str) -> dict:
    """National figures per metric this quarter against the same point of the previous quarter and last year."""
    header = [t(f"col.{k}", lang) for k in ("direction", "metric", "unit", "quarter", "previous_quarter", "qoq",
                                             "year_ago", "yoy")]
    f = content["figures"]
    rows = []
    for mid, meta, head in _metric_rows(content, lang):
        q, p, y = (f[k]["national"][mid] for k in WINDOWS[:3])
        rows.append(head + [f"{q:,}", f"{p:,}", pct_cell(q, p, meta["unit"], lang), f"{y:,}",
                            pct_cell(q, y, meta["unit"], lang)])
    return {"kind": "figures", "header": header, "rows": rows, "numeric_from": 3}


def campaign_table(content: dict, lang: str) -> dict:
    """National campaign-to-date figures beside the published figure, which is dated (it is as of 2025-11-30)."""
    header = [t(f"col.{k}", lang) for k in ("direction", "metric", "unit", "campaign")]
    header.append(t("col.published", lang, date=day(published_as_of(content), lang)))
    rows = []
    for mid, meta, head in _metric_rows(content, lang):
        published = (official_figure(meta["published_over"] + 1, meta["unit"], lang, meta["measure_zh"])
                     if meta["published_over"] else "")
        rows.append(head + [f"{content['figures']['campaign']['national'][mid]:,}", published])
    return {"kind": "campaign", "header": header, "rows": rows, "numeric_from": 3}


def bureau_table(content: dict, lang: str) -> dict:
    """Each direction's lead metric per unit (HQ and the 36 bureaus): this quarter, previous, per 10m residents."""
    meta = metric_meta(content)
    leads = [meta[content["catalog"]["lead_metrics"][str(d["number"])]] for d in content["catalog"]["directions"]]
    f = content["figures"]
    header = [t("col.reporting_unit", lang)]
    for m in leads:
        header += [metric_name(m, lang), t("col.previous_quarter", lang), t("col.per_10m", lang)]
    rows = []
    for code, unit in content["units"].items():
        row = [unit_name(content, code, lang)]
        for m in leads:
            now, before = f["quarter"]["units"][code][m["id"]], f["previous_quarter"]["units"][code][m["id"]]
            rate = f"{now / (unit['population_10k'] / 1000):.2f}" if unit["population_10k"] else "—"
            row += [f"{now:,}", f"{before:,}", rate]
        rows.append(row)
    return {"kind": "units", "header": header, "rows": rows, "numeric_from": 1}
