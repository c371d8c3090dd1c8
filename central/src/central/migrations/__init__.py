"""Alembic migrations of the central server's database (both engines). See env.py and
docs/central.md, "Changing the schema"."""
