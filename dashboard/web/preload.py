"""Preload hints in the page's head, so what the first chart waits for is fetched while the scripts run.

Without them the browser asks for the layout and the callback graph only after every script has executed, and
for dcc's lazy chunks (graph, dropdown, date picker: every page has them) only once the page's components
arrive from the router callback: three waits in a row on a cold page.
"""
from __future__ import annotations

import dash

CHUNKS = ("graph", "dropdown", "datepicker")
FETCHES = ("_dash-layout", "_dash-dependencies")


def preload_tags(prefix: str) -> str:
    chunks = [f'<link rel="preload" as="script" href="{prefix}_dash-component-suites/dash/dcc/async-{name}.js">'
              for name in CHUNKS]
    fetches = [f'<link rel="preload" as="fetch" crossorigin="anonymous" href="{prefix}{path}">'
               for path in FETCHES]
    return "\n        ".join(fetches + chunks)


def add_preloads(app: dash.Dash) -> None:
    tags = preload_tags(app.config.requests_pathname_prefix)
    app.index_string = app.index_string.replace("{%css%}", tags + "\n        {%css%}", 1)
