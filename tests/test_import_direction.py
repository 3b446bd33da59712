"""Dependencies point one way: dashboard -> briefing -> figures -> metrics query API <- etl <- demo;
metrics imports none of them."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What the dashboard may import from metrics: the query API and plain settings, never models or engines.
DASHBOARD_METRICS_ALLOWED = {"metrics.api", "metrics.config"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _top(name: str) -> str:
    return name.split(".", 1)[0]


@pytest.mark.parametrize("path", _modules("metrics"), ids=lambda p: str(p.relative_to(ROOT)))
def test_metrics_imports_neither_etl_nor_dashboard(path):
    forbidden = ("etl", "dashboard", "app", "wiring", "demo", "briefing", "figures")
    bad = {n for n in _imports(path) if _top(n) in forbidden}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", _modules("etl"), ids=lambda p: str(p.relative_to(ROOT)))
def test_etl_does_not_import_dashboard(path):
    bad = {n for n in _imports(path) if _top(n) in ("dashboard", "app", "wiring", "demo", "briefing", "figures")}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", _modules("demo"), ids=lambda p: str(p.relative_to(ROOT)))
def test_demo_is_not_imported_by_the_store_and_imports_no_web(path):
    bad = {n for n in _imports(path) if _top(n) in ("dashboard", "app", "wiring")}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", _modules("dashboard"), ids=lambda p: str(p.relative_to(ROOT)))
def test_dashboard_only_uses_the_query_api(path):
    imports = _imports(path)
    bad = {n for n in imports if _top(n) in ("etl", "sqlalchemy", "app", "wiring")}
    metrics_imports = {n for n in imports if _top(n) == "metrics"}
    bad |= {n for n in metrics_imports
            if not any(n == ok or n.startswith(ok + ".") for ok in DASHBOARD_METRICS_ALLOWED) and n != "metrics"}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def _outside(imports: set[str], own: str, allowed: set[str]) -> set[str]:
    """Project imports (and SQLAlchemy) that are neither the package itself nor an allowed module."""
    project = {"metrics", "etl", "dashboard", "demo", "briefing", "figures", "app", "wiring", "sqlalchemy"}
    return {n for n in imports if _top(n) in project and _top(n) != own
            and not any(n == ok or n.startswith(ok + ".") for ok in allowed)}


@pytest.mark.parametrize("path", _modules("briefing"), ids=lambda p: str(p.relative_to(ROOT)))
def test_briefing_imports_only_the_query_api_and_figures(path):
    bad = _outside(_imports(path), "briefing", {"metrics.api", "figures"})
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", _modules("figures"), ids=lambda p: str(p.relative_to(ROOT)))
def test_figures_import_only_the_query_api(path):
    bad = _outside(_imports(path), "figures", {"metrics.api"})
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_the_rule_is_checked_on_real_files():
    assert all(_modules(p) for p in ("metrics", "etl", "dashboard", "demo", "briefing", "figures"))


def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", _modules("dashboard"), ids=lambda p: str(p.relative_to(ROOT)))
def test_dashboard_never_names_an_engine(path):
    """The dashboard holds a MetricsStore and reads through the query object; it never reaches for an engine."""
    tree = ast.parse(_source(path))
    named = sorted({node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "engine"}
                   | {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == "engine"}
                   | {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg) and node.arg == "engine"})
    assert not named, f"{path.relative_to(ROOT)} names {named}"


def _defaults(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[ast.arg, ast.expr]]:
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    return pairs + [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]


@pytest.mark.parametrize("path", _modules("metrics"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_metrics_function_defaults_a_principal(path):
    """A principal is always passed: a default (above all SYSTEM) would open the door to whoever forgets it."""
    bad = []
    for fn in ast.walk(ast.parse(_source(path))):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for arg, default in _defaults(fn):
                if arg.arg == "principal" or (isinstance(default, ast.Name) and default.id == "SYSTEM"):
                    bad.append(f"{fn.name}({arg.arg}=...)")
    assert not bad, f"{path.relative_to(ROOT)}: {bad}"
