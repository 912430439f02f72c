"""The dramatiq actors; run them with `leitai worker` (dramatiq workers.actors)."""

import functools
import logging
import os
import threading
from datetime import date, datetime
from uuid import NAMESPACE_URL, uuid5

import dramatiq
from dramatiq.middleware import CurrentMessage

from domain.followup import ClaimedError
from service.config import Settings
from service.wiring import build

from . import delivery
from .broker import FOLLOWUPS, JOBS, make_broker
from .channels import channel_from_env
from .redis_server import redis_url

log = logging.getLogger("leitai.delivery")
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


@functools.cache
def channel():
    """One per process: a webhook channel keeps each worker thread's connection open between messages."""
    return channel_from_env()


@dramatiq.actor(queue_name=FOLLOWUPS, max_retries=MAX_RETRIES, min_backoff=BACKOFF_MS, max_backoff=60_000,
                time_limit=60_000)
def deliver(followup_id: str) -> None:
    message = CurrentMessage.get_current_message()
    retries = message.options.get("retries", 0)
    try:
        delivery.deliver(app(), followup_id, channel(), attempt=retries + 1, final=retries >= MAX_RETRIES)
    except ClaimedError as claimed:
        back_off(message, claimed.until)


def back_off(message: dramatiq.Message, until: datetime) -> None:
    """Another worker holds the follow-up: look again when its lease ends, without spending a retry."""
    delay = max(int((until - datetime.now(until.tzinfo)).total_seconds() * 1000), 0) + 500
    log.info("follow-up %s is claimed until %s; looking again in %d ms", message.args[0], until, delay)
    dramatiq.get_broker().enqueue(message, delay=delay)


@dramatiq.actor(queue_name=JOBS, max_retries=3, time_limit=600_000)
def daily(day: str) -> None:
    """The scheduler's daily job: pairing reminders, overdue interviews, pending sheets."""
    app().daily(date.fromisoformat(day), SCHEDULER_ID)
