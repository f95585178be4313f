"""Planning a tour through a Voltroute (or any Planner API v2) server: submit, poll, fetch."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from voltroute.tours.tour_file import validation_lines

FINAL_STATUSES = frozenset({"succeeded", "not_drivable", "failed", "canceled"})
WITH_RESULT = frozenset({"succeeded", "not_drivable"})
DEFAULT_TIMEOUT_S = 30.0
POLL_INTERVALS_S = (0.2, 0.3, 0.5, 1.0)  # quick answers for short tours, then once a second


class RemotePlanningError(RuntimeError):
    """The server refused the tour, could not plan it, or could not be reached."""


class RemotePlanner:
    """A client of one server with one bearer token."""

    def __init__(self, base_url: str, token: str, client: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=DEFAULT_TIMEOUT_S,
        )

    def close(self) -> None:
        self._client.close()

    def submit(self, body: dict[str, Any], corridor_m: int | None = None) -> dict[str, Any]:
        """POST /planner/v2; the 202 body (job_id, optimization_id, tour_id)."""
        params = {"corridor": corridor_m} if corridor_m is not None else None
        return self._json("POST", "/planner/v2", json=body, params=params)

    def job(self, job_id: str) -> dict[str, Any]:
        """GET /planner/jobs/{job_id}."""
        return self._json("GET", f"/planner/jobs/{job_id}")

    def wait(
        self,
        job_id: str,
        on_status: Callable[[str], None] = lambda status: None,
        timeout_s: float = 600.0,
    ) -> dict[str, Any]:
        """Poll the job until it ends; on_status sees every status; the final job status body."""
        deadline = time.monotonic() + timeout_s
        polls = 0
        while True:
            job = self.job(job_id)
            on_status(str(job["status"]))
            if job["status"] in FINAL_STATUSES:
                return job
            if time.monotonic() > deadline:
                raise RemotePlanningError(
                    f"job {job_id} still {job['status']} after {timeout_s:.0f} s"
                )
            time.sleep(POLL_INTERVALS_S[min(polls, len(POLL_INTERVALS_S) - 1)])
            polls += 1

    def result(self, optimization_id: int) -> dict[str, Any]:
        """GET /planner/optimizations/{id}/result."""
        return self._json("GET", f"/planner/optimizations/{optimization_id}/result")

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise RemotePlanningError(f"cannot reach {self.base_url}: {error}") from None
        if response.status_code >= 400:
            raise RemotePlanningError(_error_message(response))
        try:
            body = response.json()
        except ValueError:
            raise RemotePlanningError(
                f"{method} {path}: the server answered {response.status_code} without JSON"
            ) from None
        if not isinstance(body, dict):
            raise RemotePlanningError(f"{method} {path}: expected a JSON object")
        return body


def _error_message(response: httpx.Response) -> str:
    """The contract's error shapes as text: `detail` string, or FastAPI's 422 list."""
    where = f"{response.request.method} {response.request.url.path}: {response.status_code}"
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return f"{where} {response.text[:200]}"
    if isinstance(detail, list):
        return f"{where} {validation_lines(detail)}"
    return f"{where} {detail}"
