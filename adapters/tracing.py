"""OpenTelemetry traces: a provider from the standard OTEL_* variables (off unless
OTEL_TRACES_EXPORTER names an exporter), HTTP and SQL spans, and the trace id for log lines."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from opentelemetry import metrics as otel_metrics
from opentelemetry import trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.config import Settings

# Probes and scrapes would drown the traces that matter.
UNTRACED_PATHS = "/healthz,/readyz,/metrics"
TRACER_NAME = "jobmatch"


def _exporter(name: str) -> SpanExporter:
    if name == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    # OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT are read by the exporter itself.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()


@dataclass
class Tracing:
    """One tracer provider and what has been instrumented with it."""

    provider: TracerProvider
    _engines: list[Any] = field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: Settings) -> Tracing | None:
        """None (no instrumentation at all, so no cost) unless an exporter is configured;
        otherwise also this process's global provider, for any library that traces itself."""
        if settings.traces_exporter == "none":
            return None
        named = os.environ.get("OTEL_SERVICE_NAME")
        provider = TracerProvider(
            resource=Resource.create({} if named else {"service.name": "jobmatch"})
        )
        provider.add_span_processor(BatchSpanProcessor(_exporter(settings.traces_exporter)))
        trace.set_tracer_provider(provider)
        return cls(provider)

    @property
    def tracer(self) -> trace.Tracer:
        return self.provider.get_tracer(TRACER_NAME)

    def middleware(self) -> dict[str, Any]:
        """Options for starlette's add_middleware(OpenTelemetryMiddleware, ...): the outermost
        layer, so the request's log line is written inside its span."""
        return {
            "tracer_provider": self.provider,
            "excluded_urls": UNTRACED_PATHS,
            "exclude_spans": ["receive", "send"],
        }

    def instrument_engine(self, engine: AsyncEngine) -> None:
        """A span per SQL statement (the text with placeholders, never the values)."""
        sync_engine = engine.sync_engine
        if any(seen is sync_engine for seen in self._engines):
            return
        self._engines.append(sync_engine)
        usage = otel_metrics.get_meter(TRACER_NAME).create_up_down_counter(
            "db.client.connections.usage"
        )
        tracer = self.provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
        EngineTracer(tracer, sync_engine, usage)  # type: ignore[no-untyped-call]

    def shutdown(self) -> None:
        """Flushes what is buffered; instrumented engines stop producing spans."""
        EngineTracer.remove_all_event_listeners()  # type: ignore[no-untyped-call]
        self._engines.clear()
        self.provider.shutdown()


def middleware_class() -> Any:
    """OpenTelemetry's ASGI middleware, for starlette's add_middleware (options: middleware())."""
    return OpenTelemetryMiddleware


def current_trace_id() -> str:
    """The active span's trace id (32 hex digits), or "-" outside any trace."""
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else "-"
