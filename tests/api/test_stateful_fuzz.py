"""Stateful fuzzing: chains of calls linked by the ids our responses return (schemathesis infers
the links from the OpenAPI), e.g. POST /vehicles -> GET/PUT/DELETE /vehicles/{id}. No call may
get a 5xx, and every documented response must match its schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from voltroute.api.app import create_app
from voltroute.config import Settings

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles


@pytest.mark.slow
def test_linked_call_sequences_never_get_a_server_error(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"rate_limit_per_min": 100_000}))
    with TestClient(app):
        token, _ = app.state.backend.tenants.create_token("fuzz", "stateful")
        headers = {"Authorization": f"Bearer {token}"}
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        workflow = schema.as_state_machine()
        # The links schemathesis inferred: vehicles, stations, jobs and results chain up.
        producers = set(workflow.bundles)
        assert {"POST /vehicles -> 201", "GET /planner/jobs -> 200", "GET /stations -> 200"} <= (
            producers
        )

        class Workflow(workflow):  # type: ignore[misc,valid-type]
            def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
                return {"headers": headers}

            def validate_response(
                self, response: Any, case: schemathesis.Case, **kwargs: Any
            ) -> None:
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:300]}"
                )
                case.validate_response(response, checks=(response_schema_conformance,))

        # The machine's draws depend on the app's answers (ids, links), and the app keeps its
        # state across examples: replaying an example to shrink it meets another state and
        # hypothesis calls the strategy flaky (FlakyStrategyDefinition), hiding the real
        # failure. So the run is one fixed sequence (derandomize) that is generated and never
        # replayed (no shrink, no explain phase): a failure reports the call that failed.
        Workflow.run(
            settings=hypothesis_settings(
                max_examples=60,
                stateful_step_count=8,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
                derandomize=True,
                phases=[Phase.generate],
            )
        )
