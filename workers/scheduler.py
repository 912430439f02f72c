"""The scheduler: one at a time, across every node, sends the daily job on the town's clock (Asia/Shanghai).

Each node may run one. They contend for a Redis lock with an expiry; the holder renews it every
third of its life and the others stand by, taking over once a dead holder's lock has lapsed. Whether
a day's job is sent is decided by a record of that day in Redis (SET NX), so even a stalled holder
whose lock lapsed while another took over cannot send a day's job twice.
"""

import logging
import os
import signal
import threading
from datetime import date, datetime, timedelta

import redis
from redis.exceptions import LockError

from service.followups import SHANGHAI

from .broker import daily_message

log = logging.getLogger("leitai.scheduler")
LOCK = "leitai:scheduler"
LOCK_SECONDS = float(os.environ.get("LEITAI_SCHEDULER_LOCK_SECONDS", "30"))
RECORD_SECONDS = 14 * 86_400


def due_day(now: datetime, hour: int) -> date:
    """The latest day whose job is due: today from `hour` on, yesterday before it (a day missed while
    every scheduler was down still gets its reminders)."""
    return now.date() if now.hour >= hour else now.date() - timedelta(days=1)


def send_daily(broker, day: date) -> bool:
    """Send the day's job unless it was sent already; True when this call sent it."""
    record = f"leitai:daily:{day.isoformat()}"
    if not broker.client.set(record, datetime.now(SHANGHAI).isoformat(), nx=True, ex=RECORD_SECONDS):
        return False
    try:
        broker.enqueue(daily_message(day.isoformat()))
    except redis.RedisError:
        broker.client.delete(record)
        raise
    log.info("daily job sent for %s", day)
    return True


class Scheduler:
    def __init__(self, broker, hour: int = 8, lock_seconds: float = LOCK_SECONDS):
        self.broker = broker
        self.hour = hour
        self.lock = broker.client.lock(LOCK, timeout=lock_seconds)
        self.interval = lock_seconds / 3
        self.leading: bool | None = None  # unknown until the first try, so either outcome is logged

    def lead(self) -> bool:
        """Renew the lock if held, else try to take it; never waits."""
        try:
            held = self.lock.reacquire() if self.lock.owned() else self.lock.acquire(blocking=False)
        except LockError:
            held = False
        if held != self.leading:
            log.info("leading: this scheduler sends the daily jobs" if held else "standing by: another scheduler leads")
        self.leading = held
        return held

    def tick(self) -> None:
        if self.lead():
            send_daily(self.broker, due_day(datetime.now(SHANGHAI), self.hour))

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.tick()
            except redis.RedisError as error:
                log.warning("Redis refused the scheduler; trying again: %s", error)
            stop.wait(self.interval)
        if self.leading:
            self.resign()

    def resign(self) -> None:
        """Stopping politely hands over at once instead of after the lock's expiry."""
        try:
            self.lock.release()
        except LockError:
            log.info("the scheduler's lock had already lapsed")


def run(broker, hour: int = 8) -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    Scheduler(broker, hour).run(stop)
