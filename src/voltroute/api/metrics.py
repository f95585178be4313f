"""Prometheus metrics of an API process."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response

from voltroute.jobs.store import JobStore


class _JobCounts(Collector):
    """Jobs per status, read from the database at scrape time (the job row is the truth)."""

    def __init__(self, store: JobStore) -> None:
        self._store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("voltroute_jobs", "Jobs by status", labels=["status"])
        for status, count in sorted(self._store.status_counts().items()):
            family.add_metric([status], count)
        yield family


class ApiMetrics:
    """One registry per app, so tests can build several apps in one process."""

    def __init__(self, store: JobStore) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "voltroute_http_requests",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency_s = Histogram(
            "voltroute_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )
        self.registry.register(_JobCounts(store))

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Count and time each request by its route template (not the raw path: no id leaks)."""
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        self.requests.labels(request.method, template, str(response.status_code)).inc()
        self.latency_s.labels(request.method, template).observe(time.perf_counter() - started)
        return response
