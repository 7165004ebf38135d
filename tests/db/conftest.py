"""Database-level tests reuse the API fixtures: the real app over the real database."""

from tests.api.conftest import gql, tune

__all__ = ["gql", "tune"]
