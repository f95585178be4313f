"""Hostile clients against the real server processes: the body limit holds without a length."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.e2e.processes import Server

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

CAP_BYTES = 100_000_000  # far beyond the limit: a server reading it all would not answer 413


def test_a_chunked_body_is_cut_off_at_the_limit_with_a_413(server: Server) -> None:
    sent = 0

    def endless_body() -> Iterator[bytes]:
        nonlocal sent
        yield b'{"section_list": ["'
        while sent < CAP_BYTES:
            sent += 65_536
            yield b"x" * 65_536

    response = server.client.post(
        "/planner/v2", content=endless_body(), headers={"Content-Type": "application/json"}
    )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 413, response.text
    assert "bytes" in response.json()["detail"]
    assert sent < CAP_BYTES  # the server answered while the client was still sending
    assert server.client.get("/health").status_code == 200


def test_nan_is_refused_by_the_real_servers_parser(server: Server) -> None:
    response = server.client.post(
        "/planner/v2",
        content=b'{"vehicle_id": "010160700001", "battery_level_start": NaN}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"
