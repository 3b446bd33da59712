"""The Briefings page's editor for the staff-written text of a quarter (administrators only)."""
from __future__ import annotations

from dash import dcc, html

from metrics.api import DIRECTIONS, LANGS, localized, text_keys

from dashboard.web.briefing_text_routes import TEXT_PATH, field_name
from briefing.wording import t
from dashboard.components.forms import post_form


def _label(section: str, lang: str) -> str:
    if section == "case_notes":
        return t("heading.case_notes", lang)
    return localized(next(d for d in DIRECTIONS if str(int(d.number)) == section), lang)


def text_form(quarter: str, texts: dict[tuple[str, str, str], str], lang: str) -> html.Div:
    """One textarea per (section, field, language), prefilled with the saved draft text."""
    groups: dict[str, list] = {}
    for section, field in text_keys():
        areas = [html.Label([f"{t(f'heading.{field}', lang)} · {t(f'page.lang_{text_lang}', lang)}",
                             dcc.Textarea(name=field_name(section, field, text_lang), className="brief-text",
                                          id=f"brief-text-{section}-{field}-{text_lang}",
                                          value=texts.get((section, field, text_lang), ""),
                                          style={"width": "100%", "height": "5em"})],
                            className="control control-wide") for text_lang in LANGS]
        groups.setdefault(section, []).extend(areas)
    fields = [html.Label([t("page.quarter", lang), " ", dcc.Input(name="quarter", value=quarter, required=True,
                                                                   pattern=r"\d{4}Q[1-4]", className="quarter-input")])]
    fields += [html.Fieldset([html.Legend(_label(section, lang)), *areas]) for section, areas in groups.items()]
    return html.Div([html.H2(t("page.texts_heading", lang)), html.P(t("page.texts_intro", lang)),
                     post_form(TEXT_PATH, t("page.save_texts", lang), fields=fields, form_id="briefings-texts",
                               lang=lang)],
                    className="briefing-texts")
