"""The exact figures behind the narrative, and the revision note, as plain rows and lines (pure)."""
from __future__ import annotations

from metrics.api import pct_change

from briefing.narrative import official_figure, pct_text

from briefing.story import metric_meta, metric_name, unit_name

WINDOW_LABELS = {
    "quarter": ("本季度", "quarter"),
    "previous_quarter": ("上季度同期", "previous quarter, same point"),
    "year_ago": ("上年同期", "same quarter last year"),
    "campaign": ("行动以来累计", "campaign to date"),
}
UNIT_LABELS = {"count": ("个数", "count"), "people": ("人次", "people"), "yuan": ("元", "yuan")}


def _i(lang: str) -> int:
    return 0 if lang == "zh" else 1


def figures_table(content: dict, lang: str) -> dict:
    """National figures per metric: quarter, comparisons, campaign to date and the published figure."""
    i = _i(lang)
    header = (["方向", "指标", "单位", "本季度", "上季度同期", "环比", "上年同期", "同比", "行动以来累计", "公开通报口径"]
              if lang == "zh" else
              ["Dir.", "Metric", "Unit", "Quarter", "Prev. quarter", "QoQ", "Year ago", "YoY", "Campaign to date",
               "Published figure"])
    f = content["figures"]
    rows = []
    for mid, meta in metric_meta(content).items():
        q, p, y, c = (f[k]["national"][mid] for k in ("quarter", "previous_quarter", "year_ago", "campaign"))
        published = (official_figure(meta["published_over"] + 1, meta["unit"], lang, meta["measure_zh"])
                     if meta["published_over"] else "")
        rows.append([str(meta["direction"]), metric_name(meta, lang), UNIT_LABELS[meta["unit"]][i],
                     f"{q:,}", f"{p:,}", pct_text(pct_change(q, p, meta["unit"]), lang), f"{y:,}",
                     pct_text(pct_change(q, y, meta["unit"]), lang), f"{c:,}", published])
    return {"header": header, "rows": rows, "numeric_from": 3}


def bureau_table(content: dict, lang: str) -> dict:
    """Each direction's lead metric per unit (HQ and the 36 bureaus): this quarter, previous, per 10m residents."""
    meta = metric_meta(content)
    leads = [meta[content["catalog"]["lead_metrics"][str(d["number"])]] for d in content["catalog"]["directions"]]
    f = content["figures"]
    header = ["单位" if lang == "zh" else "Unit"]
    for m in leads:
        name = metric_name(m, lang)
        header += [name, "上季度同期" if lang == "zh" else "prev.", "每千万人" if lang == "zh" else "per 10m"]
    rows = []
    for code, unit in content["units"].items():
        row = [unit_name(content, code, lang)]
        for m in leads:
            now, before = f["quarter"]["units"][code][m["id"]], f["previous_quarter"]["units"][code][m["id"]]
            rate = f"{now / (unit['population_10k'] / 1000):.2f}" if unit["population_10k"] else "—"
            row += [f"{now:,}", f"{before:,}", rate]
        rows.append(row)
    return {"header": header, "rows": rows, "numeric_from": 1}


def _scope(content: dict, scope: str, lang: str) -> str:
    if scope == "CN":
        return "全国" if lang == "zh" else "national"
    return unit_name(content, scope, lang) if scope in content["units"] else scope


def revision_lines(note: dict | None, content: dict, lang: str, *, limit: int = 60) -> list[str]:
    """One line per changed figure, then one per late load that caused the changes."""
    zh = lang == "zh"
    if note is None:
        return ["首个版本。" if zh else "First version."]
    prev = note["previous"]
    head = (f"与第{prev['version']}版（{prev['created_at'][:16].replace('T', ' ')} UTC，哈希{prev['content_hash'][:12]}）相比："
            if zh else
            f"Compared with version {prev['version']} ({prev['created_at'][:16].replace('T', ' ')} UTC, "
            f"hash {prev['content_hash'][:12]}):")
    lines = [head]
    if note["no_change"]:
        lines.append("数据无变化。" if zh else "No change.")
    meta = metric_meta(content)
    for change in note["changes"][:limit]:
        m = meta.get(change["metric"], {"name_zh": change["metric"], "name_en": change["metric"]})
        window = WINDOW_LABELS[change["window"]][_i(lang)]
        lines.append(f"{metric_name(m, lang)} · {_scope(content, change['scope'], lang)} · {window}："
                     f"{change['old']:,} → {change['new']:,}（{change['delta']:+,}）" if zh else
                     f"{metric_name(m, lang)} · {_scope(content, change['scope'], lang)} · {window}: "
                     f"{change['old']:,} → {change['new']:,} ({change['delta']:+,})")
    if len(note["changes"]) > limit:
        more = len(note["changes"]) - limit
        lines.append(f"……另有{more}项变化。" if zh else f"… and {more} more changed figures.")
    if note["series_points_changed"]:
        n = note["series_points_changed"]
        lines.append(f"图表序列中有{n}个数据点随之变化。" if zh else f"{n} chart series points changed with them.")
    for part in note["other_changes"]:
        lines.append(f"其他变化：{part}。" if zh else f"Also changed: {part}.")
    for load in note["late_loads"]:
        bureaus = ", ".join(_scope(content, b, lang) for b in load["bureaus"]) or "—"
        metrics = ", ".join(metric_name(meta[m], lang) for m in load["metrics"] if m in meta) or "—"
        run = f"#{load['run_id']}" if load["run_id"] is not None else ("（无运行编号）" if zh else "(no run id)")
        finished = (load["finished_at"] or "")[:16].replace("T", " ")
        if zh:
            cause = "其写入的数据涉及上述指标" if load["evidence"] == "facts" else "其重述区间覆盖上述日期"
            lines.append(f"原因：ETL运行{run}（数据源{load['source']}，完成于{finished} UTC，{cause}；"
                         f"{load['rows']}行，{load['first_day']}至{load['last_day']}，指标：{metrics}，单位：{bureaus}）")
        else:
            cause = "its rows are in these figures" if load["evidence"] == "facts" else "it restated these days"
            lines.append(f"Caused by ETL run {run} (source {load['source']}, finished {finished} UTC; {cause}; "
                         f"{load['rows']} rows, {load['first_day']} to {load['last_day']}; metrics: {metrics}; "
                         f"units: {bureaus})")
    if note["changes"] and not note["late_loads"]:
        lines.append("未找到对应的晚到数据加载（可能为直接更正）。" if zh else
                     "No late load found for these changes (a direct correction?).")
    return lines
