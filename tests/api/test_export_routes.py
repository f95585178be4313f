"""GET /planner/optimizations/{id}/result.geojson and .gpx: token, tenant, 404s as /result."""

from __future__ import annotations

from typing import Any

import gpxpy
import pytest
from fastapi.testclient import TestClient
from geojson_pydantic import FeatureCollection
from tests.contract_schema import demo_tour

from voltroute.composition import Backend
from voltroute.jobs.runner import JobRunner

pytestmark = pytest.mark.integration  # plans or serves on the real Heidelberg tiles

EXPORTS = ["result.geojson", "result.gpx"]


def submit(client: TestClient, auth: dict[str, str], run: bool = True) -> dict[str, Any]:
    submitted = client.post("/planner/v2", json=demo_tour(), headers=auth)
    assert submitted.status_code == 202, submitted.text
    if run:  # what a worker does for one job
        backend: Backend = client.app.state.backend  # type: ignore[attr-defined]
        JobRunner(backend.store, backend.planning, "test-worker").run(submitted.json()["job_id"])
    return dict(submitted.json())


def test_the_geojson_export_is_a_feature_collection_of_the_result(
    client: TestClient, auth: dict[str, str]
) -> None:
    optimization_id = submit(client, auth)["optimization_id"]
    base = f"/planner/optimizations/{optimization_id}"
    response = client.get(f"{base}/result.geojson", headers=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/geo+json"
    assert f"voltroute-{optimization_id}.geojson" in response.headers["content-disposition"]
    document = response.json()
    FeatureCollection.model_validate(document)
    result = client.get(f"{base}/result", headers=auth).json()
    stops = [f for f in document["features"] if f["properties"]["feature_type"] == "stop"]
    assert [s["properties"]["arrival_time"] for s in stops[1:]] == [
        s["poi_summary"]["arrival_time"] for s in result["sections"]
    ]


def test_the_gpx_export_reads_back_with_every_stop(
    client: TestClient, auth: dict[str, str]
) -> None:
    optimization_id = submit(client, auth)["optimization_id"]
    base = f"/planner/optimizations/{optimization_id}"
    response = client.get(f"{base}/result.gpx", headers=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/gpx+xml")
    gpx = gpxpy.parse(response.text)
    result = client.get(f"{base}/result", headers=auth).json()
    assert len(gpx.waypoints) == len(result["sections"]) + 1
    assert gpx.waypoints[-1].type == "destination"


@pytest.mark.parametrize("export", EXPORTS)
def test_an_export_needs_a_token(client: TestClient, auth: dict[str, str], export: str) -> None:
    optimization_id = submit(client, auth)["optimization_id"]
    response = client.get(f"/planner/optimizations/{optimization_id}/{export}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated: send 'Authorization: Bearer <token>'."}


@pytest.mark.parametrize("export", EXPORTS)
def test_another_tenants_result_is_not_found(
    client: TestClient, auth: dict[str, str], export: str
) -> None:
    optimization_id = submit(client, auth)["optimization_id"]
    other, _ = client.app.state.backend.tenants.create_token("globex", "planner")  # type: ignore[attr-defined]
    response = client.get(
        f"/planner/optimizations/{optimization_id}/{export}",
        headers={"Authorization": f"Bearer {other}"},
    )
    assert response.status_code == 404
    assert response.json() == {"detail": f"Optimization {optimization_id} not found."}


@pytest.mark.parametrize("export", EXPORTS)
def test_an_unfinished_job_is_answered_like_its_result(
    client: TestClient, auth: dict[str, str], export: str
) -> None:
    optimization_id = submit(client, auth, run=False)["optimization_id"]
    base = f"/planner/optimizations/{optimization_id}"
    response = client.get(f"{base}/{export}", headers=auth)
    assert response.status_code == 404
    assert response.json() == client.get(f"{base}/result", headers=auth).json()
    assert "job status queued" in response.json()["detail"]


def test_an_unknown_or_malformed_id_is_answered_precisely(
    client: TestClient, auth: dict[str, str]
) -> None:
    assert client.get("/planner/optimizations/999/result.gpx", headers=auth).status_code == 404
    malformed = client.get("/planner/optimizations/abc/result.geojson", headers=auth)
    assert malformed.status_code == 422
    assert malformed.json()["detail"][0]["loc"] == ["path", "optimization_id"]


def test_the_exports_are_documented_as_authenticated_extensions(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for export, media_type in (
        ("result.geojson", "application/geo+json"),
        ("result.gpx", "application/gpx+xml"),
    ):
        operation = paths[f"/planner/optimizations/{{optimization_id}}/{export}"]["get"]
        assert {"HTTPBearer": []} in operation["security"]
        assert media_type in operation["responses"]["200"]["content"]
    assert "/" not in paths


def test_the_page_and_its_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<script type="module" src="/web/js/main.js">' in page.text
    assert client.get("/web/js/main.js").status_code == 200
    assert client.get("/web/vendor/leaflet/leaflet-src.esm.js").status_code == 200
    cluster = "/web/vendor/leaflet.markercluster/leaflet.markercluster-src.js"
    assert client.get(cluster).status_code == 200
    assert client.get("/web/missing.js").status_code == 404
