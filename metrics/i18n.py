"""One way to speak two languages: message catalogs, plurals by CLDR rules (babel), names of catalog objects.

A catalog is a YAML file `{key: {zh: text, en: text}}`; a text may instead be a mapping of CLDR plural
categories (`{one: "{count} major case", other: "{count} major cases"}`), chosen by the `count` field.
Each package keeps its own catalog file and one `Messages` object over it; every text goes through `t()`.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml
from babel import Locale

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


class MessageError(KeyError):
    """A key or language missing from a catalog: a programming error, so it fails loudly."""


@cache
def _plural_form(lang: str):
    return Locale.parse(lang).plural_form


def plural_category(lang: str, count: int | float) -> str:
    """The CLDR plural category of `count` in `lang` ('one', 'other', ...)."""
    return _plural_form(lang)(abs(count))


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise MessageError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


class Messages:
    """The messages of one package, read once from its YAML catalog."""

    def __init__(self, entries: Mapping[str, Mapping[str, object]], *, origin: str = "<catalog>"):
        for key, texts in entries.items():
            missing = [lang for lang in LANGS if lang not in texts]
            if missing:
                raise MessageError(f"{origin}: message {key!r} has no {'/'.join(missing)} text")
        self._entries = dict(entries)
        self.origin = origin

    @classmethod
    def from_yaml(cls, path: Path) -> "Messages":
        with open(path, encoding="utf-8") as fh:
            return cls(yaml.safe_load(fh) or {}, origin=str(path))

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def keys(self):
        return self._entries.keys()

    def raw(self, key: str, lang: str) -> object:
        """The unformatted text (or plural mapping) of `key`: for checks over a whole catalog."""
        return self._entries[key][check_lang(lang)]

    def t(self, key: str, lang: str, /, **fields: object) -> str:
        try:
            text = self._entries[key][check_lang(lang)]
        except KeyError:
            raise MessageError(f"{self.origin}: no message {key!r}") from None
        if isinstance(text, Mapping):
            if "count" not in fields:
                raise MessageError(f"{self.origin}: message {key!r} is plural and needs count=")
            category = plural_category(lang, fields["count"])  # type: ignore[arg-type]
            text = text.get(category, text["other"])
        return str(text).format(**fields) if fields else str(text)


def localized(obj: object, lang: str, attr: str = "name") -> str:
    """`obj.name_zh` or `obj.name_en` (catalog metrics, directions, units) without a language branch."""
    return getattr(obj, f"{attr}_{check_lang(lang)}")
