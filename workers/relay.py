"""The relay: follows the event log and turns each recorded follow-up into a queue message.

It moves its tracking position only after Redis has accepted the messages, so a follow-up is
enqueued at least once; the delivery actor makes repeats harmless.
"""

import logging
import threading

import redis
from eventsourcing.utils import get_topic

from domain.followup import FollowUp

from .broker import delivery_message

log = logging.getLogger("leitai.relay")
NAME = "relay"
TOPICS = (get_topic(FollowUp.Issued),)


class Relay:
    def __init__(self, app, broker, batch: int = 200):
        self.app = app
        self.broker = broker
        self.batch = batch
        self.tracking = app.projector.tracking
        with app.projector.store.transaction() as cursor:
            self.tracking.register(cursor, NAME)

    def position(self) -> int:
        return self.tracking.position(NAME)

    def run_once(self) -> int:
        """Enqueue the next batch; returns how many were sent. Raises when Redis refuses."""
        sent, refused = 0, None
        with self.tracking.advancing(NAME) as (cursor, position, moved):
            notifications = self.app.recorder.select_notifications(
                start=position, limit=self.batch, topics=TOPICS, inclusive_of_start=False)
            for notification in notifications:
                try:
                    self.broker.enqueue(delivery_message(notification.originator_id))
                except redis.RedisError as error:
                    refused = error
                    break
                moved.append(notification.id)
                sent += 1
        if refused is not None:
            raise refused
        return sent

    def run_forever(self, stop: threading.Event, interval: float = 0.5) -> None:
        while not stop.is_set():
            try:
                if self.run_once() == self.batch:
                    continue
            except redis.RedisError as error:
                log.warning("Redis refused the follow-ups; retrying: %s", error)
            stop.wait(interval)
