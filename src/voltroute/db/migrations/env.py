"""Alembic environment: runs on the connection handed over by voltroute.db.database.migrate."""

from alembic import context

from voltroute.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through voltroute.db.database.migrate()")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
