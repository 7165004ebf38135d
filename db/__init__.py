"""Persistence: models, engine and sessions, repositories, loaders, vector queries, the outbox."""
