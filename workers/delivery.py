"""Delivering one follow-up: safe to run twice, and every attempt recorded as an event."""

from uuid import NAMESPACE_URL, uuid5

from domain.followup import FollowUp

WORKER_ID = uuid5(NAMESPACE_URL, "leitai:delivery-worker")


def deliver(app, followup_id, channel, attempt: int, final: bool) -> bool:
    """Send and record; True when this call made the delivery. A failure is recorded, then raised for a retry."""
    followup = app.load(FollowUp, followup_id)
    if followup.status != "pending":
        return False
    try:
        channel.send(followup)
    except Exception as error:
        app.record_failure(followup.id, channel.name, attempt, repr(error), final, WORKER_ID)
        raise
    return app.record_delivery(followup.id, channel.name, attempt, WORKER_ID)
