"""Group commit: the saves that several threads ask for while a commit is under way share the next one.

A delivery worker's threads each save a claim and a delivery, every one a FULL-synced commit, and
one writer at a time: they spent more time queueing for the write than writing. Here a thread that
asks to save waits for the commit in progress, and the first one through then commits everything
asked for meanwhile in one transaction. Each caller still returns only once its own events are
committed, and sees its own outcome: should the shared transaction be refused (a version clash in
one of them), each aggregate is saved again alone, so only the clashing one is refused.
"""

import threading

from eventsourcing.persistence import IntegrityError


class SharedSaveError(RuntimeError):
    """The commit this save shared with others did not complete: it may not have been saved (see the cause)."""


class Ticket:
    def __init__(self, aggregate):
        self.aggregate = aggregate
        self.events = list(aggregate._pending_events)  # a refused save has taken them from the aggregate
        self.done = self.saved = False
        self.error: BaseException | None = None

    def restore(self) -> None:
        self.aggregate._pending_events[:] = self.events

    def outcome(self) -> None:
        if not self.saved:
            raise self.error or SharedSaveError("the thread committing it stopped before it was saved")


class Together:
    def __init__(self, app):
        self.app = app
        self.asked: list[Ticket] = []
        self.asking = threading.Lock()
        self.committing = threading.Lock()

    def save(self, aggregate) -> None:
        """Returns once the aggregate's events are committed; raises what saving it alone would have."""
        ticket = Ticket(aggregate)
        with self.asking:
            self.asked.append(ticket)
        with self.committing:
            if not ticket.done:
                self.commit(self.take())
        ticket.outcome()

    def take(self) -> list[Ticket]:
        with self.asking:
            batch, self.asked = self.asked, []
        return batch

    def commit(self, batch: list[Ticket]) -> None:
        try:
            self.app.save(*(ticket.aggregate for ticket in batch))
        except IntegrityError as clash:
            if len(batch) > 1:
                self.one_by_one(batch)
            else:
                batch[0].error = clash
        except Exception as failure:  # noqa: BLE001 - handed to each waiting thread, raised there
            for ticket in batch:
                ticket.error = SharedSaveError("the commit it shared failed")
                ticket.error.__cause__ = failure
        else:
            for ticket in batch:
                ticket.saved = True
        finally:
            for ticket in batch:
                ticket.done = True

    def one_by_one(self, batch: list[Ticket]) -> None:
        """A clash refuses the whole transaction: each alone, so that only the clashing one is refused."""
        for ticket in batch:
            ticket.restore()
            try:
                self.app.save(ticket.aggregate)
                ticket.saved = True
            except Exception as refused:  # noqa: BLE001 - raised in the thread that asked for this save
                ticket.error = refused
