"""The dramatiq actors; run them with `leitai worker` (dramatiq workers.actors)."""

import os
import threading
from datetime import date
from uuid import NAMESPACE_URL, uuid5

import dramatiq
from dramatiq.middleware import CurrentMessage

from service.config import Settings
from service.wiring import build

from . import delivery
from .broker import FOLLOWUPS, JOBS, make_broker
from .channels import channel_from_env
from .redis_server import redis_url

SCHEDULER_ID = uuid5(NAMESPACE_URL, "leitai:scheduler")
MAX_RETRIES = int(os.environ.get("LEITAI_DELIVERY_RETRIES", "5"))
BACKOFF_MS = int(os.environ.get("LEITAI_DELIVERY_BACKOFF_MS", "2000"))

settings = Settings.from_env()
dramatiq.set_broker(make_broker(redis_url(settings)))
_app = None
_lock = threading.Lock()


def app():
    """One Application per worker process, built on first use."""
    global _app
    with _lock:
        if _app is None:
            _app = build(settings)
    return _app


@dramatiq.actor(queue_name=FOLLOWUPS, max_retries=MAX_RETRIES, min_backoff=BACKOFF_MS, max_backoff=60_000,
                time_limit=60_000)
def deliver(followup_id: str) -> None:
    retries = CurrentMessage.get_current_message().options.get("retries", 0)
    delivery.deliver(app(), followup_id, channel_from_env(), attempt=retries + 1, final=retries >= MAX_RETRIES)


@dramatiq.actor(queue_name=JOBS, max_retries=3, time_limit=600_000)
def daily(day: str) -> None:
    """The scheduler's daily job: pairing reminders, overdue interviews, pending sheets."""
    app().daily(date.fromisoformat(day), SCHEDULER_ID)
