"""Tolls in the result: section `tolls` with the breakdown, `toll_summary` in the contract shape."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.contract_schema import contract_errors, demo_tour
from tests.tolls.samples import FakeLeg, motorway

from voltroute.api.translate_tolls import section_tolls, toll_summary, toll_warnings
from voltroute.composition import Backend
from voltroute.jobs.results import plan_from_json
from voltroute.planner import Plan
from voltroute.tolls import EuroClass, TollVehicle, tour_tolls

from .test_planner_api import submit_and_run

# The exemption of electric trucks ends on 2031-06-30; a fixed date keeps the test true after it.
START_2026 = "2026-09-01T08:00:00"
DIESEL = TollVehicle(40_000, 5, emission_free=False, euro_class=EuroClass.VI, co2_class=1)


def demo_result(client: TestClient, auth: dict[str, str]) -> dict[str, Any]:
    body = {**demo_tour(), "start_time_tour": START_2026}
    submitted = submit_and_run(client, auth, body)
    result: dict[str, Any] = client.get(
        f"/planner/optimizations/{submitted['optimization_id']}/result", headers=auth
    ).json()
    return result


@pytest.mark.integration
def test_the_demo_tour_shows_toll_collect_at_zero_with_the_exemption_named(
    client: TestClient, auth: dict[str, str]
) -> None:
    result = demo_result(client, auth)

    assert contract_errors(result, "OptimizationResultResponse") == []
    assert result["toll_summary"] == [
        {"tollSystem": "TOLL COLLECT GMBH", "currency": "EUR", "total": 0.0}
    ]
    tolls = [toll for section in result["sections"] for toll in section["tolls"]]
    assert tolls, "every demo section drives some Autobahn or Bundesstrasse"
    for toll in tolls:
        assert toll["country"] == "DE"
        assert toll["date"] == "2026-09-01"
        assert toll["cost"] == 0.0
        assert "section 1(2) sentence 1 no. 7" in toll["exemption"]
        assert toll["diesel_equivalent"] == pytest.approx(toll["tolled_km"] * 0.348, abs=0.006)
        assert [c["name"] for c in toll["rate_components"]] == [
            "infrastructure",
            "air_pollution",
            "noise",
            "co2",
        ]


@pytest.fixture
def stored_plan(client: TestClient, auth: dict[str, str]) -> Plan:
    submitted = submit_and_run(client, auth, {**demo_tour(), "start_time_tour": START_2026})
    backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
    job = backend.store.get(submitted["job_id"])
    assert job is not None
    assert job.result is not None
    return plan_from_json(job.result)


@pytest.mark.integration
def test_a_country_without_tariff_is_a_null_total_and_a_section_warning(
    stored_plan: Plan,
) -> None:
    leg = FakeLeg((motorway(10_000.0), motorway(5_000.0, "A 35", country="FR")))
    tolls = tour_tolls(
        [(leg, date(2026, 9, 1))], DIESEL, ("toll: the vehicle's axle count is unknown",)
    )
    plan = replace(stored_plan, tolls=tolls)

    assert toll_summary(plan) == [
        {"tollSystem": "TOLL COLLECT GMBH", "currency": "EUR", "total": 3.48},
        {"tollSystem": "FR: no tariff data", "currency": None, "total": None},
    ]
    section = section_tolls(plan, 0)
    assert section is not None
    assert section[1]["tolled_km"] is None
    assert section[1]["cost"] is None
    assert section[0]["rate_per_km"] == float(Decimal("0.348"))
    warnings = toll_warnings(plan, 0)
    assert warnings[0] == "toll: the vehicle's axle count is unknown"
    assert "FR" in warnings[1]
    assert toll_warnings(plan, 1) == []


@pytest.mark.integration
def test_a_plan_stored_before_tolls_existed_keeps_null_tolls(stored_plan: Plan) -> None:
    plan = replace(stored_plan, tolls=None)

    assert toll_summary(plan) is None
    assert section_tolls(plan, 0) is None
    assert toll_warnings(plan, 0) == []
