"""The SQLite event store: commits leave the WAL checkpoint to a thread of the process."""

import uuid

import pytest
from eventsourcing.persistence import IntegrityError

from domain.followup import FollowUp
from service.config import Settings
from service.eventstore import BACKSTOP_PAGES
from service.wiring import build

from .helpers import wait_for


def notices(count: int) -> list[FollowUp]:
    town, by = uuid.uuid4(), uuid.uuid4()
    return [FollowUp(key=f"checkpoint:{n}:{uuid.uuid4()}", town_id=town, kind="sheets_pending", recipient="评委",
                     subject="待评分提醒", body="您还有评分表未提交。" * 20, about_id=None, by=by)
            for n in range(count)]


@pytest.fixture
def store(tmp_path):
    """The Application on a SQLite store of its own, whatever backend the suite runs."""
    app = build(Settings(data_dir=tmp_path))
    yield app
    app.projector.store.close()
    app.close()


def test_a_commit_appends_to_the_log_and_the_checkpointer_copies_it_back(store, tmp_path):
    database = tmp_path / "events.sqlite"
    with store.recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == BACKSTOP_PAGES  # not SQLite's 1,000 pages, inside the commit
    size = database.stat().st_size
    store.save(*notices(3000))  # about 1,050 pages (4 MB) of log in one commit

    assert store.recorder.datastore.checkpointer.thread.name == "wal-checkpoint"
    assert wait_for(lambda: database.stat().st_size > size + 3_000_000, seconds=10)
    assert len(store.recorder.select_notifications(start=1, limit=10_000)) >= 3000


def test_the_checkpointer_has_ended_and_closed_its_connection_once_its_store_is_closed(tmp_path):
    """Before it is forked (gunicorn's master, after `prepare`), a process that closed its store holds no
    SQLite connection: not even the checkpointer's, in the pause after a checkpoint."""
    app = build(Settings(data_dir=tmp_path))
    app.save(*notices(1))
    checkpointer = app.recorder.datastore.checkpointer
    assert wait_for(lambda: not checkpointer.wanted.is_set(), seconds=5)  # it has checkpointed, and pauses
    app.projector.store.close()
    app.close()
    assert not checkpointer.thread.is_alive()


def test_a_save_is_one_insert_whose_rows_are_the_notification_ids(store):
    assert store.save() == []  # nothing to record: no statement
    small, large = notices(3), notices(150)  # one statement; eventsourcing's statement a row
    for batch in (small, large):
        ids = [r.notification.id for r in store.save(*batch)]
        stored = store.recorder.select_notifications(start=ids[0], limit=len(ids))
        assert [n.id for n in stored] == ids == list(range(ids[0], ids[0] + len(batch)))
        assert [n.originator_id for n in stored] == [f.id for f in batch]


def test_a_clash_in_a_save_records_none_of_it_and_raises_eventsourcings_error(store):
    first, = notices(1)
    store.save(first)
    head = store.recorder.max_notification_id()
    again, *clashes = [store.load(FollowUp, first.id) for _ in range(3)]
    for copy in (again, *clashes):
        copy.delivered("webhook", 1, uuid.uuid4())
    store.save(again)
    for batch in ([*notices(2), clashes[0]], [*notices(100), clashes[1]]):  # one statement; a statement a row
        with pytest.raises(IntegrityError):
            store.recorder.insert_events([store.mapper.to_stored_event(e) for a in batch for e in a.collect_events()])
    assert store.recorder.max_notification_id() == head + 1  # the delivery; nothing of the refused saves
