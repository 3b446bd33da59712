"""No application module uses a private name of Dash (or its component packages): the next release may
rename it. Dash's documented test technique (`dash._callback_context.context_value`) is left to tests/."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("dashboard", "figures", "briefing", "metrics", "etl", "demo", "wiring")


def _private(dotted: str) -> bool:
    parts = dotted.split(".")
    return parts[0].startswith("dash") and any(p.startswith("_") and not p.startswith("__") for p in parts[1:])


def private_dash_uses(source: str) -> list[str]:
    found, dash_names = [], set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("dash"):
                    dash_names.add((alias.asname or alias.name).split(".")[0])
                if _private(alias.name):
                    found.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dash"):
            found += [f"from {node.module} import {a.name}" for a in node.names
                      if _private(node.module) or (a.name.startswith("_") and not a.name.startswith("__"))]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in dash_names \
                and node.attr.startswith("_") and not node.attr.startswith("__"):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_the_checker_sees_each_form():
    assert private_dash_uses("from dash import _callback") == ["from dash import _callback"]
    assert private_dash_uses("from dash._utils import AttributeDict") == ["from dash._utils import AttributeDict"]
    assert private_dash_uses("import dash._callback") == ["import dash._callback"]
    assert private_dash_uses("import dash\ndash._callback.GLOBAL_CALLBACK_LIST.clear()") == ["dash._callback"]
    assert private_dash_uses("import dash\nfrom dash import callback, html\ndash.page_registry") == []


def test_no_application_module_uses_a_private_dash_name():
    files = [p for pkg in PACKAGES if (ROOT / pkg).is_dir() for p in (ROOT / pkg).rglob("*.py")]
    files += [ROOT / "app.py", ROOT / "wsgi.py"]
    offenders = {str(p.relative_to(ROOT)): uses for p in files if p.exists()
                 if (uses := private_dash_uses(p.read_text(encoding="utf-8")))}
    assert offenders == {}
