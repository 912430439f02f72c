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
            app.projector.catch_up_all()
            stop.wait(interval)


def follow_notifications(app, stop: threading.Event) -> None:
    caught = app.recorder.max_notification_id() or 0
    app.projector.catch_up_all()
    with app.recorder.subscribe(gt=caught) as subscription:
        for notification in subscription:
            if stop.is_set():
                return
            if notification.id > caught:
                caught = app.recorder.max_notification_id() or notification.id
                app.projector.catch_up_all()
