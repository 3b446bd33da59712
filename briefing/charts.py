"""Figure builders for the brief: pure functions of a snapshot's content and a language."""
from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from briefing.story import metric_meta, metric_name, unit_name

FONT = "Noto Sans CJK SC, Noto Sans CJK, sans-serif"
PALETTE = ["#1f4e79", "#c0504d", "#4f9a94", "#e4a11b", "#7f6aa8", "#5b6770"]
WIDTH, HEIGHT = 900, 380


def _layout(title: str, **extra) -> dict:
    return dict(title=dict(text=title, x=0.01, font=dict(size=17)), template="plotly_white",
                font=dict(family=FONT, size=13, color="#222"), width=WIDTH, height=HEIGHT,
                margin=dict(l=60, r=20, t=60, b=50), colorway=PALETTE,
                legend=dict(orientation="h", y=-0.18, x=0)) | extra


def _quarter_labels(content: dict, lang: str) -> list[str]:
    labels = list(content["series"]["quarter"]["labels"])
    as_of = dt.date.fromisoformat(content["as_of"])
    if labels and as_of != _quarter_last_day(as_of):  # the current quarter is cut short: say so
        labels[-1] += f"（至{as_of.month}月{as_of.day}日）" if lang == "zh" else f" (to {as_of:%d %b})"
    return labels


def _quarter_last_day(day: dt.date) -> dt.date:
    first_next = dt.date(day.year + (day.month > 9), (((day.month - 1) // 3 + 1) * 3) % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def build_direction_figure(content: dict, direction: int, lang: str) -> go.Figure:
    """Quarterly national counts of one direction's metrics (amounts have their own chart)."""
    meta = metric_meta(content)
    names = {d["number"]: d["name_zh" if lang == "zh" else "name_en"] for d in content["catalog"]["directions"]}
    values = content["series"]["quarter"]["values"]
    x = _quarter_labels(content, lang)
    fig = go.Figure(layout=_layout(f"{direction}. {names[direction]}", barmode="group"))
    for m in meta.values():
        if m["direction"] == direction and m["unit"] == "count":
            fig.add_bar(x=x, y=values[m["id"]], name=metric_name(m, lang))
    fig.update_yaxes(title_text="每季度数量" if lang == "zh" else "per quarter", rangemode="tozero")
    return fig


def build_amounts_figure(content: dict, lang: str) -> go.Figure:
    """Quarterly amounts involved, in 亿元 (zh) or billion yuan (en)."""
    meta = metric_meta(content)
    values = content["series"]["quarter"]["values"]
    scale, axis = (1e8, "亿元") if lang == "zh" else (1e9, "billion yuan")
    title = "涉案金额（按季度）" if lang == "zh" else "Amounts involved, per quarter"
    fig = go.Figure(layout=_layout(title, barmode="group"))
    x = _quarter_labels(content, lang)
    for m in meta.values():
        if m["unit"] == "yuan":
            fig.add_bar(x=x, y=[v / scale for v in values[m["id"]]], name=metric_name(m, lang))
    fig.update_yaxes(title_text=axis, rangemode="tozero")
    return fig


def build_top_bureaus_figure(content: dict, metric_id: str, lang: str, *, top: int = 10) -> go.Figure:
    """The bureaus with most of a metric this quarter, with the previous quarter's same point beside them."""
    meta = metric_meta(content)[metric_id]
    now = content["figures"]["quarter"]["units"]
    before = content["figures"]["previous_quarter"]["units"]
    codes = [c for c, u in content["units"].items() if u["kind"] == "bureau"]
    ranked = sorted(codes, key=lambda c: (-now[c][metric_id], c))[:top][::-1]
    names = [unit_name(content, c, lang) for c in ranked]
    title = (f"本季度{meta['name_zh']}前{top}位监管局" if lang == "zh" else
             f"Top {top} bureaus this quarter: {meta['name_en'].lower()}")
    fig = go.Figure(layout=_layout(title, barmode="group", height=460))
    fig.add_bar(y=names, x=[now[c][metric_id] for c in ranked], orientation="h",
                name="本季度" if lang == "zh" else "this quarter")
    fig.add_bar(y=names, x=[before[c][metric_id] for c in ranked], orientation="h",
                name="上季度同期" if lang == "zh" else "previous quarter, same point")
    return fig


def build_progress_figure(content: dict, lang: str) -> go.Figure:
    """Cumulative national figures as a share of the published figure, month by month."""
    meta = metric_meta(content)
    series = content["series"]["month"]
    title = "累计进度（占公开通报数字的百分比）" if lang == "zh" else "Cumulative progress, % of the published figure"
    fig = go.Figure(layout=_layout(title))
    for m in meta.values():
        if not m["published_over"]:
            continue
        running, ys = 0, []
        for v in series["values"][m["id"]]:
            running += v
            ys.append(running / m["published_over"] * 100)
        fig.add_scatter(x=series["labels"], y=ys, mode="lines", name=metric_name(m, lang))
    fig.add_hline(y=100, line_dash="dot", line_color="#888")
    fig.update_yaxes(title_text="%", rangemode="tozero")
    return fig


def build_brief_figures(content: dict, lang: str) -> dict[str, go.Figure]:
    """Every chart of one brief, keyed by a file-name stem."""
    figures = {f"direction_{d['number']}": build_direction_figure(content, d["number"], lang)
               for d in content["catalog"]["directions"]}
    figures["amounts"] = build_amounts_figure(content, lang)
    figures["top_bureaus"] = build_top_bureaus_figure(content, content["catalog"]["lead_metrics"]["1"], lang)
    figures["progress"] = build_progress_figure(content, lang)
    return figures
