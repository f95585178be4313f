"""Random bodies and parameters against every operation of our OpenAPI: never a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from voltroute.api.app import create_app
from voltroute.config import Settings

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

EXAMPLES_PER_OPERATION = 60


@pytest.mark.slow
def test_no_generated_request_gets_a_server_error(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"rate_limit_per_min": 100_000}))
    with TestClient(app):
        token, _ = app.state.backend.tenants.create_token("fuzz", "fuzzer")
        headers = {"Authorization": f"Bearer {token}"}
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 8  # the five contract paths (six operations) + extensions

        for operation in operations:

            @given(case=operation.as_strategy())
            @hypothesis_settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def no_server_error(case: schemathesis.Case) -> None:
                response = case.call(headers=headers)
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:300]}"
                )

            no_server_error()
