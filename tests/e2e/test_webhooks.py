"""Webhooks through the real processes: signed, retried, and not lost when a worker dies."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import Engine
from tests.contract_schema import demo_tour
from tests.e2e.conftest import E2E_WEBHOOK_SECRET
from tests.e2e.processes import FINAL_STATUSES, Server
from tests.webhooks.receiver import Receiver, free_port

from voltroute.db.database import create_db_engine, session_factory
from voltroute.webhooks.callbacks import SIGNATURE_HEADER, signature_matches
from voltroute.webhooks.store import WebhookStore

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def database_of(server: Server) -> Engine:
    url = server.env.get("VOLTROUTE_DATABASE_URL")
    return create_db_engine(url or f"sqlite:///{server.data_dir / 'voltroute.sqlite'}")


def test_a_delivery_pending_when_its_worker_dies_is_sent_by_the_next_worker(
    bare_server: Server,
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/voltroute"
    engine = database_of(bare_server)
    webhooks = WebhookStore(session_factory(engine))
    first = bare_server.start_worker(webhook_backoff_s="0.5")
    try:
        submitted = bare_server.client.post(
            "/planner/v2", json=demo_tour(), headers={"X-Callback-Url": url}
        ).json()
        job = bare_server.wait_for(submitted["job_id"], FINAL_STATUSES)
        assert job["status"] == "succeeded"
        # Nobody listens yet: the worker's attempts fail and the delivery stays pending. (An
        # attempt is counted when the worker claims it, its error once it has failed.)
        deadline = time.monotonic() + 60
        while (delivery := webhooks.for_job(job["job_id"])) is None or not delivery.last_error:
            assert time.monotonic() < deadline, "the worker never failed to send the webhook"
            time.sleep(0.1)
        assert delivery.attempts >= 1
        assert delivery.status == "pending"
        first.kill_hard()
        with Receiver(port=port) as receiver:
            second = bare_server.start_worker()
            try:
                [hook] = receiver.wait_for(1, timeout_s=90)
            finally:
                second.stop()
    finally:
        first.stop()
        engine.dispose()
    assert signature_matches(E2E_WEBHOOK_SECRET.encode(), hook.body, hook.headers[SIGNATURE_HEADER])
    body = json.loads(hook.body)
    assert (body["job_id"], body["status"]) == (job["job_id"], "succeeded")
    result = bare_server.client.get(body["result_url"].removeprefix(bare_server.base_url))
    assert result.status_code == 200
    assert bare_server.job(job["job_id"])["status"] == "succeeded"  # the webhook changed nothing
