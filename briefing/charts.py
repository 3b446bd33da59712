"""Figure builders for the brief: pure functions of a snapshot's content and a language.

Readable in print: the Okabe-Ito colour-blind-safe palette (eight distinct colours), a series far smaller
than its neighbours on its own panel with its own axis (a 0-2 count next to 1,500 is otherwise invisible),
dates in the brief's language, axis titles with units, and incomplete periods (the campaign's first month,
a quarter cut at the as-of date) labelled as partial: bars pale and hatched, a line dotted to a hollow point.
"""
from __future__ import annotations

import calendar
import datetime as dt

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from briefing.story import metric_meta, metric_name, unit_name
from briefing.wording import ZH_QUARTERS, t

FONT = "Noto Sans CJK SC, Noto Sans CJK, sans-serif"
# Okabe & Ito (2008), the colour-blind-safe qualitative palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]
WIDTH, HEIGHT, PANEL_HEIGHT = 900, 380, 190
PALE = 0.4
SMALL = 5  # a series whose peak is under 1/SMALL of its panel's peak gets a panel of its own


def _layout(title: str, **extra) -> dict:
    return dict(title=dict(text=title, x=0.01, font=dict(size=17)), template="plotly_white",
                font=dict(family=FONT, size=13, color="#222"), width=WIDTH, height=HEIGHT,
                margin=dict(l=80, r=20, t=60, b=60), colorway=PALETTE,
                legend=dict(orientation="h", y=-0.2, x=0)) | extra


def _month_name(month: int, lang: str) -> str:
    return calendar.month_abbr[month] if lang == "en" else str(month)


def _partial(label: str, day: dt.date, lang: str, kind: str) -> str:
    return t(f"chart.partial_{kind}", lang, label=label, month=day.month, day=day.day,
             month_name=_month_name(day.month, lang))


def period_labels(content: dict, grain: str, lang: str) -> tuple[list[str], list[bool]]:
    """Labels in the brief's language, and which periods are incomplete (first and last may be)."""
    raw = content["series"][grain]["labels"]
    start, as_of = (dt.date.fromisoformat(d) for d in content["windows"]["campaign"])
    labels, partial = [], []
    for i, label in enumerate(raw):
        if grain == "quarter":
            year, q = label.split("Q")
            text = t("chart.quarter_label", lang, year=year, q=q, q_zh=ZH_QUARTERS[int(q) - 1])
            first_day = dt.date(int(year), 3 * int(q) - 2, 1)
            last_day = _last_day(dt.date(int(year), 3 * int(q), 1))
        else:
            year, month = (int(x) for x in label.split("-"))
            text = t("chart.month_label", lang, year=year, month=month, month_name=_month_name(month, lang))
            first_day, last_day = dt.date(year, month, 1), _last_day(dt.date(year, month, 1))
        cut_start, cut_end = i == 0 and start > first_day, i == len(raw) - 1 and as_of < last_day
        if cut_end:
            text = _partial(text, as_of, lang, "to")
        elif cut_start:
            text = _partial(text, start, lang, "from")
        labels.append(text)
        partial.append(cut_start or cut_end)
    return labels, partial


def _last_day(month_start: dt.date) -> dt.date:
    return month_start.replace(day=calendar.monthrange(month_start.year, month_start.month)[1])


def panels(series: dict[str, list[int]]) -> list[list[str]]:
    """Group series (largest first) so that none sits on an axis more than SMALL times its own peak."""
    groups: list[list[str]] = []
    for key in sorted(series, key=lambda k: -max(series[k], default=0)):
        peak = max(series[key], default=0)
        if groups and peak * SMALL >= max(series[groups[-1][0]], default=0):
            groups[-1].append(key)
        else:
            groups.append([key])
    return groups


def _unit_word(meta: dict, lang: str) -> str:
    return t(f"chart.unit.{meta['unit']}", lang, measure=meta["measure_zh"])


def build_direction_figure(content: dict, direction: int, lang: str) -> go.Figure:
    """Quarterly national figures of one direction's counts and people, one panel per scale."""
    meta = metric_meta(content)
    names = {d["number"]: d["name_zh" if lang == "zh" else "name_en"] for d in content["catalog"]["directions"]}
    values = content["series"]["quarter"]["values"]
    x, partial = period_labels(content, "quarter", lang)
    chosen = [m for m in meta.values() if m["direction"] == direction and m["unit"] != "yuan"]
    groups = [g for unit in ("count", "people")
              for g in panels({m["id"]: values[m["id"]] for m in chosen if m["unit"] == unit})]
    fig = make_subplots(rows=len(groups), cols=1, shared_xaxes=True, vertical_spacing=0.08 if len(groups) > 1 else 0)
    fig.update_layout(_layout(f"{direction}. {names[direction]}", barmode="group",
                              height=max(HEIGHT, 110 + PANEL_HEIGHT * len(groups))))
    colour = {m["id"]: PALETTE[i % len(PALETTE)] for i, m in enumerate(chosen)}
    for row, group in enumerate(groups, start=1):
        for mid in group:
            m = meta[mid]
            fig.add_bar(x=x, y=values[mid], name=metric_name(m, lang), row=row, col=1,
                        marker=_partial_marker(colour[mid], partial))
        unit = _unit_word(meta[group[0]], lang)
        fig.update_yaxes(title_text=unit, rangemode="tozero", row=row, col=1)
    fig.update_xaxes(title_text=t("chart.quarter_axis", lang), row=len(groups), col=1)
    _note_partial(fig, partial, lang)
    return fig


