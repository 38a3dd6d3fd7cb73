"""CareCall persistence: SQLAlchemy 2 models, sessions and Alembic migrations. Never imports Qt."""
