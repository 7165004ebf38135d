"""Runtime configuration: a frozen value built from an environment mapping (README has the table)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from domain.errors import InvalidInput

ENVIRONMENTS = ("development", "test", "production")
JWT_ALGORITHMS = ("HS256", "HS384", "HS512", "RS256", "ES256", "EdDSA")
TRACES_EXPORTERS = ("none", "otlp", "console")
EMBED_PRECISIONS = ("auto", "fp32", "bf16")


@dataclass(frozen=True)
class Settings:
    environment: str = "development"
    database_url: str | None = None
    data_dir: Path = Path(".data")
    jwt_secret: str | None = None
    jwt_algorithm: str = "HS256"
    jwt_public_key: str | None = None
    jwt_issuer: str = "jobmatch"
    jwt_audience: str = "jobmatch-api"
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 7 * 24 * 3600
    broadcast_url: str = "memory://"
    allowed_origins: tuple[str, ...] = ()
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    seed_demo: bool = True
    job_ttl_days: int = 30
    max_query_depth: int = 12
    max_query_tokens: int = 5000
    max_aliases: int = 30
    max_query_cost: int = 20_000
    anonymous_query_limits_percent: int = 75
    admin_query_limits_percent: int = 400
    max_body_bytes: int = 20 * 1024 * 1024
    max_ws_frame_bytes: int = 1024 * 1024
    login_free_failures: int = 5
    login_failure_window_s: int = 15 * 60
    login_backoff_cap_s: int = 15 * 60
    login_address_limit: int = 30
    login_address_window_s: int = 60
    register_limit: int = 10
    register_window_s: int = 10 * 60
    refresh_reuse_grace_s: int = 10
    trusted_proxies: tuple[str, ...] = ()
    feed_pool_size: int = 300
    search_pool_size: int = 100
    recruiter_pool_size: int = 200
    hnsw_ef_search: int = 400
    hnsw_max_scan_tuples: int = 20_000
    snapshot_ttl_s: int = 1800
    password_reset_ttl_s: int = 3600
    password_reset_url: str | None = None  # the web app's reset page; ?token=... is appended
    public_read_limit: int = 120  # anonymous jobs/job/searchJobs/company calls per address
    public_read_window_s: int = 60
    smtp_url: str | None = None  # smtp://user:pass@host:port or smtps://; unset: e-mails are logged
    mail_from: str = "jobmatch@localhost"
    public_url: str = "http://127.0.0.1:8000"  # links in e-mails (digest unsubscribe)
    run_worker: bool = True  # `jobmatch serve` runs a task worker in process (--no-worker: off)
    worker_concurrency: int = 2
    event_retention_days: int = 14  # outbox events older than this are past any replay
    task_retention_days: int = 7  # finished queue jobs older than this are deleted
    persisted_queries: Path | None = None  # allow-list manifest: only its documents run
    metrics_token: str | None = None  # bearer token /metrics requires; production needs one
    traces_exporter: str = "none"  # OTEL_TRACES_EXPORTER: otlp or console turns tracing on
    workers: int = 0  # `jobmatch serve` processes; 0: one per core
    embed_precision: str = "auto"  # auto (bf16 where the CPU has AMX/AVX512-BF16), fp32, bf16
    embed_threads: int = 0  # torch threads per process; 0: its share of the cores less one
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be an integer, got {raw!r}", field=name) from None
    if value <= 0:
        raise InvalidInput(f"{name} must be positive, got {value}", field=name)
    return value


def _ef_search(env: Mapping[str, str]) -> int:
    value = _int(env, "JOBMATCH_HNSW_EF_SEARCH", 400)
    if value > 1000:
        raise InvalidInput("JOBMATCH_HNSW_EF_SEARCH must be at most 1000 (pgvector's limit)")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def _networks(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in env.get(name, "").split(",") if v.strip())
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise InvalidInput(
                f"{name}: {value!r} is not an IP address or CIDR", field=name
            ) from None
    return values


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (the first when unset), case-insensitive."""
    raw = (env.get(name) or choices[0]).strip().lower()
    if raw not in choices:
        raise InvalidInput(f"{name} must be one of {', '.join(choices)}", field=name)
    return raw


