"""Engine creation and schema upgrades for the metrics store."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class StoreUnavailableError(RuntimeError):
    """The metrics store cannot be reached or opened."""


# What a request meets while the store is down or cut off (server stopped, connection dropped, pool exhausted,
# SQLite locked): the web layer answers 503 and retries on the next request, the pool's pre-ping reconnects.
STORE_OUTAGE_ERRORS = (StoreUnavailableError, OperationalError, InterfaceError, PoolTimeoutError)


def make_engine(url: str, *, schema: str | None = None, pool_size: int = 5) -> Engine:
    """Build an engine. `schema` pins PostgreSQL's search_path so test runs and tenants stay apart."""
    kwargs: dict = {"future": True}
    if url.startswith("sqlite"):
        if ":memory:" not in url and "mode=memory" not in url:
            db_path = url.split("///", 1)[-1]
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    else:
        kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        if schema and url.startswith("postgresql"):
            kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the ETL writer
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def check_reachable(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0]
        raise StoreUnavailableError(f"cannot reach the metrics store at {engine.url.render_as_string()}: {reason}") from None


def head_revision() -> str:
    """This release's schema: the newest migration (files are named by their revision, 0001_... upwards)."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))


def check_schema(engine: Engine) -> None:
    """The store holds this release's schema; else one actionable line instead of a "no such table" traceback."""
    where = engine.url.render_as_string()
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        raise StoreUnavailableError(f"the metrics store at {where} has no schema yet: run `python app.py db upgrade`"
                                    ) from None
    head = head_revision()
    if found != head:
        raise StoreUnavailableError(f"the metrics store at {where} is at schema {found}, this release needs "
                                    f"{head}: run `python app.py db upgrade`")


def store_engine(settings, *, check: bool = False, read: bool = False, any_schema: bool = False) -> Engine:
    """The one engine factory of every command: the store of `settings` (its read replica with `read` when one
    is configured). With `check`, reachable and at this release's schema (`any_schema`: reachable only, for
    backups and restores), so a bad URL or a store not yet upgraded is one line, not a traceback."""
    url = settings.store.read_url if read and settings.store.read_url else settings.store.url
    engine = make_engine(url, schema=settings.store.schema)
    if check:
        check_reachable(engine)
        if not any_schema:
            check_schema(engine)
    return engine


def upgrade(engine: Engine) -> None:
    """Apply all Alembic migrations, then sync the shipped reference data (idempotent)."""
    from alembic import command
    from alembic.config import Config

    from metrics.reference import sync_reference_data

    check_reachable(engine)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with session_factory(engine)() as session, session.begin():
        sync_reference_data(session)
