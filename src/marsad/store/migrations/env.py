"""Alembic environment for the Marsad store.

Run programmatically by :func:`marsad.store.migrate.upgrade` (a connection is passed in
``config.attributes["connection"]``), or from the command line with
``alembic -c src/marsad/store/alembic.ini -x url=sqlite:///path upgrade head``.
"""

from __future__ import annotations

from alembic import context
from marsad.store.schema import metadata

config = context.config
target_metadata = metadata


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from marsad.store.engine import make_engine, resolve_url

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(resolve_url(url or None))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def run_migrations_offline() -> None:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