def _smtp_url(env: Mapping[str, str]) -> str | None:
    raw = (env.get("JOBMATCH_SMTP_URL") or "").strip()
    if raw and not raw.startswith(("smtp://", "smtps://")):
        raise InvalidInput(
            "JOBMATCH_SMTP_URL must start with smtp:// or smtps://", field="JOBMATCH_SMTP_URL"
        )
    return raw or None


def _traces_exporter(env: Mapping[str, str]) -> str:
    """Tracing is off unless OTEL_TRACES_EXPORTER names an exporter (the SDK's own default,
    otlp, would send spans nowhere useful on a laptop)."""
    raw = (env.get("OTEL_TRACES_EXPORTER") or "none").strip().lower()
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return "none"
    if raw not in TRACES_EXPORTERS:
        raise InvalidInput(
            f"OTEL_TRACES_EXPORTER must be one of {', '.join(TRACES_EXPORTERS)}",
            field="OTEL_TRACES_EXPORTER",
        )
    return raw


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """Reads JOBMATCH_* variables; raises InvalidInput on a value that cannot be used."""
    environment = env.get("JOBMATCH_ENV", "development").strip().lower()
    if environment not in ENVIRONMENTS:
        raise InvalidInput(
            f"JOBMATCH_ENV must be one of {', '.join(ENVIRONMENTS)}", field="JOBMATCH_ENV"
        )
    algorithm = env.get("JOBMATCH_JWT_ALGORITHM", "HS256")
    if algorithm not in JWT_ALGORITHMS:
        raise InvalidInput(f"JOBMATCH_JWT_ALGORITHM must be one of {', '.join(JWT_ALGORITHMS)}")
    origins = tuple(
        o.strip() for o in env.get("JOBMATCH_ALLOWED_ORIGINS", "").split(",") if o.strip()
    )
    return Settings(
        environment=environment,
        database_url=env.get("JOBMATCH_DATABASE_URL") or None,
        data_dir=Path(env.get("JOBMATCH_DATA_DIR") or ".data"),
        jwt_secret=env.get("JOBMATCH_JWT_SECRET") or None,
        jwt_algorithm=algorithm,
        jwt_public_key=env.get("JOBMATCH_JWT_PUBLIC_KEY") or None,
        jwt_issuer=env.get("JOBMATCH_JWT_ISSUER", "jobmatch"),
        jwt_audience=env.get("JOBMATCH_JWT_AUDIENCE", "jobmatch-api"),
        access_token_ttl_s=_int(env, "JOBMATCH_ACCESS_TOKEN_TTL", 15 * 60),
        refresh_token_ttl_s=_int(env, "JOBMATCH_REFRESH_TOKEN_TTL", 7 * 24 * 3600),
        broadcast_url=env.get("JOBMATCH_BROADCAST_URL", "memory://"),
        allowed_origins=origins,
        log_level=env.get("JOBMATCH_LOG_LEVEL", "INFO").upper(),
        host=env.get("JOBMATCH_HOST", "127.0.0.1"),
        port=_int(env, "JOBMATCH_PORT", 8000),
        seed_demo=_bool(env, "JOBMATCH_SEED_DEMO", True),
        job_ttl_days=_int(env, "JOBMATCH_JOB_TTL_DAYS", 30),
        max_query_depth=_int(env, "JOBMATCH_MAX_QUERY_DEPTH", 12),
        max_query_tokens=_int(env, "JOBMATCH_MAX_QUERY_TOKENS", 5000),
        max_aliases=_int(env, "JOBMATCH_MAX_ALIASES", 30),
        max_ws_frame_bytes=_int(env, "JOBMATCH_MAX_WS_FRAME_BYTES", 1024 * 1024),
        max_query_cost=_int(env, "JOBMATCH_MAX_QUERY_COST", 20_000),
        anonymous_query_limits_percent=_int(env, "JOBMATCH_ANONYMOUS_QUERY_LIMITS_PERCENT", 75),
        admin_query_limits_percent=_int(env, "JOBMATCH_ADMIN_QUERY_LIMITS_PERCENT", 400),
        feed_pool_size=_int(env, "JOBMATCH_FEED_POOL_SIZE", 300),
        search_pool_size=_int(env, "JOBMATCH_SEARCH_POOL_SIZE", 100),
        recruiter_pool_size=_int(env, "JOBMATCH_RECRUITER_POOL_SIZE", 200),
        hnsw_ef_search=_ef_search(env),
        hnsw_max_scan_tuples=_int(env, "JOBMATCH_HNSW_MAX_SCAN_TUPLES", 20_000),
        snapshot_ttl_s=_int(env, "JOBMATCH_SNAPSHOT_TTL", 1800),
        persisted_queries=Path(env["JOBMATCH_PERSISTED_QUERIES"])
        if env.get("JOBMATCH_PERSISTED_QUERIES")
        else None,
        metrics_token=env.get("JOBMATCH_METRICS_TOKEN") or None,
        traces_exporter=_traces_exporter(env),
        workers=_int(env, "JOBMATCH_WORKERS", 0),
        embed_precision=_choice(env, "JOBMATCH_EMBED_PRECISION", EMBED_PRECISIONS),
        embed_threads=_int(env, "JOBMATCH_EMBED_THREADS", 0),
        smtp_url=_smtp_url(env),
        mail_from=env.get("JOBMATCH_MAIL_FROM") or "jobmatch@localhost",
        public_url=(env.get("JOBMATCH_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
        run_worker=_bool(env, "JOBMATCH_RUN_WORKER", True),
        worker_concurrency=_int(env, "JOBMATCH_WORKER_CONCURRENCY", 2),
        event_retention_days=_int(env, "JOBMATCH_EVENT_RETENTION_DAYS", 14),
        task_retention_days=_int(env, "JOBMATCH_TASK_RETENTION_DAYS", 7),
        password_reset_ttl_s=_int(env, "JOBMATCH_PASSWORD_RESET_TTL", 3600),
        password_reset_url=env.get("JOBMATCH_PASSWORD_RESET_URL") or None,
        public_read_limit=_int(env, "JOBMATCH_PUBLIC_READ_LIMIT", 120),
        public_read_window_s=_int(env, "JOBMATCH_PUBLIC_READ_WINDOW", 60),
        login_free_failures=_int(env, "JOBMATCH_LOGIN_FREE_FAILURES", 5),
        login_failure_window_s=_int(env, "JOBMATCH_LOGIN_FAILURE_WINDOW", 15 * 60),
        login_backoff_cap_s=_int(env, "JOBMATCH_LOGIN_BACKOFF_CAP", 15 * 60),
        login_address_limit=_int(env, "JOBMATCH_LOGIN_ADDRESS_LIMIT", 30),
        login_address_window_s=_int(env, "JOBMATCH_LOGIN_ADDRESS_WINDOW", 60),
        register_limit=_int(env, "JOBMATCH_REGISTER_LIMIT", 10),
        register_window_s=_int(env, "JOBMATCH_REGISTER_WINDOW", 10 * 60),
        refresh_reuse_grace_s=_int(env, "JOBMATCH_REFRESH_REUSE_GRACE", 10),
        trusted_proxies=_networks(env, "JOBMATCH_TRUSTED_PROXIES"),
    )


def validate_for_production(settings: Settings) -> None:
    """Production refuses to start on a missing or toy JWT secret."""
    if not settings.is_production:
        return
    if settings.jwt_algorithm.startswith("HS"):
        secret = settings.jwt_secret or ""
        if len(secret) < 32 or secret.lower() in ("secret", "changeme", "change-me"):
            raise InvalidInput(
                "JOBMATCH_JWT_SECRET must be set to a random secret of at least 32 characters in production"
            )
    elif not settings.jwt_secret or not settings.jwt_public_key:
        raise InvalidInput(
            "asymmetric JWT needs JOBMATCH_JWT_SECRET (private key) and JOBMATCH_JWT_PUBLIC_KEY"
        )
    if settings.database_url is None:
        raise InvalidInput("JOBMATCH_DATABASE_URL must be set in production")
