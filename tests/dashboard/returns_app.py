"""An app serving returns over a fresh store, with users of every returns role and their tokens."""
from __future__ import annotations

from types import SimpleNamespace

from dashboard import create_app
from metrics.api import MetricsStore
from metrics.config import Settings, StoreSettings, WebSettings
from metrics.users import add_user, issue_token
from tests.metrics.returns_fixtures import desk

RETURN_USERS = {"gz_clerk": ("sub_bureau", "440100"), "gd_reviewer": ("bureau", "440000"),
                "gd_head": ("bureau", "440000"), "bj_reviewer": ("bureau", "110000"), "hq_lead": ("leadership", None),
                "admin": ("admin", None)}


def password(name: str) -> str:
    return f"{name}-correct-horse-9"


def returns_app(engine, root) -> SimpleNamespace:
    for name, (role, unit) in RETURN_USERS.items():
        add_user(engine, name, role, password(name), unit_code=unit)
    settings = Settings(data_dir=root, store=StoreSettings(url="sqlite://"), sources_path=root / "none.yaml",
                        web=WebSettings(secret_key="a-test-secret-key"))
    the_desk = desk(engine)
    app = create_app(settings, MetricsStore(engine), returns=the_desk)
    tokens = {name: {"Authorization": f"Bearer {issue_token(engine, name, 'returns-test')}"} for name in RETURN_USERS}
    return SimpleNamespace(app=app, engine=engine, desk=the_desk, tokens=tokens, client=app.server.test_client())
