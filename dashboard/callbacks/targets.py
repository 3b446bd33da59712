"""Targets: where every visible target stands, the current versions, and the CSV import (administrators)."""
from __future__ import annotations

import base64
import binascii
from enum import StrEnum

import pandas as pd
from dash import Input, Output, State, html, no_update

from metrics.api import METRICS, NATION_CODE, get_unit

from dashboard.callbacks.registry import callback
from dashboard.callbacks.common import URL_STATE, page_inputs, view_of
from dashboard.components.charts import simple_table
from dashboard.components.target_badge import status_badge
from figures.formatting import format_amount
from dashboard.i18n import metric_name, t
from dashboard.targets_data import import_targets, judged_day, statuses, targets

PAGE = "targets"


class Ids(StrEnum):
    STATUS_TITLE = "targets-status-title"
    STATUS = "targets-status"
    LIST = "targets-list"
    UPLOAD = "targets-upload"
    RESULT = "targets-import-result"
    VERSION = "targets-version"


def unit_name(code: str, lang: str) -> str:
    return t("nation", lang) if code == NATION_CODE else get_unit(code).name(lang)


def status_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    amount = {m: METRICS[m].unit for m in METRICS}
    return [{"metric": metric_name(r.metric, lang), "unit": unit_name(r.unit_code, lang), "period": r.period,
             "target": format_amount(r.target, lang, amount[r.metric]),
             "actual": format_amount(r.actual, lang, amount[r.metric]),
             "expected": format_amount(round(r.expected), lang, amount[r.metric]),
             "status": status_badge(r.status, lang)} for r in frame.itertuples(index=False)]


def list_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    return [{"metric": metric_name(r.metric, lang), "unit": unit_name(r.unit_code, lang), "period": r.period,
             "target": format_amount(r.value, lang, METRICS[r.metric].unit), "version": str(r.version),
             "set_by": f"{r.set_by} · {r.set_at:%Y-%m-%d}"} for r in frame.itertuples(index=False)]


def _columns(keys: tuple[str, ...], lang: str) -> list[tuple[str, str]]:
    return [(k, t("metric" if k == "metric" else f"col_{k}", lang)) for k in keys]


@callback(Output(Ids.STATUS_TITLE, "children"), Output(Ids.STATUS, "children"), Output(Ids.LIST, "children"),
          *page_inputs(PAGE), Input(Ids.VERSION, "data"))
def update_targets(_ready, search, _version):
    view, _ = view_of(search)
    day = judged_day(view.window.end)
    status = statuses(day)
    return (t("targets_title", view.lang, day=day.isoformat()),
            simple_table(_columns(("metric", "unit", "period", "target", "actual", "expected", "status"), view.lang),
                         status_rows(status, view.lang)),
            simple_table(_columns(("metric", "unit", "period", "target", "version", "set_by"), view.lang),
                         list_rows(targets(), view.lang)))


@callback(Output(Ids.RESULT, "children"), Output(Ids.VERSION, "data"), Input(Ids.UPLOAD, "contents"),
          State(Ids.UPLOAD, "filename"), State(Ids.VERSION, "data"), URL_STATE, prevent_initial_call=True)
def upload_targets(contents, filename, version, search):
    if not contents:
        return no_update, no_update
    lang = view_of(search)[0].lang
    try:
        text = base64.b64decode(contents.split(",", 1)[1]).decode("utf-8-sig")
    except (IndexError, binascii.Error, UnicodeDecodeError):
        return html.P(f"{filename}: not a UTF-8 CSV file", className="import-error"), no_update
    error, rows, added = import_targets(text, filename or "upload.csv")
    if error:
        return html.P(error, className="import-error"), no_update
    return html.P(t("targets_imported", lang, rows=rows, added=added), className="note"), (version or 0) + 1
