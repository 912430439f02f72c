"""The dramatiq broker, tuned so that a crashed worker's message is retried within about 15 seconds.

dramatiq's defaults requeue a dead worker's messages only after its heartbeat is 60 s old and a
maintenance pass happens to run (0.1 % of calls): about ten minutes in practice. Here a worker is
dead after 10 s of silence and one call in ten runs maintenance.
"""

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage

HEARTBEAT_TIMEOUT_MS = 10_000
MAINTENANCE_CHANCE = 100_000  # per million calls
FOLLOWUPS = "followups"
JOBS = "jobs"


def make_broker(url: str) -> RedisBroker:
    broker = RedisBroker(url=url, heartbeat_timeout=HEARTBEAT_TIMEOUT_MS, maintenance_chance=MAINTENANCE_CHANCE,
                         socket_timeout=5, socket_connect_timeout=2)
    broker.add_middleware(CurrentMessage())
    for queue in (FOLLOWUPS, JOBS):
        broker.declare_queue(queue)
    return broker


def delivery_message(followup_id) -> dramatiq.Message:
    """One message per follow-up, its id the follow-up's: repeats are recognisable."""
    return dramatiq.Message(queue_name=FOLLOWUPS, actor_name="deliver", args=(str(followup_id),), kwargs={},
                            options={}, message_id=str(followup_id))


def daily_message(day: str) -> dramatiq.Message:
    return dramatiq.Message(queue_name=JOBS, actor_name="daily", args=(day,), kwargs={}, options={},
                            message_id=f"daily-{day}")
