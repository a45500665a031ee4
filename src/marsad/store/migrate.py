"""Run the packaged Alembic migrations programmatically."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from .engine import WRITE_OPTION

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Bring the database to ``revision``; returns False when it was already there."""
    if revision == "head" and current_revision(engine) == head_revision():
        return False
    cfg = alembic_config()
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    return True


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database back to ``revision`` (tests build stores "written by older code" so)."""
    cfg = alembic_config()
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
