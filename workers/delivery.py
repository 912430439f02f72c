"""Delivering one follow-up: claimed before it is sent, and every attempt recorded as an event.

The claim is a `FollowUp.Claimed` event saved with optimistic concurrency, so of two workers holding
the same follow-up (a message enqueued twice) one sends and the other backs off. The claim is a
lease: a worker killed mid-send leaves it, and the follow-up is sent again once it has run out — the
one case in which a receiver gets a follow-up twice, which `X-Leitai-Followup` lets it drop.
"""

import os
import socket
import threading
from datetime import timedelta
from uuid import NAMESPACE_URL, uuid5

WORKER_ID = uuid5(NAMESPACE_URL, "leitai:delivery-worker")
LEASE = timedelta(seconds=float(os.environ.get("LEITAI_DELIVERY_LEASE", "30")))
HOST = socket.gethostname()


def claimant() -> str:
    """Which worker thread holds a claim, for the log and the audit trail."""
    return f"{HOST}:{os.getpid()}:{threading.get_ident()}"


def deliver(app, followup_id, channel, attempt: int, final: bool, lease: timedelta = LEASE) -> bool:
    """Claim, send and record; True when this call made the delivery, False when there was nothing to send.

    Raises ClaimedError while another worker's lease runs; a failed send is recorded (which releases
    the claim), then raised for a retry.
    """
    followup = app.claimed_followup(followup_id, claimant(), lease, WORKER_ID)
    if followup is None:
        return False
    try:
        channel.send(followup)
    except Exception as error:
        app.record_failure(followup.id, channel.name, attempt, repr(error), final, WORKER_ID)
        raise
    return app.record_claimed_delivery(followup, channel.name, attempt, WORKER_ID)
