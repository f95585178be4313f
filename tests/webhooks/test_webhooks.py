"""Webhook deliveries against a real HTTP receiver, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from tests.db.databases import BACKENDS, migrated_engine
from tests.webhooks.receiver import Receiver, free_port

from voltroute.config import Settings
from voltroute.db.database import create_db_engine, session_factory
from voltroute.db.models import Job, JobStatus
from voltroute.jobs.store import JobStore
from voltroute.tenancy.tenants import Principal, TenantDirectory
from voltroute.webhooks.callbacks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    callback_url_problem,
    retry_delay_s,
    signature_matches,
)
from voltroute.webhooks.sender import WebhookSender
from voltroute.webhooks.store import WebhookStore, new_delivery

SECRET = "test-webhook-secret-0123456789"
RESULT_BASE = "https://planner.example.com"
WORKER = "worker-1"


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with migrated_engine(request.param, tmp_path) as engine:
        yield engine


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> JobStore:
    return JobStore(sessions)


@pytest.fixture
def webhooks(sessions: sessionmaker[Session]) -> WebhookStore:
    return WebhookStore(sessions)


@pytest.fixture
def acme(sessions: sessionmaker[Session]) -> Principal:
    return TenantDirectory(sessions).create_token("acme", "alice")[1]


def worker_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "webhook_secret": SECRET,
        "webhook_backoff_s": 0.05,
        "webhook_timeout_s": 2.0,
        # The receiver listens on loopback, which callbacks reach only when allow-listed.
        "webhook_allowed_hosts": ["127.0.0.1"],
        **overrides,
    }
    return Settings(**values)


def submit_with_callback(store: JobStore, principal: Principal, url: str) -> Job:
    def attach(job: Job) -> list[Any]:
        result_url = f"{RESULT_BASE}/planner/optimizations/{job.optimization_id}/result"
        return [new_delivery(job, url, result_url)]

    return store.submit(
        principal.tenant_id, principal.user_id, "010160700001", {"tour": 1}, {"p": 1}, attach
    )


def run_to(store: JobStore, job: Job, status: JobStatus) -> None:
    """What a worker does: claim the job and record its outcome."""
    assert store.claim(job.job_id, WORKER) is not None
    result = {"plan": "done"} if status is JobStatus.SUCCEEDED else None
    assert store.finish(job.job_id, WORKER, status, result)


def send_until_settled(sender: WebhookSender, webhooks: WebhookStore, job_id: str) -> str:
    """Run sender passes (as its loop does) until the delivery is delivered or failed."""
    for _ in range(400):
        sender.send_due()
        delivery = webhooks.for_job(job_id)
        assert delivery is not None
        if delivery.status != "pending":
            return delivery.status
        time.sleep(0.02)
    raise AssertionError("the delivery never settled")


def test_a_finished_job_posts_a_signed_body_to_its_callback(
    store: JobStore, webhooks: WebhookStore, acme: Principal, tmp_path: Path
) -> None:
    with Receiver() as receiver:
        job = submit_with_callback(store, acme, receiver.url)
        run_to(store, job, JobStatus.SUCCEEDED)
        sender = WebhookSender(webhooks, worker_settings(tmp_path))
        assert sender.send_due() == 1
        [hook] = receiver.wait_for(1)
    assert hook.path == "/hooks/voltroute"
    assert signature_matches(SECRET.encode(), hook.body, hook.headers[SIGNATURE_HEADER])
    assert not signature_matches(
        b"another-secret-0123456789", hook.body, hook.headers[SIGNATURE_HEADER]
    )
    body = json.loads(hook.body)
    assert body["job_id"] == job.job_id
    assert body["optimization_id"] == job.optimization_id
    assert body["status"] == "succeeded"
    assert body["result_url"] == f"{RESULT_BASE}/planner/optimizations/{job.optimization_id}/result"
    assert body["finished_at"].endswith("Z")
    # The timestamp header is the signed body's sent_at: a replay cannot carry a fresh one.
    sent_at = datetime.fromisoformat(body["sent_at"].replace("Z", "+00:00"))
    assert int(hook.headers[TIMESTAMP_HEADER]) == int(sent_at.timestamp())
    delivery = webhooks.for_job(job.job_id)
    assert delivery is not None
    assert hook.headers[DELIVERY_HEADER] == str(delivery.id)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 1, None)
    assert sender.send_due() == 0  # delivered once, never again


def test_no_delivery_is_sent_while_its_job_is_queued_or_running(
    store: JobStore, webhooks: WebhookStore, acme: Principal, tmp_path: Path
) -> None:
    with Receiver() as receiver:
        job = submit_with_callback(store, acme, receiver.url)
        sender = WebhookSender(webhooks, worker_settings(tmp_path))
        assert sender.send_due() == 0
        assert store.claim(job.job_id, WORKER) is not None
        assert sender.send_due() == 0
    assert receiver.received == []


def test_a_canceled_job_reports_canceled_without_a_result_url(
    store: JobStore, webhooks: WebhookStore, acme: Principal, tmp_path: Path
) -> None:
    with Receiver() as receiver:
        job = submit_with_callback(store, acme, receiver.url)
        store.cancel(job.job_id, acme.tenant_id)  # in the API process: the sender finds it later
        sender = WebhookSender(webhooks, worker_settings(tmp_path))
        assert send_until_settled(sender, webhooks, job.job_id) == "delivered"
        [hook] = receiver.wait_for(1)
    body = json.loads(hook.body)
    assert (body["status"], body["result_url"]) == ("canceled", None)


def test_a_receiver_answering_500_is_retried_until_it_answers_200(
    store: JobStore, webhooks: WebhookStore, acme: Principal, tmp_path: Path
) -> None:
    with Receiver(statuses=[500, 503]) as receiver:
        job = submit_with_callback(store, acme, receiver.url)
        run_to(store, job, JobStatus.NOT_DRIVABLE)
        sender = WebhookSender(webhooks, worker_settings(tmp_path))
        assert send_until_settled(sender, webhooks, job.job_id) == "delivered"
        hooks = receiver.wait_for(3)
    assert len(hooks) == 3
    assert {json.loads(h.body)["job_id"] for h in hooks} == {job.job_id}
    for hook in hooks:
        assert signature_matches(SECRET.encode(), hook.body, hook.headers[SIGNATURE_HEADER])
    delivery = webhooks.for_job(job.job_id)
    assert delivery is not None
    assert (delivery.status, delivery.attempts) == ("delivered", 3)


def test_a_dead_receiver_never_changes_the_job(
    store: JobStore, webhooks: WebhookStore, acme: Principal, tmp_path: Path
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/hook"  # nothing listens there
    job = submit_with_callback(store, acme, nobody)
    run_to(store, job, JobStatus.SUCCEEDED)
    before = store.get(job.job_id)
    sender = WebhookSender(webhooks, worker_settings(tmp_path, webhook_max_attempts=3))
    assert send_until_settled(sender, webhooks, job.job_id) == "failed"
    delivery = webhooks.for_job(job.job_id)
    assert delivery is not None
    assert delivery.attempts == 3
    assert delivery.last_error
    assert "Connect" in delivery.last_error
    after = store.get(job.job_id)
    assert before is not None
    assert after is not None
    assert (after.status, after.result, after.error, after.updated_at) == (
        before.status,
        before.result,
        before.error,
        before.updated_at,
    )


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_callback_to_loopback_is_refused_at_delivery_unless_allow_listed(
    store: JobStore, webhooks: WebhookStore, acme: Principal, tmp_path: Path, host: str
) -> None:
    with Receiver() as receiver:
        # Stored directly, as a token default or a job from before the check would be.
        job = submit_with_callback(store, acme, f"http://{host}:{receiver.port}/hooks/voltroute")
        run_to(store, job, JobStatus.SUCCEEDED)
        sender = WebhookSender(webhooks, worker_settings(tmp_path, webhook_allowed_hosts=[]))
        assert send_until_settled(sender, webhooks, job.job_id) == "failed"
        assert receiver.received == []
    delivery = webhooks.for_job(job.job_id)
    assert delivery is not None
    assert delivery.attempts == 1  # refused by policy: never retried
    assert delivery.last_error is not None
    assert delivery.last_error.startswith("refused: callback host")
    assert "loopback address" in delivery.last_error
    if host == "localhost":
        assert "resolves to" in delivery.last_error


def test_a_name_allow_listed_by_its_address_is_delivered_to_that_address(
    store: JobStore, webhooks: WebhookStore, acme: Principal, tmp_path: Path
) -> None:
    with Receiver() as receiver:
        job = submit_with_callback(store, acme, f"http://localhost:{receiver.port}/hooks/voltroute")
        run_to(store, job, JobStatus.SUCCEEDED)
        settings = worker_settings(tmp_path, webhook_allowed_hosts=["127.0.0.1", "::1"])
        assert send_until_settled(WebhookSender(webhooks, settings), webhooks, job.job_id) == (
            "delivered"
        )
        [hook] = receiver.wait_for(1)
    assert hook.headers["Host"] == f"localhost:{receiver.port}"  # pinned, the name kept


def test_a_pending_delivery_is_sent_by_the_next_worker_after_a_restart(
    engine: Engine, store: JobStore, webhooks: WebhookStore, acme: Principal, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/voltroute"
    job = submit_with_callback(store, acme, url)
    run_to(store, job, JobStatus.SUCCEEDED)
    # The first worker tries while the receiver is down, then stops.
    first = WebhookSender(webhooks, worker_settings(tmp_path, webhook_backoff_s=0.2))
    assert first.send_due() == 1
    first.client.close()
    pending = webhooks.for_job(job.job_id)
    assert pending is not None
    assert (pending.status, pending.attempts) == ("pending", 1)
    # A new worker process: its own engine on the same database, its sender thread running.
    restarted = create_db_engine(engine.url.render_as_string(hide_password=False))
    later = WebhookStore(session_factory(restarted))
    second = WebhookSender(later, worker_settings(tmp_path))
    with Receiver(port=port) as receiver:
        second.start()
        try:
            [hook] = receiver.wait_for(1)
        finally:
            second.stop()
            second.join(timeout=10)
            restarted.dispose()
    assert json.loads(hook.body)["job_id"] == job.job_id
    delivered = webhooks.for_job(job.job_id)
    assert delivered is not None
    assert (delivered.status, delivered.attempts) == ("delivered", 2)


def test_two_senders_never_claim_the_same_delivery(
    store: JobStore, webhooks: WebhookStore, acme: Principal
) -> None:
    job = submit_with_callback(store, acme, "http://127.0.0.1:9/hook")
    run_to(store, job, JobStatus.FAILED)
    assert len(webhooks.claim_due(10, lease_s=60)) == 1
    assert webhooks.claim_due(10, lease_s=60) == []


def test_retry_delays_double_from_the_backoff_and_are_capped_at_an_hour() -> None:
    assert [retry_delay_s(n, 10.0) for n in (1, 2, 3, 4)] == [10.0, 20.0, 40.0, 80.0]
    assert retry_delay_s(30, 10.0) == 3600.0


@pytest.mark.parametrize(
    "url",
    ["https://hooks.example.com/voltroute", "http://127.0.0.1:8080/h?x=1", "HTTPS://EXAMPLE.COM"],
)
def test_http_and_https_urls_with_a_host_are_callback_targets(url: str) -> None:
    assert callback_url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "1 to 2048"),
        ("https://example.com/" + "a" * 2048, "1 to 2048"),
        ("ftp://example.com/hook", "http or https"),
        ("javascript:alert(1)", "http or https"),
        ("/relative/path", "http or https"),
        ("https:///no-host", "needs a host"),
        ("https://user:pw@example.com/", "credentials"),
        ("https://example.com:99999/", "not a valid URL"),
        ("https://exa mple.com/", "no spaces"),
    ],
)
def test_other_urls_are_refused_with_the_reason(url: str, problem: str) -> None:
    message = callback_url_problem(url)
    assert message is not None
    assert problem in message


def test_finished_at_in_the_body_is_utc(
    store: JobStore, webhooks: WebhookStore, acme: Principal
) -> None:
    job = submit_with_callback(store, acme, "http://127.0.0.1:9/hook")
    run_to(store, job, JobStatus.SUCCEEDED)
    [due] = webhooks.claim_due(1, lease_s=60)
    assert due.outcome.finished_at is not None
    assert due.outcome.finished_at.tzinfo == UTC
