"""Alembic environment: the archive's engine is passed in by desktop.core.archive.db."""

from alembic import context

from desktop.core.archive.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
