"""deploy/Procfile, run as written: a scaled-out deployment plans a tour."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from tests.contract_schema import REPO, contract_errors, demo_tour
from tests.e2e.conftest import region_env
from tests.e2e.processes import (
    FINAL_STATUSES,
    DistributedResources,
    VoltrouteProcess,
    free_port,
    wait_until,
)

from voltroute.regions import Region

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

PROCFILE = REPO / "deploy" / "Procfile"


def procfile_commands() -> dict[str, str]:
    commands = {}
    for line in PROCFILE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            commands[name.strip()] = command.strip()
    return commands


def voltroute_args(command: str, variables: dict[str, str]) -> list[str]:
    words = shlex.split(command)
    assert words[0] == "voltroute", f"Procfile lines run the voltroute command: {command}"
    return [
        word.replace("$PORT", variables["PORT"]).replace(
            "$VALHALLA_PORT", variables["VALHALLA_PORT"]
        )
        for word in words[1:]
    ]


def test_the_procfile_lists_routing_api_and_worker() -> None:
    assert set(procfile_commands()) == {"routing", "api", "worker"}


def test_the_procfile_deployment_plans_a_tour(
    tmp_path: Path, heidelberg_region: Region, shared_data: Path
) -> None:
    commands = procfile_commands()
    resources = DistributedResources()
    valhalla_port, api_ports = free_port(), [free_port(), free_port()]
    env = region_env(heidelberg_region, shared_data) | {"VOLTROUTE_DATA_DIR": str(tmp_path)}
    env |= resources.env(f"http://127.0.0.1:{valhalla_port}")
    env.pop("VOLTROUTE_DEMO_TOKEN")
    processes: list[VoltrouteProcess] = []

    def start(name: str, port: int = 0) -> VoltrouteProcess:
        variables = {"PORT": str(port), "VALHALLA_PORT": str(valhalla_port)}
        args = voltroute_args(commands[name], variables)
        process = VoltrouteProcess(args, env, tmp_path / f"{name}-{port}.log")
        processes.append(process)
        return process

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "voltroute", *args],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    try:
        # Started first: valhalla_service comes up while the CLI sets up the database.
        routing = start("routing")
        cli("db", "upgrade")
        token = cli("tokens", "create", "--tenant", "fleet", "--user", "dispatch")
        wait_until(
            lambda: httpx.get(f"http://127.0.0.1:{valhalla_port}/status").is_success,
            "routing",
            routing,
        )
        # The schema is in place: the APIs and the workers start together.
        apis = [start("api", port) for port in api_ports]
        start("worker")
        start("worker")
        for port, api in zip(api_ports, apis, strict=True):
            wait_until(
                lambda port=port: (
                    httpx.get(  # type: ignore[misc]
                        f"http://127.0.0.1:{port}/health"
                    ).is_success
                ),
                "api",
                api,
            )
        headers = {"Authorization": f"Bearer {token}"}
        first, second = (f"http://127.0.0.1:{port}" for port in api_ports)
        submitted = httpx.post(f"{first}/planner/v2", json=demo_tour(), headers=headers)
        assert submitted.status_code == 202, submitted.text
        job_url = f"{second}/planner/jobs/{submitted.json()['job_id']}"  # the other API answers
        wait_until(
            lambda: httpx.get(job_url, headers=headers).json()["status"] in FINAL_STATUSES,
            "job",
            processes[-1],
        )
        job = httpx.get(job_url, headers=headers).json()
        assert job["status"] == "succeeded"
        result = httpx.get(
            f"{first}/planner/optimizations/{job['optimization_id']}/result", headers=headers
        )
        assert contract_errors(result.json(), "OptimizationResultResponse") == []
        assert not (tmp_path / "demo-token.txt").exists()  # no demo tenant in a real deployment
    finally:
        # All at once; valhalla_service does not end on SIGTERM, and keeps no state: killed.
        for process in processes:
            routing_service = process.log_path.name.startswith("routing-")
            process.send(signal.SIGKILL if routing_service else signal.SIGTERM)
        for process in processes:
            process.wait_stopped()
        resources.drop()
