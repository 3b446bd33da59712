"""Briefings: published versions, downloads, revision notes, and any figure "as of the brief" against "now"."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

import dash
from dash import Input, Output, dcc, html

from metrics.api import WINDOW_KINDS, BriefingPeriod, SnapshotNotFound, TotalsRequest, Window, pct_change

from briefing.narrative import figure_text, pct_text
from briefing.revisions import revision_lines
from briefing.story import metric_meta, metric_name, unit_name
from briefing.wording import t as brief_t
from dashboard.components.brief_text_form import text_form
from dashboard.callbacks.registry import callback
from dashboard.web.admin_routes import PUBLISH_PATH
from dashboard.web.briefing_routes import download_url
from dashboard.components.forms import post_form
from dashboard.data import as_of, current_principal, get_query
from dashboard.components.controls import dropdown_labels

dash.register_page(__name__, path="/briefings", name="Briefings", order=5)


class Ids(StrEnum):
    LANG = "briefings-lang"
    VERSION = "briefings-version"
    METRIC = "briefings-metric"
    SCOPE = "briefings-scope"
    WINDOW = "briefings-window"
    COMPARE = "briefings-compare"
    REVISION = "briefings-revision"


def _zh(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _version_label(row: dict, lang: str) -> str:
    created = row["created_at"].astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    return _zh(lang, f"{row['period']} 第{row['version']}版（{created}）",
               f"{row['period']} version {row['version']} ({created})")


def _changes_summary(row: dict, lang: str) -> str:
    note = row["revision_note"]
    if note is None:
        return _zh(lang, "首个版本", "first version")
    runs = ", ".join(f"#{load['run_id']}" for load in note["late_loads"] if load["run_id"] is not None) or "—"
    return _zh(lang, f"{len(note['changes'])}项数字变化；晚到加载：{runs}",
               f"{len(note['changes'])} figures changed; late loads: {runs}")


def versions_table(rows: list[dict], lang: str) -> html.Table:
    header = [_zh(lang, h_zh, h_en) for h_zh, h_en in (("版本", "Version"), ("内容哈希", "Content hash"),
                                                        ("修订", "Revisions"), ("下载", "Downloads"))]
    body = []
    for row in rows:
        links = [html.A(f"{lg.upper()} {fmt.upper()}", href=download_url(row["id"], lg, fmt), className="download-link")
                 for lg in ("zh", "en") for fmt in ("pdf", "docx", "html")]
        links.append(html.A("JSON", href=download_url(row["id"], lang, "json"), className="download-link"))
        body.append(html.Tr([html.Td(_version_label(row, lang)), html.Td(html.Code(row["content_hash"][:16])),
                             html.Td(_changes_summary(row, lang)), html.Td(links)]))
    return html.Table([html.Thead(html.Tr([html.Th(h) for h in header])), html.Tbody(body)], className="data-table")


def publish_form(lang: str) -> html.Form | None:
    """Administrators publish (freeze) a quarter's brief from here; the route checks the role again."""
    if not current_principal().is_admin:
        return None
    quarter = BriefingPeriod.last_completed_quarter(as_of()).label
    return post_form(PUBLISH_PATH, _zh(lang, "发布简报", "Publish brief"), form_id="briefings-publish", lang=lang,
                     fields=[html.Label([_zh(lang, "季度", "Quarter"), " ",
                                         dcc.Input(name="quarter", value=quarter, pattern=r"\d{4}Q[1-4]",
                                                   required=True, className="quarter-input")])])


def texts_editor(lang: str) -> html.Div | None:
    """Administrators and editors write the quarter's key work, next steps and case notes here (the route and
    the store check again)."""
    if not current_principal().can_write_briefs:
        return None
    quarter = BriefingPeriod.last_completed_quarter(as_of()).label
    return text_form(quarter, get_query().briefings.texts(quarter), lang)


