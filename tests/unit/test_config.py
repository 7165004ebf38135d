"""Configuration from the environment, and production's refusal to run on toy secrets."""

from pathlib import Path

import pytest

from domain.config import settings_from_env, validate_for_production
from domain.errors import InvalidInput


def test_defaults_are_development_on_the_embedded_database() -> None:
    settings = settings_from_env({})
    assert settings.environment == "development"
    assert settings.database_url is None
    assert settings.data_dir == Path(".data")
    assert (settings.access_token_ttl_s, settings.refresh_token_ttl_s) == (900, 604800)
    assert settings.broadcast_url == "memory://"


def test_environment_variables_override_defaults() -> None:
    settings = settings_from_env(
        {
            "JOBMATCH_DATABASE_URL": "postgresql://u:p@db/jobmatch",
            "JOBMATCH_ACCESS_TOKEN_TTL": "60",
            "JOBMATCH_ALLOWED_ORIGINS": "https://a.test, https://b.test",
            "JOBMATCH_DATA_DIR": "/tmp/x",
            "JOBMATCH_LOG_LEVEL": "debug",
        }
    )
    assert settings.database_url == "postgresql://u:p@db/jobmatch"
    assert settings.access_token_ttl_s == 60
    assert settings.allowed_origins == ("https://a.test", "https://b.test")
    assert settings.data_dir == Path("/tmp/x")
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    "env",
    [
        {"JOBMATCH_ENV": "staging"},
        {"JOBMATCH_ACCESS_TOKEN_TTL": "soon"},
        {"JOBMATCH_ACCESS_TOKEN_TTL": "-5"},
        {"JOBMATCH_JWT_ALGORITHM": "none"},
    ],
)
def test_unusable_values_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(InvalidInput):
        settings_from_env(env)


def test_production_needs_a_real_secret_and_a_database() -> None:
    base = {"JOBMATCH_ENV": "production", "JOBMATCH_DATABASE_URL": "postgresql://db/j"}
    for secret in (None, "secret", "short-secret"):
        env = base | ({"JOBMATCH_JWT_SECRET": secret} if secret else {})
        with pytest.raises(InvalidInput):
            validate_for_production(settings_from_env(env))
    with pytest.raises(InvalidInput):
        validate_for_production(
            settings_from_env({"JOBMATCH_ENV": "production", "JOBMATCH_JWT_SECRET": "k" * 40})
        )
    validate_for_production(settings_from_env(base | {"JOBMATCH_JWT_SECRET": "k" * 40}))
