"""Alembic migrations (async env); revision 1 creates the vector extension."""