def layout(lang: str = "zh", **_state) -> html.Div:
    rows = get_query().briefings.versions()
    if not rows:
        return html.Div([publish_form(lang), texts_editor(lang), html.P(_zh(lang, "尚无已发布的简报。管理员可在此发布，或运行 python app.py briefing --quarter 2025Q4 --publish。",
                                   "No brief has been published yet. An administrator can publish one here, or run "
                                   "python app.py briefing --quarter 2025Q4 --publish."))], className="briefings")
    windows = [{"label": brief_t(f"window.{k}", lang), "value": k} for k in WINDOW_KINDS]
    metric_options, scope_options = choices(rows[0]["id"], lang)
    return html.Div([
        dcc.Store(id=Ids.LANG, data=lang),
        html.H2(_zh(lang, "已发布的简报", "Published briefs")),
        publish_form(lang),
        versions_table(rows, lang),
        texts_editor(lang),
        html.H2(_zh(lang, "简报口径与当前数字", "As of the brief, and now")),
        html.Div([
            html.Label([_zh(lang, "版本", "Version"), dcc.Dropdown(
                id=Ids.VERSION, options=[{"label": _version_label(r, lang), "value": r["id"]} for r in rows],
                value=rows[0]["id"], clearable=False, labels=dropdown_labels(lang))], className="control control-wide"),
            # Options come with the layout: a Dash 4 Dropdown whose value arrives before its options drops it.
            html.Label([_zh(lang, "指标", "Metric"), dcc.Dropdown(id=Ids.METRIC, value="clue_referrals",
                                                                 options=metric_options, clearable=False,
                                                                 labels=dropdown_labels(lang))],
                       className="control"),
            html.Label([_zh(lang, "范围", "Scope"), dcc.Dropdown(id=Ids.SCOPE, value="CN", options=scope_options,
                                                                clearable=False, labels=dropdown_labels(lang))], className="control"),
            html.Label([_zh(lang, "期间", "Window"), dcc.RadioItems(id=Ids.WINDOW, options=windows,
                                                                  value="campaign", inline=True)],
                       className="control"),
        ], className="page-controls"),
        html.Div(id=Ids.COMPARE, className="briefing-compare"),
        html.H2(_zh(lang, "修订说明", "Revision note")),
        html.Ul(id=Ids.REVISION, className="revision-note"),
    ], className="briefings")


def choices(snapshot_id, lang: str) -> tuple[list[dict], list[dict]]:
    """The metrics and scopes a version froze, as dropdown options."""
    content = get_query().briefings.get(snapshot_id).content
    metrics = [{"label": metric_name(m, lang), "value": mid} for mid, m in metric_meta(content).items()]
    scopes = [{"label": _zh(lang, "全国", "National"), "value": "CN"}] + [
        {"label": unit_name(content, code, lang), "value": code} for code in content["units"]]
    return metrics, scopes


@callback(Output(Ids.METRIC, "options"), Output(Ids.SCOPE, "options"), Input(Ids.VERSION, "value"),
          Input(Ids.LANG, "data"), prevent_initial_call=True)
def update_choices(snapshot_id, lang):
    return choices(snapshot_id, lang)


def frozen_and_current(content: dict, metric: str, scope: str, window_kind: str, query) -> tuple[int, int, Window]:
    """The figure as the brief froze it, and the same figure read from the store now."""
    figures = content["figures"][window_kind]
    frozen = figures["national"][metric] if scope == "CN" else figures["units"][scope][metric]
    start, end = (dt.date.fromisoformat(d) for d in content["windows"][window_kind])
    window = Window(start, end)
    current = query.totals(TotalsRequest(window, (metric,), unit=None if scope == "CN" else scope)).frame
    return frozen, int(current["value"].iloc[0]), window


@callback(Output(Ids.COMPARE, "children"), Output(Ids.REVISION, "children"), Input(Ids.VERSION, "value"),
          Input(Ids.METRIC, "value"), Input(Ids.SCOPE, "value"), Input(Ids.WINDOW, "value"), Input(Ids.LANG, "data"))
def update_compare(snapshot_id, metric, scope, window_kind, lang):
    try:
        briefing = get_query().briefings.get(snapshot_id)
    except SnapshotNotFound:
        return html.P(_zh(lang, "找不到该版本。", "No such version.")), []
    content = briefing.content
    meta = metric_meta(content).get(metric) or metric_meta(content)["clue_referrals"]
    scope = scope if scope == "CN" or scope in content["units"] else "CN"
    frozen, current, window = frozen_and_current(content, meta["id"], scope, window_kind or "campaign", get_query())
    delta = current - frozen
    where = _zh(lang, "全国", "national") if scope == "CN" else unit_name(content, scope, lang)
    rows = [(_zh(lang, "简报口径", "As of the brief"), figure_text(frozen, meta["unit"], lang, meta["measure_zh"])),
            (_zh(lang, "当前数字", "Now"), figure_text(current, meta["unit"], lang, meta["measure_zh"])),
            (_zh(lang, "差异", "Difference"), f"{delta:+,}"
             + (f"（{pct_text(pct_change(current, frozen, meta['unit']), lang)}）" if delta else ""))]
    caption = f"{metric_name(meta, lang)} · {where} · {window.start} – {window.end}"
    table = html.Table([html.Caption(caption), html.Tbody([html.Tr([html.Th(k), html.Td(v)]) for k, v in rows])],
                       className="data-table")
    lines = revision_lines(briefing.revision_note, content, lang)
    return table, [html.Li(line) for line in lines]