def _partial_marker(colour: str, partial: list[bool]) -> dict:
    """Bars of incomplete periods pale and hatched: still told apart in a grey print."""
    return dict(color=colour, opacity=[PALE if p else 1 for p in partial],
                pattern=dict(shape=["/" if p else "" for p in partial], fgcolor="#444", solidity=0.25))


def _note_partial(fig: go.Figure, partial: list[bool], lang: str, key: str = "chart.partial_note") -> None:
    if any(partial):
        fig.add_annotation(text=t(key, lang), xref="paper", yref="paper", x=1, y=1.06,
                           showarrow=False, xanchor="right", font=dict(size=11, color="#555"))


def build_amounts_figure(content: dict, lang: str) -> go.Figure:
    """Quarterly amounts involved, in 亿元 (zh) or billion yuan (en)."""
    meta = metric_meta(content)
    values = content["series"]["quarter"]["values"]
    scale = 1e8 if lang == "zh" else 1e9
    fig = go.Figure(layout=_layout(t("chart.amounts_title", lang), barmode="group"))
    x, partial = period_labels(content, "quarter", lang)
    for i, m in enumerate(m for m in meta.values() if m["unit"] == "yuan"):
        fig.add_bar(x=x, y=[v / scale for v in values[m["id"]]], name=metric_name(m, lang),
                    marker=_partial_marker(PALETTE[i], partial))
    fig.update_yaxes(title_text=t("chart.amounts_axis", lang), rangemode="tozero")
    fig.update_xaxes(title_text=t("chart.quarter_axis", lang))
    _note_partial(fig, partial, lang)
    return fig


def build_top_bureaus_figure(content: dict, metric_id: str, lang: str, *, top: int = 10) -> go.Figure:
    """The units (HQ among them) with most of a metric this quarter, with the previous quarter's same point."""
    meta = metric_meta(content)[metric_id]
    now = content["figures"]["quarter"]["units"]
    before = content["figures"]["previous_quarter"]["units"]
    ranked = sorted(content["units"], key=lambda c: (-now[c][metric_id], c))[:top][::-1]
    names = [unit_name(content, c, lang) for c in ranked]
    name = metric_name(meta, lang)
    fig = go.Figure(layout=_layout(t("chart.top_title", lang, name=name, top=top), barmode="group", height=460,
                                   margin=dict(l=110, r=20, t=60, b=90)))
    fig.add_bar(y=names, x=[now[c][metric_id] for c in ranked], orientation="h", name=t("chart.this_quarter", lang),
                marker_color=PALETTE[0])
    fig.add_bar(y=names, x=[before[c][metric_id] for c in ranked], orientation="h",
                name=t("chart.previous_same_point", lang), marker_color=PALETTE[1])
    unit = t(f"chart.measure.{meta['unit']}", lang, measure=meta["measure_zh"])
    fig.update_xaxes(title_text=t("chart.top_axis", lang, name=name, unit=unit), rangemode="tozero")
    fig.update_yaxes(title_text=t("col.reporting_unit", lang))
    return fig


def build_progress_figure(content: dict, lang: str) -> go.Figure:
    """Cumulative national figures as a share of the published figure, month by month."""
    meta = metric_meta(content)
    series = content["series"]["month"]
    x, partial = period_labels(content, "month", lang)
    fig = go.Figure(layout=_layout(t("chart.progress_title", lang), height=420))
    for i, m in enumerate(m for m in meta.values() if m["published_over"]):
        running, ys = 0, []
        for v in series["values"][m["id"]]:
            running += v
            ys.append(running / m["published_over"] * 100)
        line = dict(color=PALETTE[i % len(PALETTE)], dash=DASHES[i % len(DASHES)], width=2.2)
        cut = len(x) - 1 if partial and partial[-1] and len(x) > 1 else len(x)
        fig.add_scatter(x=x[:cut], y=ys[:cut], mode="lines", name=metric_name(m, lang), legendgroup=m["id"], line=line)
        if cut < len(x):  # the incomplete month: a dotted segment to a hollow point, never a line that flattens
            fig.add_scatter(x=x[-2:], y=ys[-2:], mode="lines+markers", name=metric_name(m, lang), legendgroup=m["id"],
                            showlegend=False, line=line | dict(dash="dot"),
                            marker=dict(size=[0, 9], symbol="circle-open", color=line["color"], line=dict(width=2)))
    fig.add_hline(y=100, line_dash="dot", line_color="#888")
    fig.update_yaxes(title_text=t("chart.progress_axis", lang), rangemode="tozero")
    fig.update_xaxes(title_text=t("chart.month_axis", lang), nticks=12)
    if partial and partial[-1]:
        _note_partial(fig, partial, lang, "chart.partial_line")
    return fig


def build_brief_figures(content: dict, lang: str) -> dict[str, go.Figure]:
    """Every chart of one brief, keyed by a file-name stem."""
    figures = {f"direction_{d['number']}": build_direction_figure(content, d["number"], lang)
               for d in content["catalog"]["directions"]}
    figures["amounts"] = build_amounts_figure(content, lang)
    figures["top_bureaus"] = build_top_bureaus_figure(content, content["catalog"]["lead_metrics"]["1"], lang)
    figures["progress"] = build_progress_figure(content, lang)
    return figures
