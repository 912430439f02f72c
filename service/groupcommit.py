"""Group commit: the saves that several threads ask for while a commit is under way share the next one.

Every save is one transaction, FULL-synced on SQLite, and the event store takes one writer at a time:
under concurrent requests the threads spent more time queueing for the write than writing. Here a
thread that asks to save waits for the commit in progress, and the first one through then commits
everything asked for meanwhile in one transaction. Each caller returns only once its own events are
committed, and sees the outcome it would have had alone: should the shared transaction fail (a version
clash in one of them, say), each is saved again alone, so only the clashing one is refused.
"""

import threading
from collections.abc import Callable


class NotSavedError(RuntimeError):
    """The thread committing this save stopped before it was saved."""


class Ticket:
    def __init__(self, aggregates: list):
        self.aggregates = aggregates
        self.pending = [list(aggregate._pending_events) for aggregate in aggregates]
        self.done = False
        self.recordings: list | None = None
        self.error: Exception | None = None

    def restore(self) -> None:
        """A failed save has taken the events from the aggregates: they are put back to be saved again."""
        for aggregate, events in zip(self.aggregates, self.pending):
            aggregate._pending_events[:] = events

    def outcome(self) -> list:
        if self.error is not None:
            raise self.error
        if self.recordings is None:
            raise NotSavedError("the thread committing it stopped before it was saved")
        return self.recordings


class GroupCommit:
    def __init__(self, record: Callable[[list], list]):
        """`record(aggregates)` saves the aggregates' pending events in one transaction; it returns the recordings."""
        self.record = record
        self.asked: list[Ticket] = []
        self.asking = threading.Lock()
        self.committing = threading.Lock()

    def save(self, aggregates: list) -> list:
        """Returns once the aggregates' events are committed, with their recordings; raises what saving them alone would."""
        ticket = Ticket(aggregates)
        with self.asking:
            self.asked.append(ticket)
        with self.committing:
            if not ticket.done:
                self.commit(self.take())
        return ticket.outcome()

    def take(self) -> list[Ticket]:
        with self.asking:
            batch, self.asked = self.asked, []
        return batch

    def commit(self, batch: list[Ticket]) -> None:
        try:
            if len(batch) == 1:
                self.alone(batch[0])
            else:
                self.together(batch)
        finally:
            for ticket in batch:
                ticket.done = True

    def together(self, batch: list[Ticket]) -> None:
        try:
            recordings = self.record([aggregate for ticket in batch for aggregate in ticket.aggregates])
        except Exception:  # each is saved again alone below, and so sees its own outcome
            for ticket in batch:
                ticket.restore()
                self.alone(ticket)
            return
        for ticket in batch:
            ids = {aggregate.id for aggregate in ticket.aggregates}
            ticket.recordings = [r for r in recordings if r.domain_event.originator_id in ids]

    def alone(self, ticket: Ticket) -> None:
        try:
            ticket.recordings = self.record(ticket.aggregates)
        except Exception as refused:  # raised in the thread that asked for this save (Ticket.outcome)
            ticket.error = refused
