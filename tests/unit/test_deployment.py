"""docker-compose.yml wires the API to pgvector PostgreSQL and Redis in production mode."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_the_api_against_pgvector_and_redis() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"].startswith("pgvector/pgvector:")
    assert services["redis"]["image"].startswith("redis:")
    api = services["api"]
    env = api["environment"]
    assert env["JOBMATCH_ENV"] == "production"
    assert (
        env["JOBMATCH_DATABASE_URL"].startswith("postgresql://")
        and "@db:5432/" in env["JOBMATCH_DATABASE_URL"]
    )
    assert env["JOBMATCH_BROADCAST_URL"] == "redis://redis:6379"
    assert "JOBMATCH_JWT_SECRET" in env
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert (ROOT / api["build"] / "Dockerfile").exists()
