"""Catching several read models up in one pass over the log, for rebuilds and replays.

`Projector.catch_up` reads the log once per read model, 500 events at a time, one transaction per
batch: right for read-your-writes, where a few events are new. From position 0 that is five scans
of the whole log. Here the events every read model follows are selected together, in big batches
(topics filtered in SQL), decoded once and handed to each read model that follows them; each batch
is written in one transaction with every read model's tracking position, so a replay stopped
half-way resumes without skipping or doubling an event.
"""

import gc
from collections import deque
from contextlib import contextmanager
from typing import Callable

from eventsourcing.persistence import JSONTranscoder, Mapper, Transcoder
from eventsourcing.utils import get_topic

from .base import Projection
from .tracking import Tracking

BATCH = 5_000


class OnePass:
    """Brings `projections` up to the head of the log together; `until` and `on_progress` as in `Projector`."""

    def __init__(self, app, store, projections: list[Projection], until=None, on_progress=None, batch: int = BATCH):
        self.app = app
        self.store = store
        self.projections = projections
        self.until = until
        self.on_progress = on_progress
        self.batch = batch
        self.tracking = Tracking(store)
        self.names = [projection.name for projection in projections]
        self.routes: dict[type, list[tuple[str, Callable]]] = {}
        for projection in projections:
            for cls, handler in projection.handlers().items():
                self.routes.setdefault(cls, []).append((projection.name, handler))
        self.topics = tuple(sorted({topic for projection in projections for topic in projection.topics}))
        self.overwritten = {get_topic(cls) for cls in self.routes
                            if all(cls in p.overwritten for p in projections if cls in p.handlers())}

    def run(self) -> int:
        """Returns how many events were read."""
        with self.store.transaction() as cursor:
            start, read = min(self.tracking.locked(cursor, self.names).values()), 0
        while notifications := self.app.recorder.select_notifications(
                start=start, limit=self.batch, topics=self.topics, inclusive_of_start=False):
            self.apply(notifications)
            start, read = notifications[-1].id, read + len(notifications)
            if self.on_progress:
                for projection in self.projections:
                    self.on_progress(projection.name, start)
            if len(notifications) < self.batch:
                break
        return read

    def apply(self, notifications: list) -> None:
        """One transaction: the batch's events for every read model still behind them, and the new positions."""
        last = notifications[-1].id
        notifications = self.unsuperseded(notifications)
        with gc_paused():
            events = decode_all(self.app.mapper, notifications)
            self.write(notifications, events, last)

    def unsuperseded(self, notifications: list) -> list:
        """The batch less each event that a later one of its type and originator in the batch overwrites.

        Topic and originator are columns, so this costs no decoding: a duty list is revised about twenty
        times a month and only its last revision in a batch decides its row. Not when replaying up to a
        moment (`until`), where the later event may fall after it.
        """
        if self.until is not None or not self.overwritten:
            return notifications
        seen, kept = set(), []
        for notification in reversed(notifications):
            key = (notification.originator_id, notification.topic)
            if notification.topic in self.overwritten and key in seen:
                continue
            seen.add(key)
            kept.append(notification)
        kept.reverse()
        return kept

    def write(self, notifications: list, events: list, last: int) -> None:
        """Decoded outside the transaction, so the read models' write lock is held only while writing."""
        routes, until = self.routes, self.until
        with self.store.transaction() as cursor:
            positions = self.tracking.locked(cursor, self.names)
            for notification, event in zip(notifications, events):
                if until is not None and not event.timestamp < until:
                    continue
                for name, handler in routes[type(event)]:
                    if notification.id > positions[name]:
                        handler(cursor, event, notification.id)
            self.tracking.move(cursor, self.names, last)


@contextmanager
def gc_paused():
    """The cyclic collector off while a batch is decoded and applied.

    A batch is thousands of events, each a tree of dicts and lists without cycles, all alive until
    the batch is written: reference counting frees them, while the collector would walk them
    generation after generation (a fifth of a replay's time).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Decoded(Transcoder):
    """Hands back, in order, states that were parsed together."""

    def __init__(self, states: list):
        self.states = deque(states)

    def encode(self, obj) -> bytes:
        raise NotImplementedError

    def decode(self, data: bytes):
        return self.states.popleft()


def decode_all(mapper: Mapper, notifications: list) -> list:
    """`mapper.to_domain_event` for each; with plain JSON (no cipher, no compression) every state is parsed in one call."""
    transcoder = mapper.transcoder
    if mapper.cipher or mapper.compressor or type(transcoder).decode is not JSONTranscoder.decode:
        return [mapper.to_domain_event(n) for n in notifications]
    states = transcoder.decoder.decode("[" + b",".join([n.state for n in notifications]).decode("utf8") + "]")
    return list(map(Mapper(Decoded(states)).to_domain_event, notifications))
