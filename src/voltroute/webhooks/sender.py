"""The worker's webhook sender: a thread that POSTs due deliveries, signed, with retries.

It runs beside the planning threads, never inside them, so a slow or dead receiver cannot delay
a job, a heartbeat or the reaper. Every outcome lands in the delivery row; the job row is only read.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx
import structlog

from voltroute import __version__
from voltroute.config import Settings
from voltroute.db.models import utcnow
from voltroute.timefmt import round_to
from voltroute.webhooks.callbacks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    retry_delay_s,
    sign,
    webhook_body,
)
from voltroute.webhooks.store import DueDelivery, WebhookStore
from voltroute.webhooks.targets import (
    AllowList,
    RefusedTargetError,
    UnresolvableTargetError,
    pin_target,
)

log = structlog.get_logger(__name__)

POLL_INTERVAL_S = 1.0  # catches deliveries of jobs finished elsewhere (cancels, the reaper)
BATCH_SIZE = 20
LEASE_MARGIN_S = 30.0  # a claim outlives the POST's timeout by this much


class WebhookSender(threading.Thread):
    """Sends due webhook deliveries until stopped; wake() after a job ends sends at once."""

    def __init__(
        self, store: WebhookStore, settings: Settings, client: httpx.Client | None = None
    ) -> None:
        super().__init__(name="voltroute-webhooks", daemon=True)
        self.store = store
        self.settings = settings
        self.allowed = AllowList.parse(settings.webhook_allowed_hosts)
        self.client = client or httpx.Client(
            timeout=settings.webhook_timeout_s,
            follow_redirects=False,  # a redirect could lead the signed body anywhere
            # No proxy from the environment: the POST must go to the address that was checked.
            trust_env=False,
            headers={"User-Agent": f"voltroute/{__version__} webhooks"},
        )
        self.stopped = threading.Event()
        self._wake = threading.Event()

    def wake(self, job_id: str = "") -> None:
        """Look for due deliveries now (the runner calls this when a job ends)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the current POST, then end the thread."""
        self.stopped.set()
        self._wake.set()

    def run(self) -> None:
        while not self.stopped.is_set():
            self._wake.wait(POLL_INTERVAL_S)
            self._wake.clear()
            try:
                while self.send_due() == BATCH_SIZE and not self.stopped.is_set():
                    pass  # a full batch: there may be more
            except Exception:  # the database may be restarting; look again next round
                log.exception("webhook pass failed")
        self.client.close()

    def send_due(self) -> int:
        """Send every due delivery once; returns how many were attempted."""
        lease_s = self.settings.webhook_timeout_s + LEASE_MARGIN_S
        due = self.store.claim_due(BATCH_SIZE, lease_s)
        for delivery in due:
            self._send(delivery)
        return len(due)

    def _send(self, delivery: DueDelivery) -> None:
        try:
            error = self._post(delivery)
        except RefusedTargetError as refused:
            # Refused by policy: retrying would only be refused again.
            error, final = f"refused: {refused}", True
        else:
            final = False
        if error is None:
            self.store.delivered(delivery.delivery_id)
            log.info("webhook delivered", job_id=delivery.outcome.job_id, url=delivery.url)
            return
        retry_at = None
        if not final and delivery.attempts < self.settings.webhook_max_attempts:
            delay_s = retry_delay_s(delivery.attempts, self.settings.webhook_backoff_s)
            retry_at = utcnow() + timedelta(seconds=delay_s)
        self.store.attempt_failed(delivery.delivery_id, error, retry_at)
        log.warning(
            "webhook attempt failed",
            job_id=delivery.outcome.job_id,
            attempt=delivery.attempts,
            error=error,
            gave_up=retry_at is None,
        )

    def _post(self, delivery: DueDelivery) -> str | None:
        """POST the delivery; None on a 2xx answer, otherwise what went wrong.

        RefusedTargetError when the callback host is not an allowed target.
        """
        secret = self.settings.webhook_secret
        if secret is None:
            return "no VOLTROUTE_WEBHOOK_SECRET in the worker: deliveries are never unsigned"
        try:
            target = pin_target(delivery.url, self.allowed)
        except UnresolvableTargetError as error:
            return str(error)
        # Rounded first, so the body's sent_at (milliseconds) and the timestamp header
        # (whole seconds of the same moment) never straddle a second.
        sent_at = round_to(utcnow(), timedelta(milliseconds=1))
        body = webhook_body(delivery.outcome, sent_at)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(secret.get_secret_value().encode(), body),
            TIMESTAMP_HEADER: str(int(sent_at.timestamp())),
            DELIVERY_HEADER: str(delivery.delivery_id),
            "Host": target.host_header,
        }
        extensions = {"sni_hostname": target.tls_name} if target.tls_name else None
        try:
            response = self.client.post(
                target.url, content=body, headers=headers, extensions=extensions
            )
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            return f"{type(error).__name__}: {error}"
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"
