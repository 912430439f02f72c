"""The read-model follower: keeps every read model current without waiting for a query.

On PostgreSQL it wakes on the store's LISTEN/NOTIFY subscription; SQLite has no subscriptions, so
it polls. Either way the catch-up itself is the tracked, exactly-once one the API uses.
"""

import threading

from eventsourcing.postgres import PostgresApplicationRecorder


def follow(app, stop: threading.Event, interval: float = 0.5) -> None:
    if isinstance(app.recorder, PostgresApplicationRecorder):
        follow_notifications(app, stop)
    else:
        while not stop.is_set():
            catch_up(app)
            stop.wait(interval)


def catch_up(app) -> None:
    """The read models, and the audit chain, which links events written outside the API too."""
    app.projector.catch_up_all()
    app.chain.catch_up()


def follow_notifications(app, stop: threading.Event) -> None:
    caught = app.recorder.max_notification_id() or 0
    catch_up(app)
    with app.recorder.subscribe(gt=caught) as subscription:
        for notification in subscription:
            if stop.is_set():
                return
            if notification.id > caught:
                caught = app.recorder.max_notification_id() or notification.id
                catch_up(app)
