"""Where a native form POST sends the browser back to: the page it came from, in the language it was shown in."""
from __future__ import annotations

from urllib.parse import urlencode

from metrics.api import DEFAULT_LANG, LANGS


def back_to(path: str, form, **params: str) -> str:
    """`path` with `params`, plus the form's `lang` when it is not the default (?lang=en survives a publish)."""
    query = {k: v for k, v in params.items() if v}
    lang = form.get("lang")
    if lang in LANGS and lang != DEFAULT_LANG:
        query["lang"] = lang
    return path + ("?" + urlencode(query) if query else "")
