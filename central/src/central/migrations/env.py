"""Alembic's entry point for the central server's migrations.

The server runs them itself (central.migrate), handing over a connection already inside a
transaction (`config.attributes["connection"]`): the whole upgrade is one transaction on both
engines, and central.migrate has taken the lock, checked the version and made the backup.

For developers only, Alembic's own command works on a scratch database, e.g. to draft a
migration (`alembic -c central/alembic.ini -x url=sqlite:////tmp/scratch.db revision
--autogenerate -m "what changes"`); then write the operations out explicitly.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from central.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the database: alembic -x url=sqlite:////path/to/scratch.db ...")
    with create_engine(url).connect() as fresh:
        context.configure(connection=fresh, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
