"""Alembic environment: migrations run on the engine the application hands over."""
from alembic import context

from bot.concerns.model import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
